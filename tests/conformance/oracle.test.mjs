// The vendors' published schemas (tests/schemas) as the oracle, beyond the matrix (whose every answer the proxy
// in lib/matrix.mjs already checks):
// - the stored vendor documents match the checksums recorded with their provenance;
// - every conversion golden (tests/Manifold.Conversion.Tests/Golden/_golden/{source}-to-{target}/) is valid in
//   its SOURCE protocol: a chat-to-messages golden is a Chat Completions answer or stream;
// - Manifold's own answers, no fake involved: the sandbox platform in each protocol (text, streaming, token
//   counts, model lists) and Manifold's own errors (401 bad licence, 404 unknown model, 400 bad JSON).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSchemas } from '../schemas/regenerate.mjs';
import { LICENCE, startManifold } from './lib/manifold.mjs';
import { checkValue, formatViolations } from './lib/oracle.mjs';
import './lib/oracle-ledger.mjs';
import { startOracleProxy } from './lib/oracle-proxy.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const GOLDEN = path.resolve(here, '../Manifold.Conversion.Tests/Golden/_golden');

test('the stored vendor documents match the checksums in tests/schemas (PROVENANCE.md, checksums.json)', () => {
  assert.deepEqual(checkSchemas(), []);
});

// ---- Conversion goldens ----------------------------------------------------------------------------------

/** Each source protocol's schemas: its answer, each stream event, and its error body. */
const SOURCE = {
  chat: { answer: 'openai#/components/schemas/CreateChatCompletionResponse', event: () => 'openai#/components/schemas/CreateChatCompletionStreamResponse',
    error: 'openai#/components/schemas/ErrorResponse' },
  responses: { answer: 'openai#/components/schemas/Response', event: () => 'openai#/components/schemas/ResponseStreamEvent',
    error: 'openai#/components/schemas/ErrorResponse' },
  messages: { answer: 'anthropic/Message#/definitions/Message',
    event: (e) => (e?.type === 'ping' ? null : e?.type === 'error' ? 'anthropic/ErrorResponse#/definitions/ErrorResponse' : 'anthropic/RawMessageStreamEvent#/definitions/RawMessageStreamEvent'),
    error: 'anthropic/ErrorResponse#/definitions/ErrorResponse' },
  gemini: { answer: 'google#/$defs/GenerateContentResponse',
    event: (e) => (e && typeof e === 'object' && 'error' in e ? 'google-rpc#/$defs/ErrorResponse' : 'google#/$defs/GenerateContentResponse'),
    error: 'google-rpc#/$defs/ErrorResponse' },
};

/** Goldens mask the timestamps an encoder made up as "<now>"; the schemas want the number that was there. */
const NOW = 1741569952;
const unmask = (text) => JSON.parse(text, (_, value) => (value === '<now>' ? NOW : value));

const directions = readdirSync(GOLDEN, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
describe('conversion goldens are valid in their source protocol', () => {
  for (const direction of directions) {
    const source = SOURCE[direction.split('-to-')[0]];
    const files = readdirSync(path.join(GOLDEN, direction)).filter((f) => f.endsWith('.json') && !f.endsWith('.request.json') && !f.endsWith('.received.json')).sort();
    for (const kind of ['response', 'stream', 'error']) {
      const mine = files.filter((f) => (kind === 'error' ? /error/.test(f) : f.endsWith(`.${kind}.json`) && !/error/.test(f)));
      if (!mine.length) continue;
      test(`${direction}: ${kind === 'response' ? 'answers' : kind === 'stream' ? 'streams' : 'errors'} (${mine.length})`, () => {
        const problems = new Map(); // one line per distinct violation, with the goldens that have it
        for (const file of mine) {
          const value = unmask(readFileSync(path.join(GOLDEN, direction, file), 'utf8'));
          let violations;
          if (kind === 'stream') {
            violations = value.flatMap((event, i) => {
              const ref = source.event(event);
              return ref ? checkValue(ref, event, `event ${i}${event?.type ? ` (${event.type})` : ''}`) : [];
            });
          } else {
            violations = checkValue(kind === 'error' ? source.error : source.answer, value, 'body');
          }
          for (const v of violations) {
            const line = formatViolations([{ ...v, where: v.where.replace(/^event \d+/, 'event') }]);
            if (!problems.has(line)) problems.set(line, new Set());
            problems.get(line).add(file.replace(/\.(response|stream)\.json$/, ''));
          }
        }
        assert.equal(problems.size, 0, `goldens that break the ${direction.split('-to-')[0]} schema:\n${[...problems]
          .map(([line, names]) => `${line}  (${[...names].join(', ')})`).join('\n')}`);
      });
    }
  }
});

// ---- Manifold's own answers (sandbox platform, Manifold's errors) -----------------------------------------

let manifold;
let proxy;
before(async () => {
  manifold = await startManifold({});
  proxy = await startOracleProxy(manifold.url);
});
after(async () => {
  await proxy?.close();
  await manifold?.stop();
});

const HEADERS = {
  openai: (key = LICENCE) => ({ authorization: `Bearer ${key}` }),
  anthropic: (key = LICENCE) => ({ 'x-api-key': key, 'anthropic-version': '2023-06-01' }),
  gemini: (key = LICENCE) => ({ 'x-goog-api-key': key }),
};

/** Sends a request through the oracle's proxy; the ledger hook fails the test if the answer breaks its schema. */
async function call(method, urlPath, headers, body) {
  const response = await fetch(`${proxy.url}${urlPath}`, {
    method, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const exchange = proxy.exchanges.at(-1);
  assert.ok(exchange?.path === urlPath && exchange.route, `the oracle did not check ${method} ${urlPath}`);
  return { status: response.status, type: response.headers.get('content-type') ?? '', text, exchange };
}

/** Asserts the status; on a wrong one the message also says what the oracle found (the ledger hook says it too). */
function assertStatus(answer, status) {
  const found = answer.exchange.violations.length ? `\nthe oracle: ${answer.exchange.route}\n${formatViolations(answer.exchange.violations)}` : '';
  assert.equal(answer.status, status, `${answer.text.slice(0, 300)}${found}`);
}

const MODEL = 'sandbox-echo';
const PROTOCOLS = {
  chat: {
    vendor: 'openai',
    send: (stream, extra = {}) => ['POST', '/v1/chat/completions', { model: MODEL, messages: [{ role: 'user', content: 'Hello' }], ...(stream ? { stream: true } : {}), ...extra }],
  },
  responses: {
    vendor: 'openai',
    send: (stream, extra = {}) => ['POST', '/v1/responses', { model: MODEL, input: 'Hello', ...(stream ? { stream: true } : {}), ...extra }],
  },
  messages: {
    vendor: 'anthropic',
    send: (stream, extra = {}) => ['POST', '/v1/messages', { model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }], ...(stream ? { stream: true } : {}), ...extra }],
  },
  gemini: {
    vendor: 'gemini',
    send: (stream, extra = {}) => ['POST', `/v1beta/models/${extra.model ?? MODEL}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
      { contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] }],
  },
};

describe('sandbox answers (no fake) are valid in each protocol', () => {
  for (const [name, protocol] of Object.entries(PROTOCOLS)) {
    for (const stream of [false, true]) {
      test(`${name}: text${stream ? ', streaming' : ''}`, async () => {
        const [method, urlPath, body] = protocol.send(stream);
        const answer = await call(method, urlPath, HEADERS[protocol.vendor](), body);
        assertStatus(answer, 200);
        assert.match(answer.type, stream ? /text\/event-stream/ : /application\/json/);
      });
    }
  }

  test('gemini: streaming without alt=sse (one JSON array)', async () => {
    const answer = await call('POST', `/v1beta/models/${MODEL}:streamGenerateContent`, HEADERS.gemini(), { contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] });
    assertStatus(answer, 200);
    assert.ok(Array.isArray(JSON.parse(answer.text)));
  });

  test('messages: count_tokens', async () => {
    const answer = await call('POST', '/v1/messages/count_tokens', HEADERS.anthropic(), { model: MODEL, messages: [{ role: 'user', content: 'Hello' }] });
    assertStatus(answer, 200);
  });

  test('gemini: countTokens', async () => {
    const answer = await call('POST', `/v1beta/models/${MODEL}:countTokens`, HEADERS.gemini(), { contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] });
    assertStatus(answer, 200);
  });

  test('openai: the model list, and one model', async () => {
    const list = await call('GET', '/v1/models', HEADERS.openai());
    assertStatus(list, 200);
    const one = await call('GET', `/v1/models/${MODEL}`, HEADERS.openai());
    assertStatus(one, 200);
  });

  test('anthropic: the model list (anthropic-version), and one model', async () => {
    const list = await call('GET', '/v1/models', HEADERS.anthropic());
    assertStatus(list, 200);
    const one = await call('GET', `/v1/models/${MODEL}`, HEADERS.anthropic());
    assertStatus(one, 200);
  });

  test('gemini: the model list, and one model', async () => {
    const list = await call('GET', '/v1beta/models', HEADERS.gemini());
    assertStatus(list, 200);
    const one = await call('GET', `/v1beta/models/${MODEL}`, HEADERS.gemini());
    assertStatus(one, 200);
  });
});

describe("Manifold's own errors are in each protocol's error shape", () => {
  for (const [name, protocol] of Object.entries(PROTOCOLS)) {
    test(`${name}: 401 bad licence`, async () => {
      const [method, urlPath, body] = protocol.send(false);
      const answer = await call(method, urlPath, HEADERS[protocol.vendor]('not-a-licence'), body);
      assertStatus(answer, 401);
    });

    test(`${name}: 404 unknown model`, async () => {
      const [method, urlPath, body] = protocol.send(false, { model: 'no-such-model' });
      const answer = await call(method, urlPath, HEADERS[protocol.vendor](), body);
      assertStatus(answer, 404);
    });

    test(`${name}: 400 bad JSON`, async () => {
      const [method, urlPath] = protocol.send(false);
      const answer = await call(method, urlPath, HEADERS[protocol.vendor](), '{"model": "sandbox-echo", ');
      assertStatus(answer, 400);
    });
  }
});
