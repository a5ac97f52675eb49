// A loopback OpenAI upstream answering as the API reference documents:
// - POST /v1/chat/completions: chat.completion, or chat.completion.chunk SSE ending in `data: [DONE]`
//   (a usage chunk only when stream_options.include_usage asks for it);
// - POST /v1/responses: a Response object, or the typed SSE event sequence (`event:` lines,
//   sequence_number, no [DONE]), with message / function_call / reasoning output items;
// - POST /v1/responses/input_tokens: {object: "response.input_tokens", input_tokens}; like the API it takes the
//   input fields of a response (model optional) and refuses any other parameter;
// - GET /v1/models, GET /v1/models/{id}: the model list ({object: "list", data}) and one model, or a 404.
// Auth is `Authorization: Bearer <key>`; errors are {error:{message,type,param,code}}. Like the API,
// reasoning models (o*, gpt-5*) refuse Chat's `max_tokens`, and a tool message must answer a tool call.
// A Chat Completions answer to user text containing DEVIATE breaks the published schema on purpose (the oracle's
// pass-through attribution test); every other answer follows it.
// What it answers comes from fake-model.mjs, so it says the same as the other fakes.
import { startFakeServer } from './fake-server.mjs';
import {
  answer, attachmentFromUrl, BREAK_MESSAGE, COUNTED_TOKENS, DEVIANT_SERVICE_TIER, halves, isOurSignature, OVERLOADED_TRIGGER, pieces, USAGE,
  wantsBreak, wantsDeviation, wantsFailure,
} from './fake-model.mjs';

const CREATED = 1741569952;

/** The models the fake lists, as OpenAI's list holds more than one family. */
export const OPENAI_MODELS = ['gpt-4o-mini', 'gpt-5-mini', 'o3', 'text-embedding-3-small'];

/** What POST /v1/responses/input_tokens takes, as its API reference lists it. */
const INPUT_TOKENS_FIELDS = new Set(['model', 'input', 'instructions', 'tools', 'tool_choice', 'parallel_tool_calls', 'reasoning', 'text',
  'previous_response_id', 'conversation', 'truncation']);

export async function startFakeOpenAI({ key = 'sk-fake-openai' } = {}) {
  const server = await startFakeServer((request, reply) => {
    const error = (status, message, type, param = null, code = null) => reply.json(status, { error: { message, type, param, code } });
    if (request.headers.authorization !== `Bearer ${key}`) {
      return error(401, `Incorrect API key provided: ${request.headers.authorization ?? 'none'}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        'invalid_request_error', null, 'invalid_api_key');
    }
    if (request.method === 'GET' && request.path === '/v1/models') {
      return reply.json(200, { object: 'list', data: OPENAI_MODELS.map(openaiModel) });
    }
    const one = /^\/v1\/models\/([^/]+)$/.exec(request.path);
    if (request.method === 'GET' && one) {
      const id = decodeURIComponent(one[1]);
      return OPENAI_MODELS.includes(id) ? reply.json(200, openaiModel(id))
        : error(404, `The model '${id}' does not exist or you do not have access to it.`, 'invalid_request_error', null, 'model_not_found');
    }
    if (request.method !== 'POST' || !['/v1/chat/completions', '/v1/responses', '/v1/responses/input_tokens'].includes(request.path)) {
      return error(404, `Invalid URL (${request.method} ${request.path})`, 'invalid_request_error');
    }
    const body = request.body;
    if (!body || typeof body !== 'object') {
      return error(400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)", 'invalid_request_error');
    }
    if (request.path === '/v1/responses/input_tokens') {
      const unknown = Object.keys(body).find((key) => !INPUT_TOKENS_FIELDS.has(key));
      if (unknown) return error(400, `Unknown parameter: '${unknown}'.`, 'invalid_request_error', unknown, 'unknown_parameter');
      try {
        decodeResponses(body);
      } catch (e) {
        if (e instanceof BadRequest) return error(400, e.message, 'invalid_request_error', e.param, e.code);
        throw e;
      }
      return reply.json(200, { object: 'response.input_tokens', input_tokens: COUNTED_TOKENS });
    }
    if (typeof body.model !== 'string') return error(400, "Missing required parameter: 'model'.", 'invalid_request_error', 'model', 'missing_required_parameter');
    const chat = request.path === '/v1/chat/completions';
    if (chat && body.max_tokens !== undefined && /^(o\d|gpt-5)/.test(body.model)) {
      // Reasoning models take max_completion_tokens only, as the API answers.
      return error(400, "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        'invalid_request_error', 'max_tokens', 'unsupported_parameter');
    }
    if (chat && !Array.isArray(body.messages)) {
      return error(400, "Missing required parameter: 'messages'.", 'invalid_request_error', 'messages', 'missing_required_parameter');
    }
    let conversation;
    try {
      conversation = chat ? decodeChat(body) : decodeResponses(body);
    } catch (e) {
      if (e instanceof BadRequest) return error(400, e.message, 'invalid_request_error', e.param, e.code);
      throw e;
    }
    if (body.model.includes(OVERLOADED_TRIGGER)) {
      return error(503, 'The server is overloaded or not ready yet.', 'server_error', null, null);
    }
    if (wantsFailure(conversation)) {
      return error(400, 'Upstream refused: the request asked to FAIL.', 'invalid_request_error', 'messages', 'fake_failure');
    }
    const said = answer(conversation, 'openai', (i) => (chat ? `call_fakeOpenAI${i + 1}` : `call_fakeResp${i + 1}`));
    said.breaks = wantsBreak(conversation);
    if (chat && wantsDeviation(conversation)) {
      // Out of schema on purpose (DEVIATE): the oracle must pin this on the upstream, not on Manifold.
      said.serviceTier = DEVIANT_SERVICE_TIER;
      reply.deliberate = true;
    }
    if (chat) return body.stream ? streamChat(reply, body, said) : reply.json(200, chatCompletion(body, said));
    return body.stream ? streamResponse(reply, body, conversation, said) : reply.json(200, response(body, conversation, said, 'completed'));
  }, { vendor: 'openai' });
  return Object.assign(server, { baseUrl: `${server.origin}/v1`, key });
}

class BadRequest extends Error {
  constructor(message, param, code = 'invalid_value') {
    super(message);
    this.param = param;
    this.code = code;
  }
}

// ---- Chat Completions ------------------------------------------------------------------------

function openaiModel(id) {
  return { id, object: 'model', created: CREATED, owned_by: id.startsWith('gpt-') || id.startsWith('o') ? 'system' : 'openai' };
}

function textOf(content) {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.filter((p) => p.type === 'text' || p.type === 'input_text' || p.type === 'output_text').map((p) => p.text).join('');
}

function chatAttachments(content, at) {
  if (!Array.isArray(content)) return [];
  return content.flatMap((part, i) => {
    if (part.type === 'image_url') {
      if (typeof part.image_url?.url !== 'string') throw new BadRequest(`Invalid type for '${at}.content[${i}].image_url.url'.`, `${at}.content[${i}].image_url.url`);
      return [attachmentFromUrl(part.image_url.url)];
    }
    if (part.type === 'file') {
      return [attachmentFromUrl(part.file?.file_data ?? part.file?.file_id)];
    }
    if (part.type === 'text') return [];
    throw new BadRequest(`Invalid value: '${part.type}'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal', and 'file'.`, `${at}.content[${i}].type`);
  });
}

function decodeChat(body) {
  const system = [];
  const messages = [];
  body.messages.forEach((m, i) => {
    const at = `messages[${i}]`;
    switch (m.role) {
      case 'system':
      case 'developer':
        system.push(textOf(m.content));
        break;
      case 'user':
        messages.push({ role: 'user', text: textOf(m.content), attachments: chatAttachments(m.content, at) });
        break;
      case 'assistant':
        messages.push({
          role: 'assistant', text: textOf(m.content) ?? '',
          toolCalls: (m.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function?.name, args: JSON.parse(c.function?.arguments || '{}') })),
        });
        break;
      case 'tool':
        if (typeof m.tool_call_id !== 'string') throw new BadRequest(`Missing required parameter: '${at}.tool_call_id'.`, `${at}.tool_call_id`, 'missing_required_parameter');
        if (!messages.some((p) => p.toolCalls?.some((c) => c.id === m.tool_call_id))) {
          throw new BadRequest(`Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.`, `${at}.role`);
        }
        messages.push({ role: 'tool', text: '', toolResults: [{ id: m.tool_call_id, content: textOf(m.content) }] });
        break;
      default:
        throw new BadRequest(`Invalid value: '${m.role}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`, `${at}.role`);
    }
  });
  const choice = body.tool_choice;
  return {
    model: body.model,
    system: system.join('\n'),
    messages,
    tools: (body.tools ?? []).map((t) => t.function?.name),
    toolChoice: typeof choice === 'object' && choice ? { name: choice.function?.name } : choice,
    parallel: body.parallel_tool_calls,
    thinking: false, // Chat Completions returns no reasoning text, only reasoning_tokens in usage
  };
}

function chatUsage() {
  return {
    prompt_tokens: USAGE.input, completion_tokens: USAGE.output, total_tokens: USAGE.input + USAGE.output,
    prompt_tokens_details: { cached_tokens: USAGE.cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: USAGE.reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function chatToolCalls(said) {
  return said.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.args) } }));
}

function chatCompletion(body, said) {
  const message = { role: 'assistant', content: said.text, refusal: null, annotations: [] };
  if (said.toolCalls.length) message.tool_calls = chatToolCalls(said);
  return {
    id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT', object: 'chat.completion', created: CREATED, model: body.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: said.stop }],
    usage: chatUsage(), service_tier: said.serviceTier ?? 'default', system_fingerprint: 'fp_44709d6fcb',
  };
}

function streamChat(reply, body, said) {
  const sse = reply.sse();
  const withUsage = body.stream_options?.include_usage === true;
  const chunk = (delta, finish) => sse.send({
    id: 'chatcmpl-123', object: 'chat.completion.chunk', created: CREATED, model: body.model, service_tier: said.serviceTier ?? 'default',
    system_fingerprint: 'fp_44709d6fcb', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(withUsage ? { usage: null } : {}),
  });
  if (said.toolCalls.length) {
    chunk({ role: 'assistant', content: null, refusal: null }, null);
    said.toolCalls.forEach((call, index) => {
      chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }, null);
      for (const part of halves(JSON.stringify(call.args))) chunk({ tool_calls: [{ index, function: { arguments: part } }] }, null);
    });
  } else {
    chunk({ role: 'assistant', content: '', refusal: null }, null);
    for (const piece of pieces(said.text)) {
      chunk({ content: piece }, null);
      if (said.breaks) {
        // A failure after the answer started: an error object in the stream, and no [DONE].
        sse.send({ error: { message: BREAK_MESSAGE, type: 'server_error', param: null, code: null } });
        return sse.end();
      }
    }
  }
  chunk({}, said.stop);
  if (withUsage) {
    sse.send({ id: 'chatcmpl-123', object: 'chat.completion.chunk', created: CREATED, model: body.model, service_tier: said.serviceTier ?? 'default',
      system_fingerprint: 'fp_44709d6fcb', choices: [], usage: chatUsage() });
  }
  sse.end('data: [DONE]\n\n');
}

// ---- Responses -------------------------------------------------------------------------------

function responsesAttachments(content, at) {
  if (!Array.isArray(content)) return [];
  return content.flatMap((part, i) => {
    switch (part.type) {
      case 'input_text':
      case 'output_text':
      case 'refusal':
        return [];
      case 'input_image':
        if (typeof part.image_url !== 'string' && typeof part.file_id !== 'string') {
          throw new BadRequest(`Missing required parameter: '${at}.content[${i}].image_url'.`, `${at}.content[${i}].image_url`, 'missing_required_parameter');
        }
        return [attachmentFromUrl(part.image_url ?? part.file_id)];
      case 'input_file':
        return [attachmentFromUrl(part.file_data ?? part.file_url ?? part.file_id)];
      default:
        throw new BadRequest(`Invalid value: '${part.type}'.`, `${at}.content[${i}].type`);
    }
  });
}

function decodeResponses(body) {
  const system = body.instructions ? [body.instructions] : [];
  const messages = [];
  const items = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : body.input ?? [];
  if (!Array.isArray(items)) throw new BadRequest("Invalid type for 'input': expected one of a string or an array of input items.", 'input', 'invalid_type');
  items.forEach((item, i) => {
    const at = `input[${i}]`;
    const type = item.type ?? 'message';
    if (type === 'message') {
      if (item.role === 'system' || item.role === 'developer') system.push(textOf(item.content));
      else if (item.role === 'user') messages.push({ role: 'user', text: textOf(item.content), attachments: responsesAttachments(item.content, at) });
      else if (item.role === 'assistant') messages.push({ role: 'assistant', text: textOf(item.content), toolCalls: [] });
      else throw new BadRequest(`Invalid value: '${item.role}'. Supported values are: 'user', 'assistant', 'system', and 'developer'.`, `${at}.role`);
    } else if (type === 'function_call') {
      const call = { id: item.call_id, name: item.name, args: JSON.parse(item.arguments || '{}') };
      const previous = messages.at(-1);
      // Consecutive calls (and the reasoning before them) are one assistant turn.
      if (previous?.role === 'assistant' && !previous.text) previous.toolCalls.push(call);
      else messages.push({ role: 'assistant', text: '', toolCalls: [call] });
    } else if (type === 'function_call_output') {
      if (!messages.some((m) => m.toolCalls?.some((c) => c.id === item.call_id))) {
        throw new BadRequest(`No tool call found for function call output with call_id ${item.call_id}.`, `${at}.call_id`);
      }
      const output = typeof item.output === 'string' ? item.output : textOf(item.output);
      messages.push({ role: 'tool', text: '', toolResults: [{ id: item.call_id, content: output }] });
    } else if (type === 'reasoning') {
      if (item.encrypted_content != null && !isOurSignature('openai', item.encrypted_content)) {
        throw new BadRequest(`The encrypted content for item ${item.id} could not be verified.`, `${at}.encrypted_content`, 'invalid_encrypted_content');
      }
      messages.push({ role: 'assistant', text: '', toolCalls: [], reasoning: item });
    } else {
      throw new BadRequest(`Invalid value: '${type}'.`, `${at}.type`);
    }
  });
  const choice = body.tool_choice;
  const effort = body.reasoning?.effort;
  return {
    model: body.model,
    system: system.join('\n'),
    // Reasoning items are not turns of their own: they ride with the assistant turn that follows.
    messages: messages.filter((m, i) => !(m.reasoning && messages[i + 1]?.role === 'assistant')),
    tools: (body.tools ?? []).filter((t) => t.type === 'function').map((t) => t.name),
    toolChoice: typeof choice === 'object' && choice ? { name: choice.name } : choice,
    parallel: body.parallel_tool_calls,
    thinking: effort != null && effort !== 'none',
  };
}

function responsesUsage() {
  return {
    input_tokens: USAGE.input, input_tokens_details: { cached_tokens: USAGE.cached, cache_write_tokens: 0 },
    output_tokens: USAGE.output, output_tokens_details: { reasoning_tokens: USAGE.reasoning },
    total_tokens: USAGE.input + USAGE.output,
  };
}

/** The output items of an answer, complete. */
function outputItems(body, said) {
  const items = [];
  if (said.reasoning) {
    const item = { id: 'rs_fake0001', type: 'reasoning', summary: [] };
    // Summaries only when asked for; encrypted content only when included, as the API documents.
    if (body.reasoning?.summary) item.summary.push({ type: 'summary_text', text: said.reasoning.text });
    if ((body.include ?? []).includes('reasoning.encrypted_content')) item.encrypted_content = said.reasoning.signature;
    items.push(item);
  }
  if (said.text !== null) {
    items.push({ id: 'msg_fake0001', type: 'message', status: 'completed', role: 'assistant',
      content: [{ type: 'output_text', annotations: [], logprobs: [], text: said.text }] });
  }
  said.toolCalls.forEach((call, i) => items.push({
    id: `fc_fake000${i + 1}`, type: 'function_call', status: 'completed', arguments: JSON.stringify(call.args), call_id: call.id, name: call.name,
  }));
  return items;
}

function response(body, conversation, said, status) {
  const done = status === 'completed';
  return {
    id: 'resp_fake67ccd2bed1ec8190b14f964abc054267', object: 'response', created_at: CREATED, status,
    background: false, completed_at: done ? CREATED + 1 : null, error: null, incomplete_details: null,
    instructions: body.instructions ?? null, max_output_tokens: body.max_output_tokens ?? null, model: body.model,
    output: done ? outputItems(body, said) : [], parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: null, reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
    service_tier: 'default', store: body.store ?? true, temperature: body.temperature ?? 1, text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: body.tool_choice ?? 'auto', tools: body.tools ?? [], top_p: body.top_p ?? 1, truncation: 'disabled',
    metadata: body.metadata ?? {},
    // Not null until known: the schema's usage is an object (its own response.created example says null), so it is left out.
    ...(done ? { usage: responsesUsage() } : {}),
  };
}

function streamResponse(reply, body, conversation, said) {
  const sse = reply.sse();
  let sequence = 0;
  const emit = (type, fields) => sse.send({ type, sequence_number: sequence++, ...fields }, type);
  emit('response.created', { response: response(body, conversation, said, 'in_progress') });
  emit('response.in_progress', { response: response(body, conversation, said, 'in_progress') });
  for (const [output_index, item] of outputItems(body, said).entries()) {
    const item_id = item.id;
    if (item.type === 'reasoning') {
      emit('response.output_item.added', { output_index, item: { ...item, summary: [] } });
      item.summary.forEach((part, summary_index) => {
        emit('response.reasoning_summary_part.added', { item_id, output_index, summary_index, part: { type: 'summary_text', text: '' } });
        for (const delta of pieces(part.text, 2)) emit('response.reasoning_summary_text.delta', { item_id, output_index, summary_index, delta, obfuscation: 'x' });
        emit('response.reasoning_summary_text.done', { item_id, output_index, summary_index, text: part.text });
        emit('response.reasoning_summary_part.done', { item_id, output_index, summary_index, part });
      });
    } else if (item.type === 'message') {
      emit('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', content: [] } });
      const part = item.content[0];
      emit('response.content_part.added', { item_id, output_index, content_index: 0, part: { ...part, text: '' } });
      for (const delta of pieces(part.text)) {
        emit('response.output_text.delta', { item_id, output_index, content_index: 0, delta, logprobs: [], obfuscation: 'x' });
        if (said.breaks) {
          // A failure after the answer started: the documented `error` event ends the stream.
          emit('error', { code: 'server_error', message: BREAK_MESSAGE, param: null });
          return sse.end();
        }
      }
      emit('response.output_text.done', { item_id, output_index, content_index: 0, text: part.text, logprobs: [] });
      emit('response.content_part.done', { item_id, output_index, content_index: 0, part });
    } else {
      emit('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', arguments: '' } });
      for (const delta of halves(item.arguments)) emit('response.function_call_arguments.delta', { item_id, output_index, delta, obfuscation: 'x' });
      emit('response.function_call_arguments.done', { item_id, output_index, name: item.name, arguments: item.arguments });
    }
    emit('response.output_item.done', { output_index, item });
  }
  emit('response.completed', { response: response(body, conversation, said, 'completed') });
  sse.end();
}
