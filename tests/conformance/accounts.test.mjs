// The account pool as the official SDKs meet it: a pool whose accounts are all at their max_concurrency answers a 429
// with Retry-After, which the `openai` SDK's own retry honours and gets through once an account is free; a model naming
// account groups (`model|[group]`) is served by those accounts and the upstream gets the bare model; Anthropic's
// `metadata.user_id` keeps a session on one account. The upstream is a loopback OpenAI API that records each call's
// key; every answer, Manifold's and the fake's, is checked against OpenAI's or Anthropic's published schema.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startFakeServer } from './lib/fake-server.mjs';
import { startManifold, LICENCE } from './lib/manifold.mjs';
import './lib/oracle-ledger.mjs';
import { startOracleProxy } from './lib/oracle-proxy.mjs';

const HOLD = 'gpt-hold';

let fake;
let manifold;
let proxy;
let held = [];

before(async () => {
  fake = await startFakeServer(async (request, reply) => {
    if (request.method !== 'POST' || request.path !== '/v1/chat/completions') {
      return reply.json(404, { error: { message: `No route ${request.path}`, type: 'invalid_request_error', param: null, code: null } });
    }
    const { model } = request.body;
    if (model === HOLD) await new Promise((resolve) => held.push(resolve));
    reply.json(200, {
      id: 'chatcmpl-accounts', object: 'chat.completion', created: 1741569952, model,
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!', refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
    });
  }, { vendor: 'openai' });
  manifold = await startManifold({
    Manifold__Platforms__up__Plugin: 'openai',
    Manifold__Platforms__up__BaseUrl: `${fake.origin}/v1`,
    Manifold__Platforms__up__Models__0: 'gpt-*',
    Manifold__Platforms__up__Accounts__0__Key: 'sk-one',
    Manifold__Platforms__up__Accounts__0__Group: 'g1',
    Manifold__Platforms__up__Accounts__0__MaxConcurrency: '1',
    Manifold__Platforms__up__Accounts__1__Key: 'sk-two',
    Manifold__Platforms__up__Accounts__1__Group: 'g2',
    Manifold__Platforms__up__Accounts__1__MaxConcurrency: '1',
  });
  proxy = await startOracleProxy(manifold.url);
});

after(async () => {
  held.forEach((release) => release());
  await proxy?.close();
  await manifold?.stop();
  await fake?.close();
});

const keysSince = (start) => fake.requests.slice(start).map((r) => r.headers.authorization.replace(/^Bearer /, ''));
const chat = (openai, model = 'gpt-4o-mini') => openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] });

async function until(condition, what) {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('every account at its max_concurrency: a 429 with Retry-After, and the SDK\'s own retry gets through once one is free', async () => {
  const start = fake.requests.length;
  const holder = new OpenAI({ apiKey: LICENCE, baseURL: `${proxy.url}/v1`, maxRetries: 0 });
  const busy = [chat(holder, HOLD), chat(holder, HOLD)];
  await until(() => held.length === 2, 'both accounts to be busy');

  const statuses = [];
  const retrying = new OpenAI({
    apiKey: LICENCE, baseURL: `${proxy.url}/v1`, maxRetries: 2,
    // Sees each answer as the SDK does; the first 429 frees the accounts, so the SDK's retry, a Retry-After later, finds one.
    fetch: async (url, init) => {
      const response = await fetch(url, init);
      statuses.push([response.status, response.headers.get('retry-after')]);
      if (response.status === 429) held.splice(0).forEach((release) => release());
      return response;
    },
  });
  const completion = await chat(retrying);

  assert.deepEqual(statuses, [[429, '1'], [200, null]]);
  assert.equal(completion.choices[0].message.content, 'Hello!');
  assert.deepEqual((await Promise.all(busy)).map((c) => c.choices[0].message.content), ['Hello!', 'Hello!']);
  // Two held calls, one on each account, then the retried one: the refused attempt never reached the upstream.
  assert.deepEqual(keysSince(start).slice(0, 2).sort(), ['sk-one', 'sk-two']);
  assert.equal(fake.requests.length - start, 3);
});

test('a model naming a group is served by its accounts, and the upstream gets the bare model', async () => {
  const start = fake.requests.length;
  const openai = new OpenAI({ apiKey: LICENCE, baseURL: `${proxy.url}/v1`, maxRetries: 0 });

  const completions = [await chat(openai, 'gpt-4o-mini|[g2]'), await chat(openai, 'gpt-4o-mini|[g2]')];

  assert.deepEqual(keysSince(start), ['sk-two', 'sk-two']);
  assert.deepEqual(fake.requests.slice(start).map((r) => r.body.model), ['gpt-4o-mini', 'gpt-4o-mini']);
  assert.deepEqual(completions.map((c) => c.model), ['gpt-4o-mini', 'gpt-4o-mini']);
});

test('Anthropic\'s metadata.user_id keeps a session on one account', async () => {
  const start = fake.requests.length;
  const anthropic = new Anthropic({ apiKey: LICENCE, baseURL: proxy.url, maxRetries: 0 });

  for (let i = 0; i < 4; i++) {
    const message = await anthropic.messages.create({
      model: 'gpt-4o-mini', max_tokens: 16, metadata: { user_id: 'user-42' }, messages: [{ role: 'user', content: 'Hi' }],
    });
    assert.equal(message.content[0].text, 'Hello!');
  }

  assert.equal(new Set(keysSince(start)).size, 1, `one account for the session, not ${keysSince(start)}`);
  assert.equal(fake.requests.length - start, 4);
});
