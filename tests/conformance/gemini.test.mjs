// Gemini generateContent through the official `@google/genai` SDK, unmodified (only apiKey and
// httpOptions.baseUrl; it calls /v1/models/...), to each platform: every matrix scenario, streaming
// (?alt=sse) and not, plus what older clients and curl send: /v1beta, ?key=, a JSON-array stream and
// snake_case fields.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, GoogleGenAI } from '@google/genai';
import { LICENCE } from './lib/manifold.mjs';
import { cell, MODES, PLATFORMS, servedModels, startMatrix } from './lib/matrix.mjs';
import { COUNTED_TOKENS } from './lib/fake-model.mjs';
import {
  BREAK, assertToolTurnReachedUpstream, assertUpstreamThinks, DESCRIBE, echo, expectedReasoningTokens, FAIL, HELLO, HISTORY, IMAGE_URL,
  PARALLEL, PDF, PDF_SEEN, PNG, PNG_SEEN, reasoningText, SYSTEM, THINK, TOOL_ARGS, TOOL_RESULT, TOOL_RESULT_ECHO, UPSTREAM_TOOL_IDS,
  upstreamSignature, URL_SEEN, USAGE, WEATHER, WEATHER_TOOL,
} from './lib/scenarios.mjs';

let matrix;
before(async () => { matrix = await startMatrix(); });
after(async () => { await matrix?.stop(); });

const client = (prefix = '', apiKey = LICENCE) => new GoogleGenAI({ apiKey, httpOptions: { baseUrl: `${matrix.url}${prefix}`, timeout: 15_000 } });
const tools = [{ functionDeclarations: [WEATHER_TOOL] }];
const userText = (text) => ({ role: 'user', parts: [{ text }] });

/**
 * Generates, streaming or not, and returns one response: the streamed chunks' parts in order, the
 * last finish reason and the last (complete) usageMetadata.
 */
async function generate(params, stream, prefix = '') {
  if (!stream) {
    const response = await client(prefix).models.generateContent(params);
    return { parts: response.candidates[0].content.parts, content: response.candidates[0].content,
      finishReason: response.candidates[0].finishReason, usage: response.usageMetadata };
  }
  const parts = [];
  let finishReason;
  let usage;
  for await (const chunk of await client(prefix).models.generateContentStream(params)) {
    const candidate = chunk.candidates?.[0];
    parts.push(...(candidate?.content?.parts ?? []));
    finishReason = candidate?.finishReason ?? finishReason;
    usage = chunk.usageMetadata ?? usage;
  }
  return { parts, content: { role: 'model', parts }, finishReason, usage };
}

const textOf = ({ parts }) => parts.filter((p) => typeof p.text === 'string' && !p.thought).map((p) => p.text).join('');
const thoughtOf = ({ parts }) => parts.filter((p) => p.thought).map((p) => p.text ?? '').join('');
const callsOf = ({ parts }) => parts.filter((p) => p.functionCall).map((p) => p.functionCall);

function assertCalls(platform, result, args) {
  const calls = callsOf(result);
  assert.deepEqual(calls.map((c) => c.name), args.map(() => WEATHER_TOOL.name));
  assert.deepEqual(calls.map((c) => c.args), args);
  assert.equal(result.finishReason, 'STOP');
  // Gemini's ids are optional; when Manifold gives them, they are the upstream's and distinct.
  const ids = calls.map((c) => c.id).filter(Boolean);
  assert.equal(new Set(ids).size, ids.length);
  if (ids.length && UPSTREAM_TOOL_IDS[platform.name]) assert.deepEqual(ids, UPSTREAM_TOOL_IDS[platform.name].slice(0, args.length));
}

/** The documented way to answer function calls: the model's content back, then a functionResponse per call. */
function toolTurn(first) {
  const call = callsOf(first)[0];
  return [userText(WEATHER), first.content,
    { role: 'user', parts: [{ functionResponse: { name: call.name, response: TOOL_RESULT, ...(call.id ? { id: call.id } : {}) } }] }];
}

/** Asserts an ApiError whose message is Manifold's Gemini-shaped body {error:{code,message,status}}. */
function assertGeminiError(error, status, googleStatus) {
  assert.ok(error instanceof ApiError, `${error.constructor.name}: ${error.message}`);
  assert.equal(error.status, status);
  const json = error.message.slice(error.message.indexOf('{'));
  const body = JSON.parse(json);
  assert.equal(body.error?.code, status, json);
  if (googleStatus) assert.equal(body.error.status, googleStatus);
  assert.equal(typeof body.error.message, 'string');
  return body.error;
}

async function raw(path, body) {
  const response = await fetch(`${matrix.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

for (const platform of PLATFORMS) {
  const model = platform.model;
  for (const [mode, label] of Object.entries(MODES)) {
    const stream = mode === 's';

    cell(platform, 'text', label, async () => {
      const result = await generate({ model, contents: HELLO }, stream);
      assert.equal(textOf(result), echo());
      assert.equal(result.finishReason, 'STOP');
    });

    cell(platform, 'system prompt', label, async () => {
      // The non-streaming case gives systemInstruction as a string, the streaming one as a Content.
      const systemInstruction = stream ? { parts: [{ text: SYSTEM }] } : SYSTEM;
      assert.equal(textOf(await generate({ model, contents: HELLO, config: { systemInstruction } }, stream)), echo({ system: SYSTEM }));
    });

    cell(platform, 'multi-turn', label, async () => {
      const contents = [userText(HISTORY[0]), { role: 'model', parts: [{ text: HISTORY[1] }] }, userText(HISTORY[2])];
      assert.equal(textOf(await generate({ model, contents }, stream)), echo({ user: HISTORY[2], turns: 2 }));
    });

    cell(platform, 'image (base64)', label, async () => {
      const contents = [{ role: 'user', parts: [{ text: DESCRIBE }, { inlineData: { mimeType: 'image/png', data: PNG } }] }];
      assert.equal(textOf(await generate({ model, contents }, stream)), echo({ user: DESCRIBE, images: [PNG_SEEN] }));
    });

    cell(platform, 'tools', label, async () => {
      assertCalls(platform, await generate({ model, contents: WEATHER, config: { tools } }, stream), TOOL_ARGS.slice(0, 1));
    });

    cell(platform, 'parallel tools', label, async () => {
      assertCalls(platform, await generate({ model, contents: PARALLEL, config: { tools } }, stream), TOOL_ARGS);
    });

    cell(platform, 'tool result', label, async () => {
      const first = await generate({ model, contents: WEATHER, config: { tools } }, stream);
      const second = await generate({ model, contents: toolTurn(first), config: { tools } }, stream);
      assert.equal(textOf(second), TOOL_RESULT_ECHO);
      assertToolTurnReachedUpstream(platform.name, matrix.fakes[platform.name].last.body, { ids: UPSTREAM_TOOL_IDS[platform.name]?.slice(0, 1) });
    });

    cell(platform, 'usage', label, async () => {
      const { usage } = await generate({ model, contents: HELLO }, stream);
      // Gemini semantics: promptTokenCount INCLUDES cachedContentTokenCount; candidatesTokenCount EXCLUDES thoughtsTokenCount.
      const reasoning = expectedReasoningTokens(platform.name);
      assert.equal(usage.promptTokenCount, USAGE.input);
      assert.equal(usage.cachedContentTokenCount, USAGE.cached);
      assert.equal(usage.candidatesTokenCount, USAGE.output - reasoning);
      assert.equal(usage.thoughtsTokenCount ?? 0, reasoning);
      assert.equal(usage.totalTokenCount, USAGE.input + USAGE.output);
    });

    cell(platform, 'reasoning (-thinking)', label, async () => {
      const result = await generate({ model: platform.thinking, contents: THINK }, stream);
      assert.equal(textOf(result), echo({ user: THINK }));
      assertUpstreamThinks(platform.name, matrix.fakes[platform.name].last.body);
      if (platform.name !== 'openai') assert.equal(thoughtOf(result), reasoningText(THINK));
    });

    if (platform.name !== 'openai') {
      // A signature only exists where the upstream returns one: Anthropic thinking, Gemini thoughts.
      cell(platform, 'reasoning signature round trip', label, async () => {
        const config = { tools, thinkingConfig: { includeThoughts: true, thinkingBudget: 2048 } };
        const first = await generate({ model: platform.signing, contents: WEATHER, config }, stream);
        const signature = upstreamSignature(platform.name, WEATHER);
        // thoughtSignature is opaque (a converted answer's carries its issuer for Manifold): what matters is that
        // sending the turn back hands the upstream its own signature.
        assert.ok(first.parts.some((p) => p.thoughtSignature), `no thoughtSignature in ${JSON.stringify(first.parts)}`);
        const second = await generate({ model: platform.signing, contents: toolTurn(first), config }, stream);
        assert.equal(textOf(second), TOOL_RESULT_ECHO);
        assertToolTurnReachedUpstream(platform.name, matrix.fakes[platform.name].last.body, { signature });
      });
    }

    cell(platform, 'root and /{platform} paths', label, async () => {
      assert.equal(textOf(await generate({ model, contents: HELLO }, stream, `/${platform.name}`)), echo());
    });

    cell(platform, 'upstream error', label, async () => {
      await assert.rejects(generate({ model, contents: FAIL }, stream), (error) => {
        const body = assertGeminiError(error, 400, 'INVALID_ARGUMENT');
        assert.match(body.message, /asked to FAIL/);
        return true;
      });
    });
  }

  cell(platform, 'upstream error mid-stream', MODES.s, async () => {
    // The upstream fails after its first chunk: an error chunk, which the SDK raises as an ApiError.
    await assert.rejects(generate({ model, contents: BREAK }, true), (error) => {
      assert.ok(error instanceof ApiError, `${error.constructor.name}: ${error.message}`);
      assert.ok(error.status >= 400, `status ${error.status}`);
      assert.match(error.message, /broke the stream/);
      return true;
    });
  });

  cell(platform, 'image (url)', MODES.ns, async () => {
    const contents = [{ role: 'user', parts: [{ text: DESCRIBE }, { fileData: { mimeType: 'image/png', fileUri: IMAGE_URL } }] }];
    assert.equal(textOf(await generate({ model, contents }, false)), echo({ user: DESCRIBE, images: [URL_SEEN] }));
  });

  cell(platform, 'file (pdf)', MODES.ns, async () => {
    const contents = [{ role: 'user', parts: [{ text: DESCRIBE }, { inlineData: { mimeType: 'application/pdf', data: PDF } }] }];
    assert.equal(textOf(await generate({ model, contents }, false)), echo({ user: DESCRIBE, files: [PDF_SEEN] }));
  });

  cell(platform, 'bad licence', MODES.ns, async () => {
    await assert.rejects(client('', 'not-a-licence').models.generateContent({ model, contents: HELLO }), (error) => {
      assertGeminiError(error, 401, 'UNAUTHENTICATED');
      return true;
    });
  });

  cell(platform, 'bad request', MODES.ns, async () => {
    const calls = matrix.fakes[platform.name].requests.length;
    await assert.rejects(client().models.generateContent({ model, contents: HELLO, config: { temperature: 'hot' } }), (error) => {
      const body = assertGeminiError(error, 400, 'INVALID_ARGUMENT');
      assert.match(body.message, /temperature/);
      return true;
    });
    assert.equal(matrix.fakes[platform.name].requests.length, calls, 'Manifold must refuse it without calling the upstream');
  });

  cell(platform, 'upstream overloaded', MODES.ns, async () => {
    await assert.rejects(client().models.generateContent({ model: platform.overloaded, contents: HELLO }), (error) => {
      assert.ok(error instanceof ApiError && error.status >= 500, `${error.constructor.name} ${error.status}: ${error.message}`);
      return true;
    });
  });

  cell(platform, 'count tokens', MODES.ns, async () => {
    // Every platform asks its upstream's own counter (countTokens, count_tokens, input_tokens); each fake counts 42.
    const counted = await client().models.countTokens({ model, contents: HELLO });
    assert.equal(counted.totalTokens, COUNTED_TOKENS);
  });

  cell(platform, 'model list and get', MODES.ns, async () => {
    // Two models a page: the SDK follows nextPageToken through the platform's list.
    const names = [];
    for await (const listed of await client(`/${platform.name}`).models.list({ config: { pageSize: 2 } })) names.push(listed.name);
    assert.deepEqual(names, servedModels(platform).map((id) => `models/${id}`));
    const one = await client().models.get({ model });
    assert.equal(one.name, `models/${model}`);
    // The SDK calls Google's supportedGenerationMethods supportedActions.
    assert.ok(one.supportedActions.includes('generateContent'), JSON.stringify(one));
    if (platform.name === 'gemini') assert.equal(one.displayName, 'Gemini 2.5 Flash');
  });

  cell(platform, 'v1beta path, ?key= and snake_case (curl)', MODES.ns, async () => {
    const response = await raw(`/v1beta/models/${model}:generateContent?key=${LICENCE}`, {
      contents: [{ role: 'user', parts: [{ text: HELLO }] }],
      system_instruction: { parts: [{ text: SYSTEM }] },
      generation_config: { max_output_tokens: 256 },
    });
    assert.equal(response.status, 200, response.body);
    assert.equal(JSON.parse(response.body).candidates[0].content.parts.map((p) => p.text).join(''), echo({ system: SYSTEM }));
  });

  cell(platform, 'v1beta path, ?key= and snake_case (curl)', MODES.s, async () => {
    // Without alt=sse the stream is one JSON array of GenerateContentResponse chunks.
    const response = await raw(`/v1beta/models/${model}:streamGenerateContent?key=${LICENCE}`, { contents: [{ role: 'user', parts: [{ text: HELLO }] }] });
    assert.equal(response.status, 200, response.body);
    assert.match(response.type, /application\/json/);
    const chunks = JSON.parse(response.body);
    assert.ok(Array.isArray(chunks) && chunks.length > 0);
    assert.equal(chunks.flatMap((c) => c.candidates?.[0]?.content?.parts ?? []).map((p) => p.text ?? '').join(''), echo());
  });
}

test('models.list at the root pages through every platform, each model once; models.get of an unknown model is a 404', async () => {
  const names = [];
  for await (const listed of await client().models.list({ config: { pageSize: 3 } })) names.push(listed.name);
  assert.equal(new Set(names).size, names.length, names.join(', '));
  const expected = [...PLATFORMS.flatMap(servedModels), 'sandbox-echo'].map((id) => `models/${id}`);
  assert.deepEqual([...names].sort(), expected.sort());
  await assert.rejects(client().models.get({ model: 'no-such-model' }), (error) => {
    assertGeminiError(error, 404, 'NOT_FOUND');
    return true;
  });
});

test('an unknown Gemini method is Google-shaped 404, dotted model names and /{platform} included (raw fetch)', async () => {
  for (const path of ['/v1beta/models/gemini-2.5-flash:fooBar', '/v1/models/gemini-2.5-flash:fooBar', '/gemini/v1beta/models/gemini-2.5-flash:fooBar']) {
    const response = await raw(`${path}?key=${LICENCE}`, { contents: [{ role: 'user', parts: [{ text: HELLO }] }] });
    assert.equal(response.status, 404, path);
    assert.match(response.type, /application\/json/);
    const { error } = JSON.parse(response.body);
    assert.deepEqual(Object.keys(error), ['code', 'message', 'status']);
    assert.equal(error.code, 404);
    assert.equal(error.status, 'NOT_FOUND');
  }
});
