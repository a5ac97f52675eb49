// A loopback Gemini upstream answering as the Gemini API documents, under /v1beta and /v1:
// - POST /models/{model}:generateContent: a GenerateContentResponse (candidates[].content.parts with
//   text, functionCall, thought parts; thoughtSignature on the part it belongs to; usageMetadata);
// - POST /models/{model}:streamGenerateContent?alt=sse: the same as `data:` events (a JSON array
//   without alt=sse), usageMetadata on every chunk, the final one complete;
// - POST /models/{model}:countTokens: {totalTokens, promptTokensDetails}, of `contents` or of a whole
//   `generateContentRequest`, which (as Google requires) must name its model inside, as models/{model};
// - GET /models (pageSize 50 by default, at most 1000; pageToken / nextPageToken) and GET /models/{model}, or NOT_FOUND.
// Auth is `x-goog-api-key` (or ?key=); errors are {error:{code,message,status}}. Request fields are
// read in camelCase or snake_case, as the API accepts both. Functions calls carry no id (the API's
// ids are optional), so callers must invent and map their own.
// Like Gemini 3 models, a `gemini-3*` model with thinking requires the thoughtSignature it issued on
// the first functionCall of each model step of the current turn, or the stand-in Google documents for
// history the model did not produce (`skip_thought_signature_validator`); any other signature is a 400.
// Image models (`gemini-*image*`, e.g. gemini-2.5-flash-image, gemini-3-pro-image-preview) answer generateContent with
// an image as Google documents: `inlineData {mimeType: "image/png", data}` (a real PNG of the size the aspect ratio and
// `imageConfig.imageSize` give, see IMAGE_SIZES) after the text part; `generationConfig.responseModalities` (default
// TEXT and IMAGE on these models) picks the parts, `["IMAGE"]` alone gives the image only. Asking a text model for
// IMAGE, an unknown aspect ratio or image size is a 400.
import { startFakeServer } from './fake-server.mjs';
import { png } from './media-files.mjs';
import {
  answer, BREAK_MESSAGE, COUNTED_TOKENS, inlineAttachment, isOurSignature, OVERLOADED_TRIGGER, pieces, USAGE, wantsBreak,
  wantsFailure,
} from './fake-model.mjs';

const SKIP_VALIDATOR = 'skip_thought_signature_validator';
const STATUS = { 400: 'INVALID_ARGUMENT', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 503: 'UNAVAILABLE' };
const ROUTE = /^\/(v1beta|v1)\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/;

/** The models the fake lists, in Google's order; an embedding model among them, as Google's list has. */
export const GEMINI_MODELS = [
  { name: 'models/gemini-2.5-flash', version: '001', displayName: 'Gemini 2.5 Flash', inputTokenLimit: 1048576, outputTokenLimit: 65536,
    supportedGenerationMethods: ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'], thinking: true },
  { name: 'models/text-embedding-004', version: '004', displayName: 'Text Embedding 004', inputTokenLimit: 2048, outputTokenLimit: 1,
    supportedGenerationMethods: ['embedContent'] },
  { name: 'models/gemini-2.5-pro', version: '2.5', displayName: 'Gemini 2.5 Pro', inputTokenLimit: 1048576, outputTokenLimit: 65536,
    supportedGenerationMethods: ['generateContent', 'countTokens'], thinking: true },
  { name: 'models/gemini-3-pro-preview', version: '3-pro-preview', displayName: 'Gemini 3 Pro Preview', inputTokenLimit: 1048576,
    outputTokenLimit: 65536, supportedGenerationMethods: ['generateContent', 'countTokens'], thinking: true },
];

export async function startFakeGemini({ key = 'fake-gemini-key' } = {}) {
  const server = await startFakeServer(async (request, reply) => {
    const error = (code, message, details) => reply.json(code, { error: { code, message, status: STATUS[code], ...(details ? { details } : {}) } });
    const given = request.headers['x-goog-api-key'] ?? request.query.key;
    if (given === undefined) {
      return error(403, 'Method doesn\'t allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.');
    }
    if (given !== key) {
      return error(400, 'API key not valid. Please pass a valid API key.', [{
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com',
        metadata: { service: 'generativelanguage.googleapis.com' },
      }]);
    }
    if (request.method === 'GET') return models(request, reply, error);
    const route = ROUTE.exec(request.path);
    if (request.method !== 'POST' || !route) return error(404, `Requested entity was not found: ${request.method} ${request.path}`);
    const [, , model, method] = route;
    const body = request.body;
    if (!body || typeof body !== 'object') return error(400, 'Invalid JSON payload received.');
    const whole = field(body, 'generateContentRequest', 'generate_content_request');
    if (method === 'countTokens' && whole && !/^models\/[^/]+$/.test(whole.model ?? '')) {
      return error(400, '* CountTokensRequest.generate_content_request.model: unexpected model name format\n');
    }
    let conversation;
    let imaging = null;
    try {
      conversation = decode(model, method === 'countTokens' ? whole ?? body : body);
      if (method !== 'countTokens') imaging = imageOutput(model, field(body, 'generationConfig', 'generation_config'));
    } catch (e) {
      if (e instanceof BadRequest) return error(400, e.message);
      throw e;
    }
    if (method === 'countTokens') return reply.json(200, { totalTokens: COUNTED_TOKENS, promptTokensDetails: [{ modality: 'TEXT', tokenCount: COUNTED_TOKENS }] });
    if (model.includes(OVERLOADED_TRIGGER)) return error(503, 'The model is overloaded. Please try again later.');
    if (wantsFailure(conversation)) return error(400, 'Upstream refused: the request asked to FAIL.');
    const said = answer(conversation, 'gemini', () => undefined);
    let parts = responseParts(conversation, said);
    if (imaging && said.toolCalls.length === 0) parts = await withImage(parts, imaging);
    if (method === 'generateContent') return reply.json(200, chunk(model, parts, said, true));
    said.breaks = wantsBreak(conversation);
    return stream(reply, request.query.alt === 'sse', model, parts, said);
  }, { vendor: 'gemini' });
  return Object.assign(server, { baseUrl: server.origin, key });
}

class BadRequest extends Error {}

/** GET /models and GET /models/{model}, under /v1beta and /v1; page tokens are opaque offsets. */
function models(request, reply, error) {
  const one = /^\/(v1beta|v1)\/models\/([^/:]+)$/.exec(request.path);
  if (one) {
    const model = GEMINI_MODELS.find((m) => m.name === `models/${decodeURIComponent(one[2])}`);
    return model ? reply.json(200, model) : error(404, `models/${decodeURIComponent(one[2])} is not found for API version ${one[1]}, or is not supported for generateContent.`);
  }
  if (!/^\/(v1beta|v1)\/models$/.test(request.path)) return error(404, `Requested entity was not found: GET ${request.path}`);
  const size = request.query.pageSize === undefined || Number(request.query.pageSize) === 0 ? 50 : Math.min(Number(request.query.pageSize), 1000);
  if (!Number.isInteger(size) || size < 0) return error(400, 'Invalid page size.');
  let start = 0;
  if (request.query.pageToken !== undefined) {
    start = Number(Buffer.from(request.query.pageToken, 'base64url').toString());
    if (!Number.isInteger(start) || start < 0) return error(400, 'Invalid page token.');
  }
  const end = start + size;
  const page = { models: GEMINI_MODELS.slice(start, end) };
  if (end < GEMINI_MODELS.length) page.nextPageToken = Buffer.from(String(end)).toString('base64url');
  return reply.json(200, page);
}

const field = (object, camel, snake) => object?.[camel] ?? object?.[snake];

function resultText(response) {
  // A functionResponse.response is a JSON object; {output|result|content: "..."} wraps a plain result.
  const keys = Object.keys(response ?? {});
  if (keys.length === 1 && ['output', 'result', 'content'].includes(keys[0]) && typeof response[keys[0]] === 'string') return response[keys[0]];
  return JSON.stringify(response ?? {});
}

function thinkingOf(config) {
  const thinking = field(config, 'thinkingConfig', 'thinking_config');
  if (!thinking) return false;
  const budget = field(thinking, 'thinkingBudget', 'thinking_budget');
  return field(thinking, 'includeThoughts', 'include_thoughts') === true || (budget !== undefined && budget !== 0)
    || field(thinking, 'thinkingLevel', 'thinking_level') !== undefined;
}

function decode(model, body) {
  const contents = body.contents;
  if (!Array.isArray(contents) || contents.length === 0) throw new BadRequest('* GenerateContentRequest.contents: contents is not specified');
  const config = field(body, 'generationConfig', 'generation_config');
  const thinking = thinkingOf(config);
  const messages = contents.map((content, i) => {
    const role = content.role ?? 'user';
    if (!['user', 'model', 'function'].includes(role)) throw new BadRequest(`* GenerateContentRequest.contents[${i}].role: Please use a valid role: user, model.`);
    const out = { role: role === 'model' ? 'assistant' : 'user', text: '', attachments: [], toolCalls: [], toolResults: [], signatures: [] };
    (content.parts ?? []).forEach((part, j) => {
      const at = `contents[${i}].parts[${j}]`;
      const signature = field(part, 'thoughtSignature', 'thought_signature');
      if (signature !== undefined && signature !== SKIP_VALIDATOR && !isOurSignature('gemini', signature)) throw new BadRequest(`* GenerateContentRequest.${at}.thought_signature: Thought signature is not valid.`);
      const inline = field(part, 'inlineData', 'inline_data');
      const file = field(part, 'fileData', 'file_data');
      const call = field(part, 'functionCall', 'function_call');
      const response = field(part, 'functionResponse', 'function_response');
      if (part.thought === true) return; // a thought summary sent back: context only
      if (typeof part.text === 'string') out.text += part.text;
      else if (inline) out.attachments.push(inlineAttachment(field(inline, 'mimeType', 'mime_type'), inline.data));
      else if (file) out.attachments.push({ url: field(file, 'fileUri', 'file_uri'), mediaType: field(file, 'mimeType', 'mime_type') });
      else if (call) out.toolCalls.push({ id: call.id, name: call.name, args: call.args ?? {}, signature });
      else if (response) out.toolResults.push({ id: response.id, name: response.name, content: resultText(response.response) });
      else if (signature === undefined) throw new BadRequest(`* GenerateContentRequest.${at}.data: required oneof field 'data' must have one initialized field`);
    });
    return out;
  });
  if (thinking && model.startsWith('gemini-3')) checkSignatures(messages);
  const tools = (body.tools ?? []).flatMap((t) => field(t, 'functionDeclarations', 'function_declarations') ?? []).map((f) => f.name);
  const calling = field(field(body, 'toolConfig', 'tool_config'), 'functionCallingConfig', 'function_calling_config');
  const allowed = field(calling, 'allowedFunctionNames', 'allowed_function_names');
  const mode = calling?.mode;
  const system = field(body, 'systemInstruction', 'system_instruction');
  return {
    model,
    system: (system?.parts ?? []).map((p) => p.text ?? '').join('\n'),
    messages,
    tools,
    toolChoice: mode === 'NONE' ? 'none' : allowed?.length === 1 ? { name: allowed[0] } : 'auto',
    thinking,
    includeThoughts: field(field(config, 'thinkingConfig', 'thinking_config'), 'includeThoughts', 'include_thoughts') === true,
  };
}

/** Gemini 3: in the current turn (since the last user text), each model step's first functionCall needs its signature. */
function checkSignatures(messages) {
  const start = messages.findLastIndex((m) => m.role === 'user' && m.text);
  messages.slice(start + 1).forEach((m, offset) => {
    const first = m.toolCalls[0];
    if (first && first.signature === undefined) {
      throw new BadRequest(`Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${first.name}\` , position ${start + 2 + offset}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`);
    }
  });
}

/** The model's parts: a thought summary when includeThoughts asks for it, and the signature on the first answer part. */
function responseParts(conversation, said) {
  const parts = [];
  if (said.reasoning && conversation.includeThoughts) parts.push({ text: said.reasoning.text, thought: true });
  const answerParts = said.toolCalls.length
    ? said.toolCalls.map((c) => ({ functionCall: { name: c.name, args: c.args } }))
    : [{ text: said.text }];
  if (said.reasoning) answerParts[0].thoughtSignature = said.reasoning.signature;
  return [...parts, ...answerParts];
}

// ---- Image output --------------------------------------------------------------------------------------------

/** Pixel sizes per aspect ratio (Google's image generation guide): gemini-2.5-flash-image, and Gemini 3 image models at 1K. */
export const IMAGE_SIZES = {
  flash25: { '1:1': [1024, 1024], '2:3': [832, 1248], '3:2': [1248, 832], '3:4': [864, 1184], '4:3': [1184, 864], '4:5': [896, 1152],
    '5:4': [1152, 896], '9:16': [768, 1344], '16:9': [1344, 768], '21:9': [1536, 672] },
  gemini3: { '1:1': [1024, 1024], '2:3': [848, 1264], '3:2': [1264, 848], '3:4': [896, 1200], '4:3': [1200, 896], '4:5': [928, 1152],
    '5:4': [1152, 928], '9:16': [768, 1376], '16:9': [1376, 768], '21:9': [1584, 672] },
};
const IMAGE_SCALE = { '1K': 1, '2K': 2, '4K': 4 };
export const isImageModel = (model) => /^gemini-.*image/.test(model);

/** What image a request asks for: null (none), or { text, width, height }. Throws BadRequest for what the API refuses. */
function imageOutput(model, config) {
  const modalities = field(config, 'responseModalities', 'response_modalities');
  const asked = Array.isArray(modalities) ? modalities.map((m) => String(m).toUpperCase()) : null;
  const imageModel = isImageModel(model);
  if (!imageModel) {
    if (asked?.includes('IMAGE')) throw new BadRequest(`Model does not support the requested response modalities: ${asked.map((m) => m.toLowerCase()).join(',')}`);
    return null;
  }
  if (asked && !asked.includes('IMAGE')) return null;
  const imageConfig = field(config, 'imageConfig', 'image_config') ?? {};
  const gemini3 = model.startsWith('gemini-3');
  const table = gemini3 ? IMAGE_SIZES.gemini3 : IMAGE_SIZES.flash25;
  const aspectRatio = field(imageConfig, 'aspectRatio', 'aspect_ratio') ?? '1:1';
  if (!table[aspectRatio]) throw new BadRequest(`* GenerateContentRequest.generation_config.image_config.aspect_ratio: unsupported aspect ratio ${JSON.stringify(aspectRatio)}; supported: ${Object.keys(table).join(', ')}.`);
  const imageSize = field(imageConfig, 'imageSize', 'image_size');
  // Only the Gemini 3 image models take imageSize ("1K", "2K", "4K", upper-case K); gemini-2.5-flash-image makes 1K images.
  if (gemini3 && imageSize !== undefined && !IMAGE_SCALE[imageSize]) {
    throw new BadRequest(`* GenerateContentRequest.generation_config.image_config.image_size: unsupported image size ${JSON.stringify(imageSize)}; use "1K", "2K" or "4K".`);
  }
  const scale = gemini3 ? IMAGE_SCALE[imageSize ?? '1K'] : 1;
  const [width, height] = table[aspectRatio].map((d) => d * scale);
  return { text: !asked || asked.includes('TEXT'), width, height };
}

/** The answer's parts with the image after the text (or instead of it, image-only); the signature stays on the first answer part. */
async function withImage(parts, imaging) {
  const picture = await png(imaging.width, imaging.height);
  const image = { inlineData: { mimeType: 'image/png', data: picture.bytes.toString('base64') } };
  if (imaging.text) return [...parts, image];
  const signature = parts.find((p) => !p.thought && p.thoughtSignature)?.thoughtSignature;
  return [...parts.filter((p) => p.thought), { ...image, ...(signature ? { thoughtSignature: signature } : {}) }];
}

function usage(complete) {
  return {
    promptTokenCount: USAGE.input,
    candidatesTokenCount: complete ? USAGE.output - USAGE.reasoning : 2,
    totalTokenCount: complete ? USAGE.input + USAGE.output : USAGE.input + 2,
    cachedContentTokenCount: USAGE.cached,
    thoughtsTokenCount: USAGE.reasoning,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: USAGE.input }],
    cacheTokensDetails: [{ modality: 'TEXT', tokenCount: USAGE.cached }],
  };
}

function chunk(model, parts, said, last) {
  const candidate = { content: { parts, role: 'model' }, index: 0 };
  if (last) candidate.finishReason = 'STOP';
  return { candidates: [candidate], usageMetadata: usage(last), modelVersion: model, responseId: 'fakeGeminiResponse0001' };
}

function stream(reply, sse, model, parts, said) {
  // Text arrives in pieces; a thought part and each function call arrive whole, as Gemini streams them.
  const steps = parts.flatMap((part) => {
    if (part.text === undefined || part.thought) return [[part]];
    return pieces(part.text).map((text, i) => [{ ...part, text, ...(i > 0 ? { thoughtSignature: undefined } : {}) }]);
  }).map((stepParts) => stepParts.map((p) => JSON.parse(JSON.stringify(p))));
  const chunks = steps.map((stepParts, i) => chunk(model, stepParts, said, i === steps.length - 1));
  // A failure after the answer started: an error object as the next chunk, as the API streams it.
  if (said.breaks) chunks.splice(1, chunks.length, { error: { code: 503, message: BREAK_MESSAGE, status: 'UNAVAILABLE' } });
  if (!sse) return reply.json(200, chunks);
  const events = reply.sse('\r\n\r\n');
  for (const c of chunks) events.send(c);
  events.end();
}
