// A loopback Anthropic upstream answering as the Messages API documents:
// - POST /v1/messages: a Message, or the SSE sequence message_start, then per content block
//   content_block_start / content_block_delta (text_delta, input_json_delta, thinking_delta,
//   signature_delta) / content_block_stop, with a ping after the first content_block_start, then
//   message_delta (stop_reason, cumulative usage) and message_stop;
// - POST /v1/messages/count_tokens: {input_tokens}; like the API it refuses what only creating a message takes
//   (max_tokens, sampling, stream: "Extra inputs are not permitted");
// - GET /v1/models (limit 1-1000, default 20; after_id / before_id cursors; has_more, first_id, last_id) and
//   GET /v1/models/{model_id}, or a not_found_error.
// Requires `x-api-key` and `anthropic-version` (any version); errors are {type:"error",error:{type,message},request_id}.
// Answers carry every field the SDK's types declare (null where it does not apply), as the oracle checks.
// Like the API, it checks thinking: when thinking is on, a final assistant turn that used tools must
// start with a thinking block, and signatures must be ones it issued.
import { startFakeServer } from './fake-server.mjs';
import {
  answer, BREAK_MESSAGE, COUNTED_TOKENS, halves, inlineAttachment, isOurSignature, OVERLOADED_TRIGGER, pieces, USAGE, wantsBreak,
  wantsFailure,
} from './fake-model.mjs';

const REQUEST_ID = 'req_fake011CSHoEeqs5C35K2UUqR7Fy';
const ERROR_TYPES = { 400: 'invalid_request_error', 401: 'authentication_error', 404: 'not_found_error', 529: 'overloaded_error' };

/** The models the fake lists, newest first as Anthropic lists them. */
// Every field the SDK's ModelInfo declares, as today's API answers.
const MODEL_FIELDS = { capabilities: null, deprecated_at: null, lifecycle: 'active', line: null, max_input_tokens: 200000, max_tokens: 64000, retires_at: null };
export const ANTHROPIC_MODELS = [
  { type: 'model', id: 'claude-sonnet-5-5', display_name: 'Claude Sonnet 5.5', created_at: '2026-09-29T00:00:00Z', ...MODEL_FIELDS },
  { type: 'model', id: 'claude-opus-4-1', display_name: 'Claude Opus 4.1', created_at: '2025-08-05T00:00:00Z', ...MODEL_FIELDS },
  { type: 'model', id: 'claude-3-5-haiku-20241022', display_name: 'Claude Haiku 3.5', created_at: '2024-10-22T00:00:00Z', ...MODEL_FIELDS,
    lifecycle: 'deprecated', deprecated_at: '2026-02-19T00:00:00Z', retires_at: '2026-10-22T00:00:00Z' },
];

/** Fields of a create-message body that a count_tokens body may not hold. */
const GENERATION_ONLY = ['max_tokens', 'stream', 'temperature', 'top_p', 'top_k', 'stop_sequences', 'metadata', 'service_tier'];

export async function startFakeAnthropic({ key = 'sk-ant-fake' } = {}) {
  const server = await startFakeServer((request, reply) => {
    const error = (status, message) => reply.json(status, { type: 'error', error: { type: ERROR_TYPES[status], message }, request_id: REQUEST_ID },
      { 'request-id': REQUEST_ID });
    if (request.headers['x-api-key'] === undefined) return error(401, 'x-api-key header is required');
    if (request.headers['x-api-key'] !== key) return error(401, 'invalid x-api-key');
    if (!request.headers['anthropic-version']) return error(400, 'anthropic-version: header is required');
    if (request.method === 'GET' && request.path === '/v1/models') return listModels(request.query, reply, error);
    const one = /^\/v1\/models\/([^/]+)$/.exec(request.path);
    if (request.method === 'GET' && one) {
      const model = ANTHROPIC_MODELS.find((m) => m.id === decodeURIComponent(one[1]));
      return model ? reply.json(200, model) : error(404, `model: ${decodeURIComponent(one[1])}`);
    }
    if (request.method !== 'POST' || !['/v1/messages', '/v1/messages/count_tokens'].includes(request.path)) {
      return error(404, `Not found: ${request.method} ${request.path}`);
    }
    const body = request.body;
    if (!body || typeof body !== 'object') return error(400, 'There was an error parsing the body of your request.');
    const counting = request.path === '/v1/messages/count_tokens';
    if (typeof body.model !== 'string') return error(400, 'model: Field required');
    const extra = counting && GENERATION_ONLY.find((field) => body[field] !== undefined);
    if (extra) return error(400, `${extra}: Extra inputs are not permitted`);
    if (!counting && body.max_tokens === undefined) return error(400, 'max_tokens: Field required');
    if (!counting && !(Number.isInteger(body.max_tokens) && body.max_tokens >= 1)) return error(400, 'max_tokens: Input should be greater than or equal to 1');
    if (!Array.isArray(body.messages)) return error(400, 'messages: Field required');
    let conversation;
    try {
      conversation = decode(body);
    } catch (e) {
      if (e instanceof BadRequest) return error(400, e.message);
      throw e;
    }
    if (counting) return reply.json(200, { input_tokens: COUNTED_TOKENS });
    if (body.model.includes(OVERLOADED_TRIGGER)) return error(529, 'Overloaded');
    if (wantsFailure(conversation)) return error(400, 'Upstream refused: the request asked to FAIL.');
    const said = answer(conversation, 'anthropic', (i) => `toolu_01FakeAnthropic${i + 1}`);
    said.breaks = wantsBreak(conversation);
    const content = blocks(said);
    return body.stream ? stream(reply, body, content, said) : reply.json(200, message(body, content, said, true));
  }, { vendor: 'anthropic' });
  return Object.assign(server, { baseUrl: server.origin, key });
}

class BadRequest extends Error {}

/** GET /v1/models as Anthropic pages it: `limit` items after `after_id` or before `before_id`. */
function listModels(query, reply, error) {
  const limit = query.limit === undefined ? 20 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return error(400, 'limit: Input should be greater than or equal to 1 and less than or equal to 1000');
  const ids = ANTHROPIC_MODELS.map((m) => m.id);
  let start = 0;
  let end = ids.length;
  if (query.before_id !== undefined) {
    end = ids.indexOf(query.before_id);
    if (end < 0) return error(400, `before_id: unknown id ${query.before_id}`);
    start = Math.max(0, end - limit);
  } else {
    if (query.after_id !== undefined) {
      start = ids.indexOf(query.after_id) + 1;
      if (start === 0) return error(400, `after_id: unknown id ${query.after_id}`);
    }
    end = Math.min(ids.length, start + limit);
  }
  const data = ANTHROPIC_MODELS.slice(start, end);
  const hasMore = query.before_id !== undefined ? start > 0 : end < ids.length;
  return reply.json(200, { data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
}

function textOf(content) {
  if (typeof content === 'string') return content;
  return (content ?? []).filter((b) => b.type === 'text').map((b) => b.text).join('');
}

function checkSignature(block, at) {
  if (typeof block.signature !== 'string' || !isOurSignature('anthropic', block.signature)) {
    throw new BadRequest(`${at}.signature: Invalid \`signature\` in \`thinking\` block`);
  }
}

function decode(body) {
  const thinking = ['enabled', 'adaptive', 'between_tools'].includes(body.thinking?.type);
  if (body.thinking?.type === 'enabled') {
    if (!(body.thinking.budget_tokens >= 1024)) throw new BadRequest('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
    if (body.max_tokens !== undefined && !(body.max_tokens > body.thinking.budget_tokens)) {
      throw new BadRequest('`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size');
    }
  }
  const messages = body.messages.map((m, i) => {
    const at = `messages.${i}.content`;
    if (m.role !== 'user' && m.role !== 'assistant') throw new BadRequest(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    const content = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
    if (!Array.isArray(content)) throw new BadRequest(`${at}: Input should be a valid list`);
    const out = { role: m.role, text: textOf(content), attachments: [], toolCalls: [], toolResults: [] };
    content.forEach((block, j) => {
      switch (block.type) {
        case 'text':
          break;
        case 'image':
        case 'document':
          if (block.source?.type === 'base64') out.attachments.push(inlineAttachment(block.source.media_type, block.source.data));
          else if (block.source?.type === 'url') out.attachments.push({ url: block.source.url, ...(block.type === 'document' ? { mediaType: 'application/pdf' } : {}) });
          else throw new BadRequest(`${at}.${j}.${block.type}.source: Input tag '${block.source?.type}' found using 'type' does not match any of the expected tags: 'base64', 'url'`);
          break;
        case 'tool_use':
          if (m.role !== 'assistant') throw new BadRequest(`${at}.${j}: tool_use blocks are only allowed in assistant messages`);
          out.toolCalls.push({ id: block.id, name: block.name, args: block.input });
          break;
        case 'tool_result':
          out.toolResults.push({ id: block.tool_use_id, content: typeof block.content === 'string' ? block.content : textOf(block.content) });
          break;
        case 'thinking':
          checkSignature(block, `${at}.${j}`);
          break;
        case 'redacted_thinking':
          break;
        default:
          throw new BadRequest(`${at}.${j}: Input tag '${block.type}' found using 'type' does not match any of the expected tags`);
      }
    });
    return out;
  });
  // Every tool_result must answer a tool_use of the assistant turn right before it, as the API checks.
  messages.forEach((m, i) => {
    for (const result of m.toolResults) {
      if (!messages[i - 1]?.toolCalls.some((c) => c.id === result.id)) {
        throw new BadRequest(`messages.${i}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${result.id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`);
      }
    }
  });
  const lastAssistant = body.messages.findLastIndex((m) => m.role === 'assistant');
  if (thinking && lastAssistant >= 0 && messages[lastAssistant].toolCalls.length) {
    const first = body.messages[lastAssistant].content[0];
    if (first?.type !== 'thinking' && first?.type !== 'redacted_thinking') {
      throw new BadRequest(`messages.${lastAssistant}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${first?.type}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns.`);
    }
  }
  const system = typeof body.system === 'string' ? body.system : (body.system ?? []).map((b) => b.text).join('\n');
  const choice = body.tool_choice;
  return {
    model: body.model,
    system,
    messages,
    tools: (body.tools ?? []).map((t) => t.name),
    toolChoice: choice?.type === 'tool' ? { name: choice.name } : choice?.type === 'none' ? 'none' : 'auto',
    parallel: choice?.disable_parallel_tool_use !== true,
    thinking,
  };
}

function blocks(said) {
  const content = [];
  if (said.reasoning) content.push({ type: 'thinking', thinking: said.reasoning.text, signature: said.reasoning.signature });
  if (said.text !== null) content.push({ type: 'text', text: said.text });
  for (const call of said.toolCalls) content.push({ type: 'tool_use', id: call.id, caller: { type: 'direct' }, name: call.name, input: call.args });
  return content;
}

function usage(complete) {
  return {
    input_tokens: USAGE.input - USAGE.cached - USAGE.cacheCreation,
    cache_creation_input_tokens: USAGE.cacheCreation, cache_read_input_tokens: USAGE.cached,
    cache_creation: { ephemeral_5m_input_tokens: USAGE.cacheCreation, ephemeral_1h_input_tokens: 0 },
    output_tokens: complete ? USAGE.output : 1, output_tokens_details: null, server_tool_use: null,
    service_tier: 'standard', inference_geo: null, speed: null,
  };
}

function message(body, content, said, complete) {
  return {
    id: 'msg_fake01XFDUDYJgAACzvnptvVoYEL', type: 'message', role: 'assistant', model: body.model,
    content: complete ? content : [],
    stop_reason: complete ? (said.stop === 'tool_calls' ? 'tool_use' : 'end_turn') : null, stop_sequence: null, stop_details: null,
    container: null, diagnostics: null,
    usage: usage(complete),
  };
}

function stream(reply, body, content, said) {
  const sse = reply.sse();
  const emit = (type, fields) => sse.send({ type, ...fields }, type);
  emit('message_start', { message: message(body, content, said, false) });
  const start = (index, content_block) => {
    emit('content_block_start', { index, content_block });
    if (index === 0) emit('ping', {});
  };
  for (const [index, block] of content.entries()) {
    if (block.type === 'thinking') {
      start(index, { type: 'thinking', thinking: '', signature: '' });
      for (const thinking of pieces(block.thinking, 2)) emit('content_block_delta', { index, delta: { type: 'thinking_delta', thinking } });
      emit('content_block_delta', { index, delta: { type: 'signature_delta', signature: block.signature } });
    } else if (block.type === 'text') {
      start(index, { type: 'text', text: '' });
      for (const text of pieces(block.text)) {
        emit('content_block_delta', { index, delta: { type: 'text_delta', text } });
        if (said.breaks) {
          // A failure after the answer started: the documented `error` event ends the stream.
          emit('error', { error: { type: 'overloaded_error', message: BREAK_MESSAGE }, request_id: REQUEST_ID });
          return sse.end();
        }
      }
    } else {
      start(index, { type: 'tool_use', id: block.id, caller: block.caller, name: block.name, input: {} });
      for (const partial_json of halves(JSON.stringify(block.input))) emit('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } });
    }
    emit('content_block_stop', { index });
  }
  const { input_tokens, cache_creation_input_tokens, cache_read_input_tokens } = usage(true);
  emit('message_delta', {
    delta: { stop_reason: said.stop === 'tool_calls' ? 'tool_use' : 'end_turn', stop_sequence: null, stop_details: null, container: null },
    usage: { input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens: USAGE.output },
  });
  emit('message_stop', {});
  sse.end();
}
