// Metering as an official SDK sees it: `openai` 7.57.0, unmodified, against a Manifold whose admin API is on. A stream
// that did not ask for usage gets none (Manifold asked the upstream for it, read it and stripped it), yet the admin API
// shows the upstream's tokens; a spent quota is the SDK's RateLimitError with code insufficient_quota, not retried.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startFakeOpenAI } from './lib/fake-openai.mjs';
import { startManifold } from './lib/manifold.mjs';
import { HELLO, USAGE } from './lib/scenarios.mjs';
import { platform } from './lib/platforms.mjs';

const ADMIN = 'mf-conformance-admin-key-0123456789abcdef';
let fake;
let manifold;

before(async () => {
  fake = await startFakeOpenAI();
  manifold = await startManifold({
    Manifold__Admin__Key: ADMIN,
    ...platform('openai', 'openai', fake),
    Manifold__Platforms__openai__Models__0: 'gpt-*',
  });
});
after(async () => {
  await manifold?.stop();
  await fake?.close();
});

async function admin(method, path, body) {
  const response = await fetch(`${manifold.url}/admin/api${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** The admin API's rows at `path` once `done` holds: requests are written in batches, within a second of their end. */
async function eventually(path, done) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { data } = await admin('GET', path);
    if (done(data)) return data;
    assert.ok(Date.now() < deadline, `GET ${path} never got there: ${JSON.stringify(data)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('a streamed chat that did not ask for usage gets no usage chunk, and the admin API shows the tokens the upstream reported', async () => {
  const licence = await admin('POST', '/licences', { name: 'conformance-usage' });
  const client = new OpenAI({ apiKey: licence.key, baseURL: `${manifold.url}/v1`, maxRetries: 0, timeout: 15_000 });
  const asked = fake.requests.length;

  const chunks = [];
  for await (const chunk of await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: HELLO }], stream: true })) {
    chunks.push(chunk);
  }

  assert.ok(chunks.length > 1);
  assert.ok(chunks.every((chunk) => chunk.usage == null), 'a chunk carried usage the client did not ask for');
  assert.ok(chunks.every((chunk) => chunk.choices.length === 1), 'the usage-only chunk reached the client');
  assert.equal(chunks.at(-1).choices[0].finish_reason, 'stop');
  // Manifold asked the upstream for the usage all the same.
  const upstream = fake.requests.slice(asked).filter((r) => r.path === '/v1/chat/completions');
  assert.equal(upstream.length, 1);
  assert.equal(upstream[0].body.stream_options?.include_usage, true);

  const [row] = await eventually(`/usage?licence_id=${licence.id}`, (data) => data.length === 1);
  assert.deepEqual(
    { platform: row.platform, model: row.model, requests: row.requests, input: row.input_tokens, output: row.output_tokens, total: row.total_tokens },
    { platform: 'openai', model: 'gpt-4o-mini', requests: 1, input: USAGE.input, output: USAGE.output, total: USAGE.input + USAGE.output },
  );
  const [logged] = await eventually(`/requests?licence_id=${licence.id}`, (data) => data.length === 1);
  assert.equal(logged.usage_source, 'reported');
  assert.equal(logged.status, 200);
});

test('a spent quota is the SDK\'s RateLimitError with code insufficient_quota, and the SDK does not retry it', async () => {
  const licence = await admin('POST', '/licences', { name: 'conformance-quota', quota: { requests: 1 } });
  // The SDK's default: it retries 429s twice, unless the answer says x-should-retry: false.
  const client = new OpenAI({ apiKey: licence.key, baseURL: `${manifold.url}/v1`, timeout: 15_000 });

  await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: HELLO }] });
  const error = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: HELLO }] }).then(
    () => assert.fail('the second request was served'), (e) => e);

  assert.ok(error instanceof OpenAI.RateLimitError, `${error}`);
  assert.equal(error.status, 429);
  assert.equal(error.code, 'insufficient_quota');
  assert.equal(error.type, 'insufficient_quota');
  // A later request of another operation, refused too: once it is in the log, every attempt before it is as well (the
  // log is written in order). A refusal comes before the body is read, so the log knows its operation, not its model.
  await new OpenAI({ apiKey: licence.key, baseURL: `${manifold.url}/v1`, maxRetries: 0 }).responses
    .create({ model: 'gpt-4o-mini', input: HELLO }).catch(() => {});
  const rows = await eventually(`/requests?licence_id=${licence.id}`, (data) => data.some((r) => r.operation === 'createResponse'));
  assert.deepEqual(rows.filter((r) => r.operation === 'createChatCompletion').map((r) => [r.status, r.error_code]), [[429, 'insufficient_quota'], [200, null]]);
});
