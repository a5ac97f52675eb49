// What every client sends in each scenario, and what the fakes answer to it, so the four test files
// ask the same questions and expect the same answers whatever the client protocol.
import assert from 'node:assert/strict';
import { signatureFor, TOOL_ARGS, USAGE } from './fake-model.mjs';

export { TOOL_ARGS, USAGE };

export const SYSTEM = 'Answer in French.';
export const HELLO = 'Hello there';
export const HISTORY = ['My name is Ada.', 'Hello Ada.', 'What is my name?'];
export const DESCRIBE = 'Describe this.';
export const WEATHER = 'What is the weather in Paris?';
export const PARALLEL = 'Check Paris and Tokyo in parallel.';
export const THINK = 'Think first.';
export const FAIL = 'Please FAIL this request.';
export const BREAK = 'Please BREAK the stream.';
export const TOOL_RESULT = { temp: 21 };

/** A 1x1 PNG. */
export const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
export const PNG_BYTES = Buffer.from(PNG, 'base64').length;
export const IMAGE_URL = 'https://upload.wikimedia.org/wikipedia/commons/4/47/PNG_transparency_demonstration_1.png';
/** A minimal PDF. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n').toString('base64');
export const PDF_BYTES = Buffer.from(PDF, 'base64').length;

export const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

/** The text every fake answers to a plain conversation (see fake-model.mjs echoText). */
export function echo({ system = '-', user = HELLO, images = [], files = [], turns = 0 } = {}) {
  let text = `system=${system}; user=${user}; images=${images.length}`;
  if (images.length) text += ` (${images.join(', ')})`;
  if (files.length) text += `; files=${files.length} (${files.join(', ')})`;
  return `${text}; turns=${turns}`;
}

export const PNG_SEEN = `image/png ${PNG_BYTES}B`;
export const URL_SEEN = `url ${IMAGE_URL}`;
export const PDF_SEEN = `application/pdf ${PDF_BYTES}B`;

/** The fakes' answer once the weather tool's result comes back. */
export const TOOL_RESULT_ECHO = `tool_result get_weather=${JSON.stringify(TOOL_RESULT)}`;

/** The reasoning text the fakes produce when thinking is on. */
export const reasoningText = (user) => `Thinking about: ${user}`;

/** The tool call ids each upstream issues, which Manifold must keep exactly (Gemini issues none). */
export const UPSTREAM_TOOL_IDS = {
  openai: ['call_fakeOpenAI1', 'call_fakeOpenAI2'],
  /** The openai platform serves Responses clients from its Responses upstream, whose call ids differ. */
  'openai/responses': ['call_fakeResp1', 'call_fakeResp2'],
  claude: ['toolu_01FakeAnthropic1', 'toolu_01FakeAnthropic2'],
  gemini: null,
};

/** The signature an upstream issues for a first-turn answer to `user` (a one-message conversation). */
export const upstreamSignature = (platform, user) =>
  signatureFor({ openai: 'openai', claude: 'anthropic', gemini: 'gemini' }[platform], `1:${user}`);

/**
 * The thinking request that reached an upstream, whatever its dialect: true when the upstream was asked
 * to think (reasoning_effort / reasoning.effort / thinking / thinkingConfig).
 */
export function upstreamThinking(platform, body) {
  if (platform === 'openai') return body.reasoning_effort ?? body.reasoning?.effort ?? null;
  if (platform === 'claude') return body.thinking?.type === 'enabled' ? body.thinking.budget_tokens : body.thinking?.type ?? null;
  const config = body.generationConfig?.thinkingConfig ?? body.generation_config?.thinking_config;
  return config ? (config.thinkingBudget ?? config.thinking_budget ?? config.thinkingLevel ?? config.thinking_level ?? config.includeThoughts) : null;
}

/** Asserts an upstream request asked for thinking (any non-off setting). */
export function assertUpstreamThinks(platform, body) {
  const value = upstreamThinking(platform, body);
  assert.ok(value !== null && value !== undefined && value !== 0 && value !== 'none' && value !== 'disabled',
    `${platform} upstream was not asked to think: ${JSON.stringify(body)}`);
}

/**
 * Asserts the second-turn upstream request carries the first turn's tool call with its id and, when
 * `signature` is given, the reasoning signature where the upstream's API puts it.
 */
export function assertToolTurnReachedUpstream(platform, body, { ids, signature } = {}) {
  if (platform === 'openai' && body.messages) {
    const assistant = body.messages.find((m) => m.role === 'assistant');
    assert.ok(assistant?.tool_calls?.length, `no assistant tool_calls upstream: ${JSON.stringify(body.messages)}`);
    const tool = body.messages.filter((m) => m.role === 'tool');
    assert.deepEqual(tool.map((m) => m.tool_call_id), assistant.tool_calls.map((c) => c.id));
    if (ids) assert.deepEqual(assistant.tool_calls.map((c) => c.id), ids);
  } else if (platform === 'openai') {
    const calls = body.input.filter((i) => i.type === 'function_call');
    const outputs = body.input.filter((i) => i.type === 'function_call_output');
    assert.ok(calls.length, `no function_call items upstream: ${JSON.stringify(body.input)}`);
    assert.deepEqual(outputs.map((o) => o.call_id), calls.map((c) => c.call_id));
    if (ids) assert.deepEqual(calls.map((c) => c.call_id), ids);
    if (signature) assert.equal(body.input.find((i) => i.type === 'reasoning')?.encrypted_content, signature);
  } else if (platform === 'claude') {
    const assistant = body.messages.findLast((m) => m.role === 'assistant');
    const uses = assistant.content.filter((b) => b.type === 'tool_use');
    const results = body.messages.at(-1).content.filter((b) => b.type === 'tool_result');
    assert.ok(uses.length, `no tool_use upstream: ${JSON.stringify(body.messages)}`);
    assert.deepEqual(results.map((r) => r.tool_use_id), uses.map((u) => u.id));
    if (ids) assert.deepEqual(uses.map((u) => u.id), ids);
    if (signature) {
      assert.equal(assistant.content[0].type, 'thinking');
      assert.equal(assistant.content[0].signature, signature);
    }
  } else {
    const model = body.contents.findLast((c) => c.role === 'model');
    const calls = model.parts.filter((p) => p.functionCall ?? p.function_call);
    const responses = body.contents.at(-1).parts.map((p) => p.functionResponse ?? p.function_response).filter(Boolean);
    assert.ok(calls.length, `no functionCall upstream: ${JSON.stringify(body.contents)}`);
    assert.deepEqual(responses.map((r) => r.name), calls.map((p) => (p.functionCall ?? p.function_call).name));
    if (signature) assert.equal(calls[0].thoughtSignature ?? calls[0].thought_signature, signature);
  }
}

/** Usage in each client protocol's own terms, for an answer from `platform` (Anthropic reports no reasoning split). */
export function expectedReasoningTokens(platform) {
  return platform === 'claude' ? 0 : USAGE.reasoning;
}
