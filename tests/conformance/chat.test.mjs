// OpenAI Chat Completions through the official `openai` SDK, unmodified (only baseURL and apiKey),
// to each platform: every matrix scenario, streaming and not, plus pass-through fidelity on the
// openai platform (identical to a direct call), model routing errors and the model list.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { LICENCE } from './lib/manifold.mjs';
import { DEVIANT_SERVICE_TIER, DEVIATE_TRIGGER } from './lib/fake-model.mjs';
import { attribute, recordManifold, takeFindings } from './lib/oracle-ledger.mjs';
import { parseSSE, validate } from './lib/oracle.mjs';
import { cell, MODES, PLATFORMS, startMatrix } from './lib/matrix.mjs';
import {
  assertToolTurnReachedUpstream, assertUpstreamThinks, DESCRIBE, echo, expectedReasoningTokens, FAIL, HELLO, HISTORY, IMAGE_URL,
  BREAK, PARALLEL, PDF, PDF_SEEN, PNG, PNG_SEEN, reasoningText, SYSTEM, THINK, TOOL_ARGS, TOOL_RESULT, TOOL_RESULT_ECHO,
  UPSTREAM_TOOL_IDS, upstreamSignature, URL_SEEN, USAGE, WEATHER, WEATHER_TOOL,
} from './lib/scenarios.mjs';

let matrix;
before(async () => { matrix = await startMatrix(); });
after(async () => { await matrix?.stop(); });

const client = (prefix = '', apiKey = LICENCE) => new OpenAI({ apiKey, baseURL: `${matrix.url}${prefix}/v1`, maxRetries: 0, timeout: 15_000 });
const tools = [{ type: 'function', function: WEATHER_TOOL }];
const user = (content) => [{ role: 'user', content }];

/** Sends a request streaming or not and returns one assistant message either way, plus the finish reason and usage. */
async function complete(params, stream, prefix = '', options = {}) {
  if (!stream) {
    const completion = await client(prefix).chat.completions.create(params, options);
    return { message: completion.choices[0].message, finish: completion.choices[0].finish_reason, usage: completion.usage, completion };
  }
  const chunks = await client(prefix).chat.completions.create({ ...params, stream: true }, options);
  const message = { role: 'assistant', content: null };
  const calls = [];
  let finish = null;
  let usage = null;
  for await (const chunk of chunks) {
    usage = chunk.usage ?? usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    const delta = choice.delta;
    if (delta.content) message.content = (message.content ?? '') + delta.content;
    if (delta.reasoning_content) message.reasoning_content = (message.reasoning_content ?? '') + delta.reasoning_content;
    if (delta.reasoning_signature) message.reasoning_signature = (message.reasoning_signature ?? '') + delta.reasoning_signature;
    for (const call of delta.tool_calls ?? []) {
      calls[call.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } };
      if (call.id) calls[call.index].id = call.id;
      if (call.function?.name) calls[call.index].function.name += call.function.name;
      if (call.function?.arguments) calls[call.index].function.arguments += call.function.arguments;
    }
    finish = choice.finish_reason ?? finish;
  }
  if (calls.length) message.tool_calls = calls;
  return { message, finish, usage };
}

function assertToolCalls(platform, message, finish, args) {
  assert.equal(finish, 'tool_calls');
  assert.deepEqual(message.tool_calls.map((c) => c.function.name), args.map(() => WEATHER_TOOL.name));
  assert.deepEqual(message.tool_calls.map((c) => JSON.parse(c.function.arguments)), args);
  const ids = message.tool_calls.map((c) => c.id);
  assert.ok(ids.every((id) => typeof id === 'string' && id.length > 0), `tool call ids: ${ids}`);
  assert.equal(new Set(ids).size, ids.length);
  if (UPSTREAM_TOOL_IDS[platform.name]) assert.deepEqual(ids, UPSTREAM_TOOL_IDS[platform.name].slice(0, args.length));
}

for (const platform of PLATFORMS) {
  const model = platform.model;
  for (const [mode, label] of Object.entries(MODES)) {
    const stream = mode === 's';

    cell(platform, 'text', label, async () => {
      const { message, finish } = await complete({ model, messages: user(HELLO) }, stream);
      assert.equal(message.content, echo());
      assert.equal(finish, 'stop');
    });

    cell(platform, 'system prompt', label, async () => {
      // The non-streaming case uses `system`, the streaming one `developer`: both are the system prompt.
      const role = stream ? 'developer' : 'system';
      const { message } = await complete({ model, messages: [{ role, content: SYSTEM }, ...user(HELLO)] }, stream);
      assert.equal(message.content, echo({ system: SYSTEM }));
    });

    cell(platform, 'multi-turn', label, async () => {
      const messages = [{ role: 'user', content: HISTORY[0] }, { role: 'assistant', content: HISTORY[1] }, { role: 'user', content: HISTORY[2] }];
      const { message } = await complete({ model, messages }, stream);
      assert.equal(message.content, echo({ user: HISTORY[2], turns: 2 }));
    });

    cell(platform, 'image (base64)', label, async () => {
      const content = [{ type: 'text', text: DESCRIBE }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }];
      const { message } = await complete({ model, messages: user(content) }, stream);
      assert.equal(message.content, echo({ user: DESCRIBE, images: [PNG_SEEN] }));
    });

    cell(platform, 'tools', label, async () => {
      const { message, finish } = await complete({ model, messages: user(WEATHER), tools }, stream);
      assertToolCalls(platform, message, finish, TOOL_ARGS.slice(0, 1));
    });

    cell(platform, 'parallel tools', label, async () => {
      const { message, finish } = await complete({ model, messages: user(PARALLEL), tools }, stream);
      assertToolCalls(platform, message, finish, TOOL_ARGS);
    });

    cell(platform, 'tool result', label, async () => {
      const first = await complete({ model, messages: user(WEATHER), tools }, stream);
      const messages = [...user(WEATHER), first.message,
        { role: 'tool', tool_call_id: first.message.tool_calls[0].id, content: JSON.stringify(TOOL_RESULT) }];
      const { message, finish } = await complete({ model, messages, tools }, stream);
      assert.equal(message.content, TOOL_RESULT_ECHO);
      assert.equal(finish, 'stop');
      assertToolTurnReachedUpstream(platform.name, matrix.fakes[platform.name].last.body, { ids: UPSTREAM_TOOL_IDS[platform.name]?.slice(0, 1) });
    });

    cell(platform, 'usage', label, async () => {
      const params = { model, messages: user(HELLO), ...(stream ? { stream_options: { include_usage: true } } : {}) };
      const { usage } = await complete(params, stream);
      // OpenAI semantics: prompt_tokens INCLUDES cached tokens, completion_tokens INCLUDES reasoning.
      assert.equal(usage.prompt_tokens, USAGE.input);
      assert.equal(usage.completion_tokens, USAGE.output);
      assert.equal(usage.total_tokens, USAGE.input + USAGE.output);
      assert.equal(usage.prompt_tokens_details?.cached_tokens, USAGE.cached);
      assert.equal(usage.completion_tokens_details?.reasoning_tokens ?? 0, expectedReasoningTokens(platform.name));
    });

    cell(platform, 'reasoning (-thinking)', label, async () => {
      // Chat shows reasoning text only when asked with the return_reasoning_content extra: here in the
      // body when not streaming, in the query string when streaming.
      const { message } = stream
        ? await complete({ model: platform.thinking, messages: user(THINK) }, true, '', { query: { return_reasoning_content: true } })
        : await complete({ model: platform.thinking, messages: user(THINK), return_reasoning_content: true }, false);
      assert.equal(message.content, echo({ user: THINK }));
      assertUpstreamThinks(platform.name, matrix.fakes[platform.name].last.body);
      // Chat Completions upstreams return no reasoning text; Anthropic and Gemini do, as reasoning_content.
      if (platform.name !== 'openai') assert.equal(message.reasoning_content, reasoningText(THINK));
    });

    cell(platform, 'reasoning hidden (close_reasoning_content)', label, async () => {
      const { message } = await complete({ model: platform.thinking, messages: user(THINK), close_reasoning_content: true }, stream);
      assert.equal(message.content, echo({ user: THINK }));
      assert.equal(message.reasoning_content, undefined);
      assert.equal(message.reasoning_signature, undefined);
    });

    cell(platform, 'root and /{platform} paths', label, async () => {
      const { message } = await complete({ model, messages: user(HELLO) }, stream, `/${platform.name}`);
      assert.equal(message.content, echo());
    });

    cell(platform, 'upstream error', label, async () => {
      await assert.rejects(complete({ model, messages: user(FAIL) }, stream), (error) => {
        assert.ok(error instanceof OpenAI.BadRequestError, `${error.constructor.name}: ${error.message}`);
        assert.equal(error.status, 400);
        assert.match(error.message, /asked to FAIL/);
        return true;
      });
    });

    if (platform.name !== 'openai') {
      // A signature only exists where the upstream returns one: Anthropic thinking, Gemini thoughts.
      cell(platform, 'reasoning signature round trip', label, async () => {
        const model = `${platform.signing}-thinking`;
        const first = await complete({ model, messages: user(WEATHER), tools }, stream);
        // The token is Manifold's own (it may wrap the signature with the reasoning); what matters is
        // that echoing the message back hands the upstream its signature.
        assert.equal(typeof first.message.reasoning_signature, 'string');
        assert.ok(first.message.reasoning_signature.length > 0);
        const messages = [...user(WEATHER), first.message,
          { role: 'tool', tool_call_id: first.message.tool_calls[0].id, content: JSON.stringify(TOOL_RESULT) }];
        const { message } = await complete({ model, messages, tools }, stream);
        assert.equal(message.content, TOOL_RESULT_ECHO);
        assertToolTurnReachedUpstream(platform.name, matrix.fakes[platform.name].last.body, { signature: upstreamSignature(platform.name, WEATHER) });
      });
    }
  }

  cell(platform, 'upstream error mid-stream', MODES.s, async () => {
    // The upstream fails after its first delta: the SDK must raise, not end as if the answer were whole.
    await assert.rejects(complete({ model, messages: user(BREAK) }, true), (error) => {
      assert.ok(error instanceof OpenAI.APIError, `${error.constructor.name}: ${error.message}`);
      assert.match(error.message, /broke the stream/);
      return true;
    });
  });

  cell(platform, 'image (url)', MODES.ns, async () => {
    const content = [{ type: 'text', text: DESCRIBE }, { type: 'image_url', image_url: { url: IMAGE_URL } }];
    const { message } = await complete({ model, messages: user(content) }, false);
    assert.equal(message.content, echo({ user: DESCRIBE, images: [URL_SEEN] }));
  });

  cell(platform, 'file (pdf)', MODES.ns, async () => {
    const content = [{ type: 'text', text: DESCRIBE }, { type: 'file', file: { filename: 'doc.pdf', file_data: `data:application/pdf;base64,${PDF}` } }];
    const { message } = await complete({ model, messages: user(content) }, false);
    assert.equal(message.content, echo({ user: DESCRIBE, files: [PDF_SEEN] }));
  });

  cell(platform, 'bad licence', MODES.ns, async () => {
    await assert.rejects(client('', 'not-a-licence').chat.completions.create({ model, messages: user(HELLO) }), (error) => {
      assert.ok(error instanceof OpenAI.AuthenticationError, `${error.constructor.name}: ${error.message}`);
      assert.equal(error.status, 401);
      return true;
    });
  });

  cell(platform, 'bad request', MODES.ns, async () => {
    const calls = matrix.fakes[platform.name].requests.length;
    await assert.rejects(client().chat.completions.create({ model }), (error) => {
      assert.ok(error instanceof OpenAI.BadRequestError, `${error.constructor.name}: ${error.message}`);
      assert.equal(error.status, 400);
      assert.equal(error.param, 'messages');
      return true;
    });
    assert.equal(matrix.fakes[platform.name].requests.length, calls, 'Manifold must refuse it without calling the upstream');
  });

  cell(platform, 'upstream overloaded', MODES.ns, async () => {
    await assert.rejects(client().chat.completions.create({ model: platform.overloaded, messages: user(HELLO) }), (error) => {
      assert.ok(error instanceof OpenAI.InternalServerError, `${error.constructor.name}: ${error.message}`);
      assert.ok(error.status >= 500, `status ${error.status}`);
      return true;
    });
  });
}

// Pass-through fidelity: on a platform that speaks Chat Completions, Manifold's answer is the upstream's.
const direct = () => new OpenAI({ apiKey: matrix.fakes.openai.key, baseURL: matrix.fakes.openai.baseUrl, maxRetries: 0 });
for (const prefix of ['', '/openai']) {
  const where = prefix || 'the root';
  const messages = [{ role: 'system', content: SYSTEM }, ...user(HELLO)];

  test(`pass-through at ${where}: non-streaming is identical to a direct call`, async () => {
    const want = await direct().chat.completions.create({ model: 'gpt-4o-mini', messages });
    const got = await client(prefix).chat.completions.create({ model: 'gpt-4o-mini', messages });
    assert.deepEqual(got, want);
  });

  test(`pass-through at ${where}: the stream (text, tool calls) is identical to a direct call, usage included`, async () => {
    // Chunk for chunk; a field that is null upstream may be left out (the typed relay omits nulls).
    const withoutNulls = (value) => JSON.parse(JSON.stringify(value, (_, v) => (v === null ? undefined : v)));
    const collect = async (chunks) => { const all = []; for await (const chunk of chunks) all.push(withoutNulls(chunk)); return all; };
    for (const extra of [{}, { tools }]) {
      const params = { model: 'gpt-4o-mini', messages, ...extra, stream: true, stream_options: { include_usage: true } };
      assert.deepEqual(await collect(await client(prefix).chat.completions.create(params)), await collect(await direct().chat.completions.create(params)));
    }
  });
}

// The oracle's pass-through attribution: the openai platform relays a Chat Completions answer that breaks the schema
// on purpose (the fake's DEVIATE answer: service_tier "deviant"). The deviation reaches the client unchanged and is
// pinned on the upstream, so it fails no test; a deviation Manifold made itself still does.
if (PLATFORMS.some((p) => p.name === 'openai')) {
  test('oracle: a schema deviation relayed from the upstream is the upstream\'s; Manifold\'s own still fail', async () => {
    const isDeviation = (v) => v.instancePath.endsWith('/service_tier');
    for (const stream of [false, true]) {
      const result = await complete({ model: 'gpt-4o-mini', messages: user(`Please ${DEVIATE_TRIGGER} from the schema.`) }, stream);
      const exchange = matrix.proxy.exchanges.at(-1);
      assert.equal(exchange.path, '/v1/chat/completions');
      // Relayed unchanged: the upstream's out-of-schema value is what the client got, in every chunk.
      const tiers = stream
        ? parseSSE(exchange.bodyText).filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data).service_tier)
        : [result.completion.service_tier];
      assert.ok(tiers.length > 0 && tiers.every((t) => t === DEVIANT_SERVICE_TIER), `service_tier relayed as ${tiers}`);
      // The upstream's answer broke the schema on purpose, and Manifold's violations are exactly the relayed ones.
      const upstream = exchange.upstream.filter((u) => u.family === 'chat');
      assert.equal(upstream.length, 1);
      assert.ok(upstream[0].deliberate);
      assert.ok(upstream[0].violations.length > 0 && upstream[0].violations.every(isDeviation), JSON.stringify(upstream[0].violations));
      assert.ok(exchange.violations.some(isDeviation), `no deviation found in ${JSON.stringify(exchange.violations)}`);
      for (const v of exchange.violations) assert.equal(v.origin, 'upstream', `${v.where} ${v.instancePath} ${v.message}`);
      if (stream) {
        // A deviation Manifold makes itself (here: its answer with `created` dropped from the first chunk) is Manifold's.
        const events = parseSSE(exchange.bodyText);
        const first = JSON.parse(events[0].data);
        delete first.created;
        const bodyText = [`data: ${JSON.stringify(first)}`, ...events.slice(1).map((e) => `data: ${e.data}`)].join('\n\n');
        const { route, violations } = validate({ method: 'POST', path: exchange.path, status: 200, headers: { 'content-type': 'text/event-stream' }, bodyText });
        const attributed = attribute(violations, route.family, exchange.upstream);
        assert.deepEqual(attributed.filter((v) => v.origin === 'manifold').map((v) => `${v.where} ${v.message}`),
          ['event 0 (chat.completion.chunk) must have required property \'created\'']);
        assert.ok(attributed.filter((v) => v.origin === 'upstream').every(isDeviation));
        // ... and fails the test it happens in, naming the request; the relayed deviation does not.
        recordManifold({ ...exchange, route: 'chat, tampered by this self-test', violations: attributed });
        const { failures } = takeFindings();
        assert.equal(failures.length, 1, failures.join('\n'));
        assert.match(failures[0], /POST \/v1\/chat\/completions → 200[^]*must have required property 'created'/);
        assert.doesNotMatch(failures[0], /service_tier/);
      }
    }
  });
}

// A conversation that moves between platforms: each platform gets back only the reasoning signatures it issued
// (Anthropic and Gemini reject any other), which Manifold knows because converted answers tag them with their issuer.
const byName = Object.fromEntries(PLATFORMS.map((p) => [p.name, p]));
if (byName.claude && byName.gemini) {
  const toolTurn = (first) => [...user(WEATHER), first.message,
    { role: 'tool', tool_call_id: first.message.tool_calls[0].id, content: JSON.stringify(TOOL_RESULT) }];

  for (const [mode, label] of Object.entries(MODES)) {
    const stream = mode === 's';

    test(`a conversation moves from claude to gemini 3: no Anthropic signature reaches Gemini (${label})`, async () => {
      const first = await complete({ model: byName.claude.thinking, messages: user(WEATHER), tools }, stream);
      const { message } = await complete({ model: `${byName.gemini.signing}-thinking`, messages: toolTurn(first), tools }, stream);
      assert.equal(message.content, TOOL_RESULT_ECHO);
      const body = matrix.fakes.gemini.last.body;
      assert.ok(!JSON.stringify(body).includes(upstreamSignature('claude', WEATHER)), JSON.stringify(body.contents));
      // Gemini 3 wants a signature on the call: Google's documented stand-in for history it did not produce.
      const call = body.contents.findLast((c) => c.role === 'model').parts.find((p) => p.functionCall);
      assert.equal(call.thoughtSignature, 'skip_thought_signature_validator');
    });

    test(`a conversation moves from gemini 3 to claude: no Gemini signature reaches Anthropic (${label})`, async () => {
      const first = await complete({ model: `${byName.gemini.signing}-thinking`, messages: user(WEATHER), tools }, stream);
      const { message } = await complete({ model: byName.claude.model, messages: toolTurn(first), tools }, stream);
      assert.equal(message.content, TOOL_RESULT_ECHO);
      const body = matrix.fakes.claude.last.body;
      assert.ok(!JSON.stringify(body).includes(upstreamSignature('gemini', WEATHER)), JSON.stringify(body.messages));
      assertToolTurnReachedUpstream('claude', body);
    });
  }
}

test('an unknown model is a NotFoundError (404) with code model_not_found', async () => {
  await assert.rejects(client().chat.completions.create({ model: 'no-such-model', messages: user(HELLO) }), (error) => {
    assert.ok(error instanceof OpenAI.NotFoundError);
    assert.equal(error.code, 'model_not_found');
    return true;
  });
});

test('the model list comes through the SDK', async () => {
  const models = [];
  for await (const model of client().models.list()) models.push(model.id);
  assert.ok(models.includes('sandbox-echo'));
});
