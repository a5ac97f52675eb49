// Anthropic Messages through the official `@anthropic-ai/sdk`, unmodified (only baseURL and apiKey),
// to each platform: every matrix scenario, streaming (the SSE event grammar, checked event by event)
// and not, plus count_tokens.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { LICENCE } from './lib/manifold.mjs';
import { cell, MODES, PLATFORMS, servedModels, startMatrix } from './lib/matrix.mjs';
import {
  BREAK, assertToolTurnReachedUpstream, assertUpstreamThinks, DESCRIBE, echo, FAIL, HELLO, HISTORY, IMAGE_URL, PARALLEL, PDF, PDF_SEEN,
  PNG, PNG_SEEN, reasoningText, SYSTEM, THINK, TOOL_ARGS, TOOL_RESULT, TOOL_RESULT_ECHO, UPSTREAM_TOOL_IDS, upstreamSignature,
  URL_SEEN, USAGE, WEATHER, WEATHER_TOOL,
} from './lib/scenarios.mjs';
import { COUNTED_TOKENS } from './lib/fake-model.mjs';

let matrix;
before(async () => { matrix = await startMatrix(); });
after(async () => { await matrix?.stop(); });

const client = (prefix = '', apiKey = LICENCE) => new Anthropic({ apiKey, baseURL: `${matrix.url}${prefix}`, maxRetries: 0, timeout: 15_000 });
const tools = [{ name: WEATHER_TOOL.name, description: WEATHER_TOOL.description, input_schema: WEATHER_TOOL.parameters }];
const user = (content) => [{ role: 'user', content }];
const DELTA_FOR = { text: ['text_delta'], tool_use: ['input_json_delta'], thinking: ['thinking_delta', 'signature_delta'], redacted_thinking: [] };

/**
 * Rebuilds a Message from the SSE events, checking the documented grammar: message_start first,
 * message_stop last, each content block started, given deltas of its own kind, and stopped, in index
 * order; message_delta carries the stop reason and the final usage.
 */
function assemble(events) {
  assert.equal(events[0].type, 'message_start');
  assert.equal(events.at(-1).type, 'message_stop');
  const message = structuredClone(events[0].message);
  assert.deepEqual(message.content, []);
  let open = null;
  let json = '';
  for (const event of events.slice(1, -1)) {
    switch (event.type) {
      case 'content_block_start':
        assert.equal(open, null, 'a block started before the previous one stopped');
        assert.equal(event.index, message.content.length);
        open = event.index;
        message.content.push(structuredClone(event.content_block));
        json = '';
        break;
      case 'content_block_delta': {
        assert.equal(event.index, open, 'a delta outside its block');
        const block = message.content[open];
        assert.ok(DELTA_FOR[block.type].includes(event.delta.type), `${event.delta.type} in a ${block.type} block`);
        if (event.delta.type === 'text_delta') block.text += event.delta.text;
        if (event.delta.type === 'thinking_delta') block.thinking += event.delta.thinking;
        if (event.delta.type === 'signature_delta') block.signature = (block.signature ?? '') + event.delta.signature;
        if (event.delta.type === 'input_json_delta') json += event.delta.partial_json;
        break;
      }
      case 'content_block_stop':
        assert.equal(event.index, open);
        if (message.content[open].type === 'tool_use') message.content[open].input = json ? JSON.parse(json) : {};
        open = null;
        break;
      case 'message_delta':
        assert.equal(open, null, 'message_delta inside a block');
        Object.assign(message, event.delta);
        Object.assign(message.usage, Object.fromEntries(Object.entries(event.usage).filter(([, v]) => v !== null)));
        break;
      default:
        assert.fail(`unexpected event ${event.type}`);
    }
  }
  assert.ok(message.stop_reason, 'message_delta must carry the stop reason');
  return message;
}

async function send(params, stream, prefix = '') {
  const body = { max_tokens: 1024, ...params };
  if (!stream) return client(prefix).messages.create(body);
  const events = [];
  for await (const event of await client(prefix).messages.create({ ...body, stream: true })) events.push(event);
  return assemble(events);
}

const textOf = (message) => message.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
const uses = (message) => message.content.filter((b) => b.type === 'tool_use');

function assertToolUse(platform, message, args) {
  assert.equal(message.stop_reason, 'tool_use');
  assert.deepEqual(uses(message).map((b) => b.name), args.map(() => WEATHER_TOOL.name));
  assert.deepEqual(uses(message).map((b) => b.input), args);
  const ids = uses(message).map((b) => b.id);
  assert.ok(ids.every((id) => typeof id === 'string' && id.length > 0), `tool_use ids: ${ids}`);
  assert.equal(new Set(ids).size, ids.length);
  if (UPSTREAM_TOOL_IDS[platform.name]) assert.deepEqual(ids, UPSTREAM_TOOL_IDS[platform.name].slice(0, args.length));
}

/**
 * Thinking blocks as Anthropic defines them: the reasoning text, and a signature on every block. The signature is
 * opaque (a converted answer's carries its issuer for Manifold); the round trip cell checks the upstream gets its own back.
 */
function assertThinking(message, userText) {
  const blocks = message.content.filter((b) => b.type === 'thinking');
  assert.equal(blocks.map((b) => b.thinking).join(''), reasoningText(userText));
  for (const block of blocks) assert.ok(block.signature, `a thinking block without a signature: ${JSON.stringify(message.content)}`);
}

function assertAnthropicError(error, Type, status, type) {
  assert.ok(error instanceof Type, `${error.constructor.name}: ${error.message}`);
  assert.equal(error.status, status);
  // The body is Anthropic's: {type:"error", error:{type, message}}.
  assert.equal(error.error?.type, 'error', JSON.stringify(error.error));
  if (type) assert.equal(error.error.error?.type, type);
}

for (const platform of PLATFORMS) {
  const model = platform.model;
  for (const [mode, label] of Object.entries(MODES)) {
    const stream = mode === 's';

    cell(platform, 'text', label, async () => {
      const message = await send({ model, messages: user(HELLO) }, stream);
      assert.equal(textOf(message), echo());
      assert.equal(message.stop_reason, 'end_turn');
      assert.equal(message.role, 'assistant');
    });

    cell(platform, 'system prompt', label, async () => {
      // The non-streaming case sends system as a string, the streaming one as text blocks.
      const system = stream ? [{ type: 'text', text: SYSTEM }] : SYSTEM;
      assert.equal(textOf(await send({ model, system, messages: user(HELLO) }, stream)), echo({ system: SYSTEM }));
    });

    cell(platform, 'multi-turn', label, async () => {
      const messages = [{ role: 'user', content: HISTORY[0] }, { role: 'assistant', content: HISTORY[1] }, { role: 'user', content: HISTORY[2] }];
      assert.equal(textOf(await send({ model, messages }, stream)), echo({ user: HISTORY[2], turns: 2 }));
    });

    cell(platform, 'image (base64)', label, async () => {
      const content = [{ type: 'text', text: DESCRIBE }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }];
      assert.equal(textOf(await send({ model, messages: user(content) }, stream)), echo({ user: DESCRIBE, images: [PNG_SEEN] }));
    });

    cell(platform, 'tools', label, async () => {
      assertToolUse(platform, await send({ model, messages: user(WEATHER), tools }, stream), TOOL_ARGS.slice(0, 1));
    });

    cell(platform, 'parallel tools', label, async () => {
      assertToolUse(platform, await send({ model, messages: user(PARALLEL), tools }, stream), TOOL_ARGS);
    });

    cell(platform, 'tool result', label, async () => {
      const first = await send({ model, messages: user(WEATHER), tools }, stream);
      const messages = [...user(WEATHER), { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: uses(first)[0].id, content: JSON.stringify(TOOL_RESULT) }] }];
      const second = await send({ model, messages, tools }, stream);
      assert.equal(textOf(second), TOOL_RESULT_ECHO);
      assertToolTurnReachedUpstream(platform.name, matrix.fakes[platform.name].last.body, { ids: UPSTREAM_TOOL_IDS[platform.name]?.slice(0, 1) });
    });

    cell(platform, 'usage', label, async () => {
      const { usage } = await send({ model, messages: user(HELLO) }, stream);
      // Anthropic semantics: input_tokens EXCLUDES cache reads (and cache writes), which are reported apart.
      assert.equal(usage.cache_read_input_tokens, USAGE.cached);
      assert.equal(usage.input_tokens + usage.cache_read_input_tokens + (usage.cache_creation_input_tokens ?? 0), USAGE.input);
      assert.equal(usage.output_tokens, USAGE.output);
      if (platform.name === 'claude') assert.equal(usage.cache_creation_input_tokens, USAGE.cacheCreation);
    });

    cell(platform, 'reasoning (-thinking)', label, async () => {
      const message = await send({ model: platform.thinking, max_tokens: 16_000, messages: user(THINK) }, stream);
      assert.equal(textOf(message), echo({ user: THINK }));
      assertUpstreamThinks(platform.name, matrix.fakes[platform.name].last.body);
      if (platform.name !== 'openai') assertThinking(message, THINK);
    });

    if (platform.name !== 'openai') {
      // A signature only exists where the upstream returns one: Anthropic thinking, Gemini thoughts.
      cell(platform, 'reasoning signature round trip', label, async () => {
        const params = { model: platform.signing, max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 }, tools };
        const first = await send({ ...params, messages: user(WEATHER) }, stream);
        assert.equal(first.content[0].type, 'thinking');
        assertThinking(first, WEATHER);
        const messages = [...user(WEATHER), { role: 'assistant', content: first.content },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: uses(first)[0].id, content: JSON.stringify(TOOL_RESULT) }] }];
        assert.equal(textOf(await send({ ...params, messages }, stream)), TOOL_RESULT_ECHO);
        assertToolTurnReachedUpstream(platform.name, matrix.fakes[platform.name].last.body, { signature: upstreamSignature(platform.name, WEATHER) });
      });
    }

    cell(platform, 'root and /{platform} paths', label, async () => {
      assert.equal(textOf(await send({ model, messages: user(HELLO) }, stream, `/${platform.name}`)), echo());
    });

    cell(platform, 'upstream error', label, async () => {
      await assert.rejects(send({ model, messages: user(FAIL) }, stream), (error) => {
        assertAnthropicError(error, Anthropic.BadRequestError, 400, 'invalid_request_error');
        assert.match(error.message, /asked to FAIL/);
        return true;
      });
    });
  }

  cell(platform, 'upstream error mid-stream', MODES.s, async () => {
    // The upstream fails after its first delta: an `error` event, which the SDK raises as an APIError.
    await assert.rejects(send({ model, messages: user(BREAK) }, true), (error) => {
      assert.ok(error instanceof Anthropic.APIError, `${error.constructor.name}: ${error.message}`);
      assert.equal(error.error?.type, 'error', JSON.stringify(error.error));
      assert.equal(typeof error.error.error?.type, 'string');
      assert.match(error.message, /broke the stream/);
      return true;
    });
  });

  cell(platform, 'image (url)', MODES.ns, async () => {
    const content = [{ type: 'text', text: DESCRIBE }, { type: 'image', source: { type: 'url', url: IMAGE_URL } }];
    assert.equal(textOf(await send({ model, messages: user(content) }, false)), echo({ user: DESCRIBE, images: [URL_SEEN] }));
  });

  cell(platform, 'file (pdf)', MODES.ns, async () => {
    const content = [{ type: 'text', text: DESCRIBE }, { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: PDF } }];
    assert.equal(textOf(await send({ model, messages: user(content) }, false)), echo({ user: DESCRIBE, files: [PDF_SEEN] }));
  });

  cell(platform, 'count tokens', MODES.ns, async () => {
    const counted = await client().messages.countTokens({ model, system: SYSTEM, messages: user(HELLO) });
    // Every platform asks its upstream's own counter (count_tokens, countTokens, input_tokens); each fake counts 42.
    assert.equal(counted.input_tokens, COUNTED_TOKENS);
  });

  cell(platform, 'model list and retrieve', MODES.ns, async () => {
    // Two models a page: the SDK's auto-paging follows after_id (the page's last_id) while has_more.
    const ids = [];
    for await (const listed of client(`/${platform.name}`).models.list({ limit: 2 })) ids.push(listed.id);
    assert.deepEqual(ids, servedModels(platform));
    const one = await client().models.retrieve(model);
    assert.deepEqual(Object.keys(one), ['type', 'id', 'display_name', 'created_at', 'capabilities', 'deprecated_at', 'lifecycle', 'line', 'max_input_tokens', 'max_tokens', 'retires_at']);
    assert.equal(one.id, model);
    assert.match(one.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    if (platform.name === 'claude') assert.equal(one.display_name, 'Claude Sonnet 5.5');
  });

  cell(platform, 'bad licence', MODES.ns, async () => {
    await assert.rejects(client('', 'not-a-licence').messages.create({ model, max_tokens: 64, messages: user(HELLO) }), (error) => {
      assertAnthropicError(error, Anthropic.AuthenticationError, 401, 'authentication_error');
      return true;
    });
  });

  cell(platform, 'bad request', MODES.ns, async () => {
    // max_tokens is required by the Messages API.
    const calls = matrix.fakes[platform.name].requests.length;
    await assert.rejects(client().messages.create({ model, messages: user(HELLO) }), (error) => {
      assertAnthropicError(error, Anthropic.BadRequestError, 400, 'invalid_request_error');
      assert.match(error.message, /max_tokens/);
      return true;
    });
    assert.equal(matrix.fakes[platform.name].requests.length, calls, 'Manifold must refuse it without calling the upstream');
  });

  cell(platform, 'upstream overloaded', MODES.ns, async () => {
    await assert.rejects(client().messages.create({ model: platform.overloaded, max_tokens: 64, messages: user(HELLO) }), (error) => {
      assert.ok(error instanceof Anthropic.InternalServerError, `${error.constructor.name}: ${error.message}`);
      assert.equal(error.error?.type, 'error', JSON.stringify(error.error));
      return true;
    });
  });
}

test('auth by x-api-key, as older clients send it, works too', async () => {
  const platform = PLATFORMS[0];
  const legacy = new Anthropic({ apiKey: null, authToken: null, baseURL: matrix.url, maxRetries: 0,
    defaultHeaders: { 'x-api-key': LICENCE, 'anthropic-version': '2023-06-01' } });
  assert.equal(textOf(await legacy.messages.create({ model: platform.model, max_tokens: 64, messages: user(HELLO) })), echo());
});

const claude = PLATFORMS.find((p) => p.name === 'claude');
if (claude) test('the claude platform sends x-api-key and anthropic-version upstream', async () => {
  await send({ model: claude.model, messages: user(HELLO) }, false);
  const { headers } = matrix.fakes.claude.last;
  assert.equal(headers['x-api-key'], matrix.fakes.claude.key);
  assert.ok(headers['anthropic-version']);
});

test('models.list at the root auto-pages through every platform, each model once; an unknown model is a NotFoundError', async () => {
  const ids = [];
  for await (const listed of client().models.list({ limit: 3 })) ids.push(listed.id);
  assert.equal(new Set(ids).size, ids.length, ids.join(', '));
  assert.deepEqual([...ids].sort(), [...PLATFORMS.flatMap(servedModels), 'sandbox-echo'].sort());
  await assert.rejects(client().models.retrieve('no-such-model'), (error) => {
    assertAnthropicError(error, Anthropic.NotFoundError, 404, 'not_found_error');
    return true;
  });
});
