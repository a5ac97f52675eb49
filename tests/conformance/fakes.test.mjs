// Self-check of the loopback upstreams: each official SDK pointed straight at its fake (no Manifold)
// must parse what the fake answers, so a failure in the matrix is Manifold's, not the fake's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { ApiError, GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { ANTHROPIC_MODELS, startFakeAnthropic } from './lib/fake-anthropic.mjs';
import { GEMINI_MODELS, startFakeGemini } from './lib/fake-gemini.mjs';
import { OPENAI_MODELS, startFakeOpenAI } from './lib/fake-openai.mjs';
// Every answer of the fakes is checked against its vendor's schema (lib/oracle-ledger.mjs fails the test if not).
import './lib/oracle-ledger.mjs';
import {
  BREAK, echo, HELLO, PARALLEL, PNG, PNG_SEEN, reasoningText, SYSTEM, THINK, TOOL_ARGS, TOOL_RESULT, TOOL_RESULT_ECHO, upstreamSignature,
  USAGE, WEATHER, WEATHER_TOOL,
} from './lib/scenarios.mjs';

let openai;
let anthropic;
let gemini;

before(async () => {
  [openai, anthropic, gemini] = await Promise.all([startFakeOpenAI(), startFakeAnthropic(), startFakeGemini()]);
});

after(async () => {
  await Promise.all([openai?.close(), anthropic?.close(), gemini?.close()]);
});

describe('openai SDK straight at fake-openai', () => {
  const client = () => new OpenAI({ apiKey: openai.key, baseURL: openai.baseUrl, maxRetries: 0 });

  test('chat: text, system and image are echoed; usage is OpenAI-shaped', async () => {
    const completion = await client().chat.completions.create({ model: 'gpt-4o-mini', messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: [{ type: 'text', text: HELLO }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }] },
    ] });
    assert.equal(completion.choices[0].message.content, echo({ system: SYSTEM, images: [PNG_SEEN] }));
    assert.equal(completion.usage.prompt_tokens, USAGE.input);
    assert.equal(completion.usage.prompt_tokens_details.cached_tokens, USAGE.cached);
  });

  test('chat: streamed parallel tool calls, then the tool result comes back as text', async () => {
    const tools = [{ type: 'function', function: WEATHER_TOOL }];
    const runner = client().chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: PARALLEL }], tools });
    const message = (await runner.finalChatCompletion()).choices[0].message;
    assert.deepEqual(message.tool_calls.map((c) => JSON.parse(c.function.arguments)), TOOL_ARGS);
    const second = await client().chat.completions.create({ model: 'gpt-4o-mini', tools, messages: [
      { role: 'user', content: WEATHER }, message,
      ...message.tool_calls.slice(0, 1).map((c) => ({ role: 'tool', tool_call_id: c.id, content: JSON.stringify(TOOL_RESULT) })),
    ] });
    assert.equal(second.choices[0].message.content, TOOL_RESULT_ECHO);
  });

  test('chat and responses: an in-stream error reaches the SDK as an APIError', async () => {
    const drain = async (stream) => { for await (const _ of stream) { /* until it throws */ } };
    await assert.rejects(drain(await client().chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: BREAK }] })),
      (error) => error instanceof OpenAI.APIError && /broke/.test(error.message));
    await assert.rejects(drain(await client().responses.create({ model: 'gpt-4o-mini', stream: true, input: BREAK })),
      (error) => error instanceof OpenAI.APIError && /broke/.test(error.message));
  });

  test('models list; responses.inputTokens.count counts, and refuses what input_tokens does not take', async () => {
    const ids = [];
    for await (const model of client().models.list()) ids.push(model.id);
    assert.deepEqual(ids, OPENAI_MODELS);
    const count = await client().responses.inputTokens.count({ model: 'gpt-5-mini', input: HELLO, instructions: SYSTEM });
    assert.deepEqual(count, { object: 'response.input_tokens', input_tokens: 42 });
    await assert.rejects(client().responses.inputTokens.count({ model: 'gpt-5-mini', input: HELLO, max_output_tokens: 5 }),
      (error) => error instanceof OpenAI.BadRequestError && error.code === 'unknown_parameter');
  });

  test('chat: a wrong key is an AuthenticationError', async () => {
    const bad = new OpenAI({ apiKey: 'wrong', baseURL: openai.baseUrl, maxRetries: 0 });
    await assert.rejects(bad.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: HELLO }] }), OpenAI.AuthenticationError);
  });

  test('responses: text, reasoning item with encrypted content, usage details', async () => {
    const response = await client().responses.create({ model: 'gpt-5-mini', instructions: SYSTEM, input: THINK,
      reasoning: { effort: 'low', summary: 'auto' }, include: ['reasoning.encrypted_content'] });
    assert.equal(response.output_text, echo({ system: SYSTEM, user: THINK }));
    const reasoning = response.output.find((i) => i.type === 'reasoning');
    assert.equal(reasoning.summary[0].text, reasoningText(THINK));
    assert.equal(reasoning.encrypted_content, upstreamSignature('openai', THINK));
    assert.equal(response.usage.input_tokens_details.cached_tokens, USAGE.cached);
    assert.equal(response.usage.output_tokens_details.reasoning_tokens, USAGE.reasoning);
  });

  test('responses: the SDK stream helper rebuilds function calls from the event sequence', async () => {
    const events = [];
    const stream = client().responses.stream({ model: 'gpt-4o-mini', input: PARALLEL, tools: [{ type: 'function', strict: false, ...WEATHER_TOOL }] });
    for await (const event of stream) events.push(event);
    const final = await stream.finalResponse();
    assert.deepEqual(events.map((e) => e.sequence_number), events.map((_, i) => i));
    assert.equal(events[0].type, 'response.created');
    assert.equal(events.at(-1).type, 'response.completed');
    const calls = final.output.filter((i) => i.type === 'function_call');
    assert.deepEqual(calls.map((c) => JSON.parse(c.arguments)), TOOL_ARGS);
    const second = await client().responses.create({ model: 'gpt-4o-mini', input: [
      { role: 'user', content: PARALLEL }, ...final.output,
      ...calls.map((c) => ({ type: 'function_call_output', call_id: c.call_id, output: JSON.stringify(TOOL_RESULT) })),
    ] });
    assert.equal(second.output_text, `${TOOL_RESULT_ECHO} ${TOOL_RESULT_ECHO.slice('tool_result '.length)}`);
  });
});

describe('@anthropic-ai/sdk straight at fake-anthropic', () => {
  // The fake demands x-api-key as the Messages API documents; this SDK version sends a Bearer token,
  // so the self-check adds the documented header itself.
  const client = () => new Anthropic({ apiKey: anthropic.key, baseURL: anthropic.baseUrl, maxRetries: 0, defaultHeaders: { 'x-api-key': anthropic.key } });

  test('text with system blocks; usage excludes cache reads from input_tokens', async () => {
    const message = await client().messages.create({ model: 'claude-sonnet-5-5', max_tokens: 256,
      system: [{ type: 'text', text: SYSTEM }], messages: [{ role: 'user', content: HELLO }] });
    assert.equal(message.content[0].text, echo({ system: SYSTEM }));
    assert.equal(message.usage.input_tokens, USAGE.input - USAGE.cached - USAGE.cacheCreation);
    assert.equal(message.usage.cache_read_input_tokens, USAGE.cached);
    assert.ok(anthropic.last.headers['anthropic-version']);
  });

  test('streamed thinking and tool use; the signature and tool_use id round-trip', async () => {
    const tools = [{ name: WEATHER_TOOL.name, description: WEATHER_TOOL.description, input_schema: WEATHER_TOOL.parameters }];
    const thinking = { type: 'enabled', budget_tokens: 2048 };
    const stream = client().messages.stream({ model: 'claude-sonnet-5-5', max_tokens: 4096, thinking, tools, messages: [{ role: 'user', content: WEATHER }] });
    const types = [];
    stream.on('streamEvent', (event) => types.push(event.type));
    const message = await stream.finalMessage();
    assert.deepEqual(types.slice(0, 3), ['message_start', 'content_block_start', 'content_block_delta']);
    assert.equal(types.at(-1), 'message_stop');
    assert.equal(message.content[0].signature, upstreamSignature('claude', WEATHER));
    assert.deepEqual(message.content[1].input, TOOL_ARGS[0]);
    const second = await client().messages.create({ model: 'claude-sonnet-5-5', max_tokens: 4096, thinking, tools, messages: [
      { role: 'user', content: WEATHER }, { role: 'assistant', content: message.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: message.content[1].id, content: JSON.stringify(TOOL_RESULT) }] },
    ] });
    assert.equal(second.content.at(-1).text, TOOL_RESULT_ECHO);
  });

  test('the raw stream names every event, pings included, and ends with message_stop', async () => {
    const response = await fetch(`${anthropic.baseUrl}/v1/messages`, { method: 'POST',
      headers: { 'x-api-key': anthropic.key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-5-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content: HELLO }] }) });
    const events = (await response.text()).split('\n').filter((l) => l.startsWith('event: ')).map((l) => l.slice(7));
    assert.deepEqual(events, ['message_start', 'content_block_start', 'ping', 'content_block_delta', 'content_block_delta',
      'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
  });

  test('an error event mid-stream reaches the SDK as an APIError of its type', async () => {
    const stream = await client().messages.create({ model: 'claude-sonnet-5-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content: BREAK }] });
    await assert.rejects((async () => { for await (const _ of stream) { /* until it throws */ } })(),
      (error) => error instanceof Anthropic.APIError && error.error?.error?.type === 'overloaded_error');
  });

  test('dropping the thinking block before tool_use is a 400, as the API answers', async () => {
    const thinking = { type: 'enabled', budget_tokens: 2048 };
    await assert.rejects(client().messages.create({ model: 'claude-sonnet-5-5', max_tokens: 4096, thinking, messages: [
      { role: 'user', content: WEATHER },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_x', name: 'get_weather', input: TOOL_ARGS[0] }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: '21' }] },
    ] }), Anthropic.BadRequestError);
  });

  test('a missing x-api-key is an AuthenticationError; count_tokens answers', async () => {
    const bearerOnly = new Anthropic({ apiKey: anthropic.key, baseURL: anthropic.baseUrl, maxRetries: 0 });
    await assert.rejects(bearerOnly.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 16, messages: [{ role: 'user', content: HELLO }] }),
      Anthropic.AuthenticationError);
    const count = await client().messages.countTokens({ model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: HELLO }] });
    assert.equal(count.input_tokens, 42);
  });

  test('models: auto-paging by after_id walks the list; retrieve answers one or a NotFoundError', async () => {
    const ids = [];
    for await (const model of client().models.list({ limit: 2 })) ids.push(model.id);
    assert.deepEqual(ids, ANTHROPIC_MODELS.map((m) => m.id));
    assert.equal(anthropic.last.query.after_id, 'claude-opus-4-1');
    assert.equal((await client().models.retrieve('claude-opus-4-1')).display_name, 'Claude Opus 4.1');
    await assert.rejects(client().models.retrieve('claude-nope'), Anthropic.NotFoundError);
  });
});

describe('@google/genai straight at fake-gemini', () => {
  const client = () => new GoogleGenAI({ apiKey: gemini.key, httpOptions: { baseUrl: gemini.baseUrl } });

  test('text with a system instruction and an inline image; Gemini usage', async () => {
    const response = await client().models.generateContent({ model: 'gemini-2.5-flash',
      contents: [{ role: 'user', parts: [{ text: HELLO }, { inlineData: { mimeType: 'image/png', data: PNG } }] }],
      config: { systemInstruction: SYSTEM } });
    assert.equal(response.text, echo({ system: SYSTEM, images: [PNG_SEEN] }));
    assert.equal(response.usageMetadata.cachedContentTokenCount, USAGE.cached);
    assert.equal(response.usageMetadata.thoughtsTokenCount, USAGE.reasoning);
    assert.equal(gemini.last.headers['x-goog-api-key'], gemini.key);
  });

  test('streamed thought and function call (Gemini 3): the signature must come back', async () => {
    const config = { tools: [{ functionDeclarations: [WEATHER_TOOL] }], thinkingConfig: { includeThoughts: true, thinkingBudget: 2048 } };
    const parts = [];
    for await (const chunk of await client().models.generateContentStream({ model: 'gemini-3-pro-preview', contents: WEATHER, config })) {
      parts.push(...chunk.candidates[0].content.parts);
    }
    assert.equal(parts[0].thought, true);
    assert.equal(parts[1].thoughtSignature, upstreamSignature('gemini', WEATHER));
    const call = parts[1].functionCall;
    assert.deepEqual(call.args, TOOL_ARGS[0]);
    const turn = (model) => [{ role: 'user', parts: [{ text: WEATHER }] }, { role: 'model', parts: model },
      { role: 'user', parts: [{ functionResponse: { name: call.name, response: TOOL_RESULT } }] }];
    const second = await client().models.generateContent({ model: 'gemini-3-pro-preview', contents: turn(parts), config });
    assert.equal(second.text, TOOL_RESULT_ECHO);
    const unsigned = parts.map(({ thoughtSignature, ...rest }) => rest);
    await assert.rejects(client().models.generateContent({ model: 'gemini-3-pro-preview', contents: turn(unsigned), config }),
      (error) => error instanceof ApiError && error.status === 400);
  });

  test('an error chunk mid-stream reaches the SDK as an ApiError with its code', async () => {
    const stream = await client().models.generateContentStream({ model: 'gemini-2.5-flash', contents: BREAK });
    await assert.rejects((async () => { for await (const _ of stream) { /* until it throws */ } })(),
      (error) => error instanceof ApiError && error.status === 503);
  });

  test('models: list pages by token, get names one model, countTokens counts contents', async () => {
    const names = [];
    for await (const model of await client().models.list({ config: { pageSize: 3 } })) names.push(model.name);
    assert.deepEqual(names, GEMINI_MODELS.map((m) => m.name));
    assert.ok(gemini.last.query.pageToken);
    assert.equal((await client().models.get({ model: 'gemini-2.5-pro' })).displayName, 'Gemini 2.5 Pro');
    assert.equal((await client().models.countTokens({ model: 'gemini-2.5-flash', contents: HELLO })).totalTokens, 42);
    assert.equal(gemini.last.path, '/v1/models/gemini-2.5-flash:countTokens');
  });

  test('a wrong key is a 400 API_KEY_INVALID; the SDK calls /v1', async () => {
    const bad = new GoogleGenAI({ apiKey: 'wrong', httpOptions: { baseUrl: gemini.baseUrl } });
    await assert.rejects(bad.models.generateContent({ model: 'gemini-2.5-flash', contents: HELLO }), (error) => {
      assert.ok(error instanceof ApiError);
      assert.equal(JSON.parse(error.message).error.status, 'INVALID_ARGUMENT');
      return true;
    });
    assert.match(gemini.last.path, /^\/v1\/models\/gemini-2\.5-flash:generateContent$/);
  });
});
