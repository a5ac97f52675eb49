// Hostile input through the official SDKs, unmodified: each SDK raises its own error type for Manifold's 400 (openai's
// and @anthropic-ai/sdk's BadRequestError, @google/genai's ApiError with status 400), naming the field, for every platform
// behind it (pass-through and converted), and no upstream fake ever sees the request.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { ApiError, GoogleGenAI } from '@google/genai';
import { LICENCE } from './lib/manifold.mjs';
import { PLATFORMS, startMatrix } from './lib/matrix.mjs';

let matrix;
before(async () => { matrix = await startMatrix(); });
after(async () => { await matrix?.stop(); });

// Straight to Manifold: the oracle's proxy checks requests against the vendors' schemas and would refuse these itself.
const openai = () => new OpenAI({ apiKey: LICENCE, baseURL: `${matrix.manifoldUrl}/v1`, maxRetries: 0, timeout: 15_000 });
const anthropic = () => new Anthropic({ apiKey: LICENCE, baseURL: matrix.manifoldUrl, maxRetries: 0, timeout: 15_000 });
const genai = () => new GoogleGenAI({ apiKey: LICENCE, httpOptions: { baseUrl: matrix.manifoldUrl, timeout: 15_000 } });

// A thinking budget of 2^63 − 1, as JSON.stringify writes it: it once became a negative max_tokens on the way to Anthropic.
const HUGE = 2 ** 63 - 1;
const LONE = '\ud800';

const upstreamCalls = () => Object.values(matrix.fakes).reduce((sum, fake) => sum + fake.requests.length, 0);

/** Runs `call`, which must fail with `type`, and checks nothing reached an upstream. */
async function refused(call, check) {
  const before = upstreamCalls();
  await assert.rejects(call, (error) => { check(error); return true; });
  assert.equal(upstreamCalls(), before, 'an upstream was called: the 400 must come from Manifold');
}

for (const platform of PLATFORMS) {
  test(`openai SDK: a lone surrogate in a message to ${platform.name} is a BadRequestError naming it`, () =>
    refused(
      () => openai().chat.completions.create({ model: platform.model, messages: [{ role: 'user', content: `hi ${LONE}` }] }),
      (error) => {
        assert.ok(error instanceof OpenAI.BadRequestError, `${error.constructor.name}: ${error.message}`);
        assert.equal(error.status, 400);
        assert.equal(error.param, 'messages[0].content');
        assert.match(error.message, /not valid Unicode/);
      }));

  test(`openai SDK: temperature 1e308 to ${platform.name} is a BadRequestError naming it`, () =>
    refused(
      () => openai().chat.completions.create({ model: platform.model, messages: [{ role: 'user', content: 'hi' }], temperature: 1e308 }),
      (error) => {
        assert.ok(error instanceof OpenAI.BadRequestError, `${error.constructor.name}: ${error.message}`);
        assert.equal(error.param, 'temperature');
      }));

  test(`anthropic SDK: a budget of 2^63-1 to ${platform.name} is a BadRequestError naming it`, () =>
    refused(
      () => anthropic().messages.create({
        model: platform.model, max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: HUGE }, messages: [{ role: 'user', content: 'hi' }],
      }),
      (error) => {
        assert.ok(error instanceof Anthropic.BadRequestError, `${error.constructor.name}: ${error.message}`);
        assert.equal(error.error?.error?.type, 'invalid_request_error');
        assert.match(error.message, /thinking\.budget_tokens/);
      }));

  test(`anthropic SDK: a lone surrogate in the system prompt to ${platform.name} is a BadRequestError naming it`, () =>
    refused(
      () => anthropic().messages.create({ model: platform.model, max_tokens: 64, system: LONE, messages: [{ role: 'user', content: 'hi' }] }),
      (error) => {
        assert.ok(error instanceof Anthropic.BadRequestError, `${error.constructor.name}: ${error.message}`);
        assert.match(error.message, /'system'/);
      }));

  test(`@google/genai: a thinkingBudget of 2^63-1 to ${platform.name} is an ApiError 400 naming it`, () =>
    refused(
      () => genai().models.generateContent({ model: platform.model, contents: 'hi', config: { thinkingConfig: { thinkingBudget: HUGE } } }),
      (error) => {
        assert.ok(error instanceof ApiError, `${error.constructor.name}: ${error.message}`);
        assert.equal(error.status, 400);
        assert.match(error.message, /generationConfig\.thinkingConfig\.thinkingBudget/);
        assert.match(error.message, /INVALID_ARGUMENT/);
      }));

  test(`@google/genai: a lone surrogate in a part to ${platform.name} is an ApiError 400`, () =>
    refused(
      () => genai().models.generateContentStream({ model: platform.model, contents: LONE }),
      (error) => {
        assert.ok(error instanceof ApiError, `${error.constructor.name}: ${error.message}`);
        assert.equal(error.status, 400);
        assert.match(error.message, /not valid Unicode/);
      }));
}

test('openai SDK: GET on a POST-only path is an APIError 405 in OpenAI\'s shape', async () => {
  await assert.rejects(
    () => openai().get('/chat/completions'),
    (error) => {
      assert.ok(error instanceof OpenAI.APIError, `${error.constructor.name}: ${error.message}`);
      assert.equal(error.status, 405);
      assert.equal(error.code, 'method_not_allowed');
      assert.equal(error.headers.get('allow'), 'POST');
      return true;
    });
});
