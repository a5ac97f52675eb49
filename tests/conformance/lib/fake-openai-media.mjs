// A loopback OpenAI media upstream (what a `sora` platform, or an openai platform's images, talks to; its base URL
// ends in /v1), answering as tests/schemas/openai/openapi.yaml describes:
//
// Videos (the Sora Videos API):
// - POST /v1/videos, multipart/form-data (what the SDK always sends, chunked when a file streams from disk) or JSON:
//   model (sora-2 | sora-2-pro | their dated snapshots; default sora-2), prompt (required, 1..32000 chars),
//   seconds ("4" | "8" | "12", default "4"), size (720x1280 | 1280x720, and 1024x1792 | 1792x1024 for sora-2-pro
//   only; default 720x1280), input_reference as a file part (JPEG/PNG/WebP of exactly `size`, else 400 "Inpaint image
//   must match the requested width and height"), or as `input_reference[image_url]` / `[file_id]` (JSON: an object);
//   anything else is a 400 naming the parameter. The job then advances over time, not per poll: queued for the first
//   20% of `videoDurationMs`, in_progress with progress rising, completed at `videoDurationMs` (completed_at,
//   expires_at = completed_at + `expiresAfterSeconds`). A prompt containing MODERATION fails half way with
//   error {code: "moderation_blocked"}; one containing OVERLOADED is a 503 at creation.
// - GET /v1/videos/{id}; GET /v1/videos?limit&order&after (newest first by default; data, first_id, last_id,
//   has_more); DELETE /v1/videos/{id} (completed or failed only) → {id, object: "video.deleted", deleted: true};
//   GET /v1/videos/{id}/content?variant=video|thumbnail|spritesheet → video/mp4 (H.264 of the video's size and
//   seconds), image/webp, image/jpeg; 404 "Video is not ready yet" before completion; POST /v1/videos/{id}/remix
//   {prompt} (completed videos only) → a new job with remixed_from_video_id.
// - Every video belongs to the key that created it (a project): another key sees a 404.
// Characters (the Videos API's, as the guide "Use characters for consistency" describes them):
// - POST /v1/videos/characters, multipart only: `name` (required, 1..80 chars) and one `video` file (required, an MP4)
//   → {id: "char_…", name, created_at}; GET /v1/videos/characters/{id} → the same (another key: 404). A video refers to
//   characters with `characters: [{id}]` (multipart `characters[][id]`, as the SDK encodes a list of objects); an id
//   that is not one of the key's characters is a 400 naming `characters`. For tests: `fake.characters` (each with its
//   upload's sha256 and ffprobe duration) and `record.request.characters` on each video.
// Images:
// - POST /v1/images/generations (JSON) and POST /v1/images/edits (multipart: `image`, or repeated `image[]`, optional
//   `mask`; each part must declare image/png, image/jpeg or image/webp as the API demands — the SDK's
//   fs.createReadStream sends application/octet-stream, which the API refuses). GPT image models answer b64_json only
//   (response_format is DALL·E's), with background/output_format/size/quality and usage; `stream: true` answers SSE
//   `image_generation.partial_image` (`partial_images` of them) then `image_generation.completed` (`image_edit.*` for
//   edits). DALL·E 2/3 answer `url` (served by this fake, no auth, like a signed URL) or b64_json. A prompt containing
//   MODERATION is a 400 moderation_blocked. Images are real files of the answered size (lib/media-files.mjs).
// Auth is `Authorization: Bearer <key>` (401 in OpenAI's error shape otherwise). Every answer is checked against the
// published schema by lib/oracle.mjs. For tests: `fake.videos` (every job, with `request.inputReference` as it arrived:
// filename, content type, size, sha256, pixel size), `fake.lastImages` (the last images call's inputs and mask),
// `fake.requests` (with the parsed multipart `form`).
import { randomBytes } from 'node:crypto';
import { startFakeServer } from './fake-server.mjs';
import { image as makeImage, imageInfo, mp4, probe, sha256, spritesheet, webp } from './media-files.mjs';

export const VIDEO_MODELS = ['sora-2', 'sora-2-pro', 'sora-2-2025-10-06', 'sora-2-pro-2025-10-06', 'sora-2-2025-12-08'];
export const VIDEO_SECONDS = ['4', '8', '12'];
export const VIDEO_SIZES = ['720x1280', '1280x720', '1024x1792', '1792x1024'];
const STANDARD_SIZES = ['720x1280', '1280x720'];
export const MODERATION_TRIGGER = 'MODERATION';
export const OVERLOADED_PROMPT = 'OVERLOADED';
const VIDEO_PARAMS = ['model', 'prompt', 'seconds', 'size', 'input_reference', 'characters'];
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'];

export const GPT_IMAGE_MODELS = ['gpt-image-1', 'gpt-image-1-mini', 'gpt-image-1.5', 'gpt-image-2', 'gpt-image-2-2026-04-21', 'chatgpt-image-latest'];
const GPT_SIZES = ['1024x1024', '1536x1024', '1024x1536'];
const DALLE_SIZES = { 'dall-e-2': ['256x256', '512x512', '1024x1024'], 'dall-e-3': ['1024x1024', '1792x1024', '1024x1792'] };
// Output tokens per image of the GPT image models (OpenAI's image generation guide, gpt-image-1's table).
const OUTPUT_TOKENS = {
  low: { '1024x1024': 272, '1024x1536': 408, '1536x1024': 400 },
  medium: { '1024x1024': 1056, '1024x1536': 1584, '1536x1024': 1568 },
  high: { '1024x1024': 4160, '1024x1536': 6240, '1536x1024': 6208 },
};
const INPUT_IMAGE_TOKENS = 194; // per input image of an edit (illustrative)
const GENERATION_PARAMS = ['prompt', 'model', 'n', 'quality', 'response_format', 'output_format', 'output_compression', 'stream', 'partial_images',
  'size', 'moderation', 'background', 'style', 'user'];
const EDIT_PARAMS = ['image', 'image[]', 'mask', 'prompt', 'model', 'n', 'quality', 'response_format', 'output_format', 'output_compression', 'stream',
  'partial_images', 'size', 'background', 'input_fidelity', 'user'];
const GPT_ONLY_PARAMS = ['output_format', 'output_compression', 'stream', 'partial_images', 'moderation', 'background', 'input_fidelity'];

const nowSeconds = (ms) => Math.floor(ms / 1000);
const newId = (prefix) => `${prefix}${randomBytes(16).toString('hex')}`;

class ApiError extends Error {
  constructor(status, message, { type = 'invalid_request_error', param = null, code = null } = {}) {
    super(message);
    Object.assign(this, { status, type, param, code });
  }
}
const invalid = (param, value, allowed) => new ApiError(400,
  `Invalid value: '${value}'. Supported values are: ${allowed.map((v) => `'${v}'`).join(', ').replace(/, ([^,]*)$/, allowed.length > 2 ? ', and $1' : ' and $1')}.`,
  { param, code: 'invalid_value' });
const missing = (param) => new ApiError(400, `Missing required parameter: '${param}'.`, { param, code: 'missing_required_parameter' });
const unknown = (param) => new ApiError(400, `Unknown parameter: '${param}'.`, { param, code: 'unknown_parameter' });

/**
 * Starts the fake. `keys` (or `key`) are the accepted API keys, each its own project; `videoDurationMs` is how long a
 * video job takes (settable later: `fake.videoDurationMs = 1000`); `expiresAfterSeconds` how long its assets last.
 */
export async function startFakeOpenAIMedia({ key = 'sk-fake-openai-media', keys, videoDurationMs = 2500, expiresAfterSeconds = 3600 } = {}) {
  const accepted = keys ?? [key];
  const videos = new Map();
  const characters = new Map();
  const hosted = new Map(); // DALL·E url images: name → { bytes, contentType }
  let sequence = 0;
  const state = { videoDurationMs, expiresAfterSeconds };

  const server = await startFakeServer(async (request, reply) => {
    const fail = (error) => reply.json(error.status, { error: { message: error.message, type: error.type, param: error.param, code: error.code } });
    try {
      // Hosted DALL·E images: a signed-URL-like path, no key needed.
      const hostedMatch = /^\/hosted\/([a-z0-9-]+\.(png|jpg|webp))$/.exec(request.path);
      if (request.method === 'GET' && hostedMatch) {
        const file = hosted.get(hostedMatch[1]);
        if (!file) throw new ApiError(404, `No hosted image ${hostedMatch[1]}.`);
        return reply.binary(200, file.bytes, file.contentType);
      }
      const auth = request.headers.authorization;
      const owner = accepted.find((k) => auth === `Bearer ${k}`);
      if (!owner) {
        throw new ApiError(401, `Incorrect API key provided: ${auth ? auth.replace(/^Bearer /, '') : 'none'}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          { code: 'invalid_api_key' });
      }
      if (request.tooLarge) throw new ApiError(413, 'Request body too large.');
      if (request.formError) throw new ApiError(400, `Could not parse multipart form: ${request.formError}`);
      const path = request.path;
      if (request.method === 'POST' && path === '/v1/videos/characters') return reply.json(200, presentCharacter(await createCharacter(request, owner)));
      const character = /^\/v1\/videos\/characters\/([^/]+)$/.exec(path);
      if (request.method === 'GET' && character) return reply.json(200, presentCharacter(findCharacter(character[1], owner)));
      const video = /^\/v1\/videos\/([^/]+)$/.exec(path);
      const content = /^\/v1\/videos\/([^/]+)\/content$/.exec(path);
      const remix = /^\/v1\/videos\/([^/]+)\/remix$/.exec(path);
      if (request.method === 'POST' && path === '/v1/videos') return reply.json(200, present(createVideo(request, owner), Date.now()));
      if (request.method === 'GET' && path === '/v1/videos') return reply.json(200, listVideos(request.query, owner));
      if (video && !['characters', 'edits', 'extensions'].includes(video[1])) {
        const found = find(video[1], owner);
        if (request.method === 'GET') return reply.json(200, present(found, Date.now()));
        if (request.method === 'DELETE') return reply.json(200, deleteVideo(found));
      }
      if (request.method === 'GET' && content) return await sendContent(reply, find(content[1], owner), request.query);
      if (request.method === 'POST' && remix) return reply.json(200, present(remixVideo(request, find(remix[1], owner), owner), Date.now()));
      if (request.method === 'POST' && path === '/v1/images/generations') return await images(request, reply, 'generation');
      if (request.method === 'POST' && path === '/v1/images/edits') return await images(request, reply, 'edit');
      throw new ApiError(404, `Invalid URL (${request.method} ${path})`);
    } catch (error) {
      if (error instanceof ApiError) return fail(error);
      throw error;
    }
  }, { vendor: 'openai' });

  // ---- Videos ------------------------------------------------------------------------------------------------

  function find(id, owner) {
    const found = videos.get(id);
    if (!found || found.deleted || found.owner !== owner) throw new ApiError(404, `Video with id '${id}' not found.`, { param: 'video_id' });
    return found;
  }

  /** The request's parameters: JSON as it is; multipart text parts as strings, `a[b]` as {a: {b}}, file parts apart. */
  function paramsOf(request, allowed) {
    if (request.form) {
      const params = {};
      const files = {};
      for (const [name, values] of request.form.fields) {
        // A list of objects, as the SDK encodes one: `characters[][id]` once per item.
        const listed = /^([^[\]]+)\[\]\[([^[\]]+)\]$/.exec(name);
        if (listed) {
          if (!allowed.includes(listed[1])) throw unknown(name);
          params[listed[1]] = values.map((value) => ({ [listed[2]]: value }));
          continue;
        }
        const nested = /^([^[\]]+)\[([^[\]]*)\]$/.exec(name);
        const base = nested ? nested[1] : name;
        if (!allowed.includes(name) && !allowed.includes(base)) throw unknown(name);
        if (nested && nested[2] !== '') params[base] = { ...(typeof params[base] === 'object' ? params[base] : {}), [nested[2]]: values[0] };
        else params[name] = nested ? values : values[0];
      }
      for (const [name, list] of request.form.files) {
        if (!allowed.includes(name)) throw unknown(name);
        files[name] = list;
      }
      return { params, files, multipart: true };
    }
    if (request.body === undefined || (request.bytes.length && (request.body === null || typeof request.body !== 'object' || Array.isArray(request.body)))) {
      throw new ApiError(400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)");
    }
    const params = request.body ?? {};
    for (const name of Object.keys(params)) if (!allowed.includes(name)) throw unknown(name);
    return { params, files: {}, multipart: false };
  }

  function checkPrompt(prompt, max = 32000) {
    if (prompt === undefined || prompt === null) throw missing('prompt');
    if (typeof prompt !== 'string') throw new ApiError(400, `Invalid type for 'prompt': expected a string, but got ${typeof prompt} instead.`, { param: 'prompt', code: 'invalid_type' });
    if (prompt.length < 1) throw new ApiError(400, "Invalid 'prompt': string too short. Expected a string with minimum length 1, but got an empty string instead.", { param: 'prompt', code: 'string_below_min_length' });
    if (prompt.length > max) throw new ApiError(400, `Invalid 'prompt': string too long. Expected a string with maximum length ${max}, but got a string with length ${prompt.length} instead.`, { param: 'prompt', code: 'string_above_max_length' });
  }

  function reference(value, files, size) {
    const file = files.input_reference;
    if (file) {
      if (file.length > 1) throw new ApiError(400, "Only one 'input_reference' may be provided.", { param: 'input_reference' });
      return { kind: 'file', ...describeUpload(file[0], 'input_reference', size) };
    }
    if (value === undefined) return null;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ApiError(400, "Invalid 'input_reference': expected an object with 'image_url' or 'file_id'.", { param: 'input_reference', code: 'invalid_type' });
    }
    const keysGiven = Object.keys(value);
    for (const k of keysGiven) if (!['image_url', 'file_id'].includes(k)) throw unknown(`input_reference.${k}`);
    if (keysGiven.length !== 1) throw new ApiError(400, "Provide exactly one of 'input_reference.image_url' or 'input_reference.file_id'.", { param: 'input_reference' });
    if (value.file_id !== undefined) return { kind: 'file_id', fileId: String(value.file_id) };
    const url = String(value.image_url);
    const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
    if (data) {
      const bytes = Buffer.from(data[2], 'base64');
      return { kind: 'image_url', url: `data:${data[1]};base64,…`, ...describeUpload({ filename: null, contentType: data[1], bytes }, 'input_reference.image_url', size) };
    }
    if (!/^https?:\/\//.test(url)) throw new ApiError(400, "Invalid 'input_reference.image_url': expected a URL or a base64 data URL.", { param: 'input_reference.image_url', code: 'invalid_value' });
    return { kind: 'image_url', url };
  }

  /** A reference image: its declared type or its bytes must be JPEG/PNG/WebP, and its pixels exactly `size`. */
  function describeUpload(file, param, size) {
    const info = imageInfo(file.bytes);
    const declared = String(file.contentType ?? '').toLowerCase();
    if (!info || (declared && declared !== 'application/octet-stream' && !IMAGE_TYPES.includes(declared))) {
      throw new ApiError(400, `Invalid file '${param}': unsupported mimetype ('${declared || 'unknown'}'). Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'.`, { param });
    }
    if (size && `${info.width}x${info.height}` !== size) throw new ApiError(400, 'Inpaint image must match the requested width and height');
    return { filename: file.filename, contentType: file.contentType, size: file.bytes.length, sha256: file.sha256 ?? sha256(file.bytes), width: info.width, height: info.height };
  }

  function createVideo(request, owner) {
    const { params, files, multipart } = paramsOf(request, VIDEO_PARAMS);
    const model = params.model ?? 'sora-2';
    if (typeof model !== 'string' || !VIDEO_MODELS.includes(model)) throw invalid('model', model, VIDEO_MODELS);
    checkPrompt(params.prompt);
    const seconds = params.seconds ?? '4';
    if (typeof seconds !== 'string') {
      throw new ApiError(400, `Invalid type for 'seconds': expected one of '4', '8', or '12', but got ${typeof seconds === 'number' ? 'an integer' : typeof seconds} instead.`, { param: 'seconds', code: 'invalid_type' });
    }
    if (!VIDEO_SECONDS.includes(seconds)) throw invalid('seconds', seconds, VIDEO_SECONDS);
    const size = params.size ?? '720x1280';
    if (!VIDEO_SIZES.includes(size)) throw invalid('size', size, VIDEO_SIZES);
    const pro = model.startsWith('sora-2-pro');
    if (!pro && !STANDARD_SIZES.includes(size)) {
      throw new ApiError(400, `Invalid value: '${size}'. Supported values for ${model} are: '720x1280' and '1280x720'.`, { param: 'size', code: 'invalid_value' });
    }
    const inputReference = reference(params.input_reference, files, size);
    const cast = castOf(params.characters, owner);
    if (params.prompt.includes(OVERLOADED_PROMPT)) throw new ApiError(503, 'The server is overloaded or not ready yet.', { type: 'server_error' });
    const record = newVideo({ owner, model, prompt: params.prompt, size, seconds, remixedFrom: null });
    record.request = { multipart, chunked: request.chunked, contentLength: request.headers['content-length'] ?? null, inputReference, characters: cast };
    return record;
  }

  function newVideo({ owner, model, prompt, size, seconds, remixedFrom }) {
    const createdMs = Date.now();
    const durationMs = state.videoDurationMs;
    const record = {
      id: newId('video_'), owner, model, prompt, size, seconds, remixedFrom, createdMs, durationMs, order: sequence++, deleted: false,
      failure: prompt.includes(MODERATION_TRIGGER) ? { atMs: durationMs * 0.5, error: { code: 'moderation_blocked', message: 'Your request was blocked by our moderation system.' } } : null,
    };
    videos.set(record.id, record);
    return record;
  }

  /** The job's state at `now`: it moves with time, whoever polls. */
  function stateAt(record, now) {
    const elapsed = now - record.createdMs;
    const queuedMs = record.durationMs * 0.2;
    const progressAt = (ms) => Math.max(1, Math.min(99, Math.floor(((ms - queuedMs) / (record.durationMs - queuedMs)) * 100)));
    if (record.failure && elapsed >= record.failure.atMs) return { status: 'failed', progress: progressAt(record.failure.atMs), error: record.failure.error };
    if (elapsed < queuedMs) return { status: 'queued', progress: 0 };
    if (elapsed < record.durationMs) return { status: 'in_progress', progress: progressAt(elapsed) };
    const completedAt = nowSeconds(record.createdMs + record.durationMs);
    return { status: 'completed', progress: 100, completedAt, expiresAt: completedAt + state.expiresAfterSeconds };
  }

  function present(record, now) {
    const s = stateAt(record, now);
    return {
      id: record.id,
      object: 'video',
      model: record.model,
      status: s.status,
      progress: s.progress,
      created_at: nowSeconds(record.createdMs),
      completed_at: s.completedAt ?? null,
      expires_at: s.expiresAt ?? null,
      prompt: record.prompt,
      size: record.size,
      seconds: record.seconds,
      remixed_from_video_id: record.remixedFrom,
      error: s.error ?? null,
    };
  }

  function listVideos(query, owner) {
    let limit = 20;
    if (query.limit !== undefined) {
      limit = Number(query.limit);
      if (!/^\d+$/.test(query.limit) || limit > 100) {
        throw new ApiError(400, `Invalid 'limit': integer must be between 0 and 100, got '${query.limit}'.`, { param: 'limit', code: 'invalid_value' });
      }
    }
    const order = query.order ?? 'desc';
    if (!['asc', 'desc'].includes(order)) throw invalid('order', order, ['asc', 'desc']);
    const now = Date.now();
    const mine = [...videos.values()].filter((v) => !v.deleted && v.owner === owner)
      .sort((a, b) => (order === 'asc' ? a.order - b.order : b.order - a.order));
    let start = 0;
    if (query.after !== undefined) {
      const index = mine.findIndex((v) => v.id === query.after);
      if (index < 0) throw new ApiError(400, `Invalid 'after': no video with id '${query.after}'.`, { param: 'after', code: 'invalid_value' });
      start = index + 1;
    }
    const page = mine.slice(start, start + limit);
    return {
      object: 'list',
      data: page.map((v) => present(v, now)),
      first_id: page[0]?.id ?? null,
      last_id: page.at(-1)?.id ?? null,
      has_more: start + limit < mine.length,
    };
  }

  function deleteVideo(record) {
    const { status } = stateAt(record, Date.now());
    if (status === 'queued' || status === 'in_progress') {
      throw new ApiError(400, `Video '${record.id}' is still ${status}; only completed or failed videos can be deleted.`, { param: 'video_id' });
    }
    record.deleted = true;
    return { id: record.id, object: 'video.deleted', deleted: true };
  }

  async function sendContent(reply, record, query) {
    const variant = query.variant ?? 'video';
    if (!['video', 'thumbnail', 'spritesheet'].includes(variant)) throw invalid('variant', variant, ['video', 'thumbnail', 'spritesheet']);
    if (stateAt(record, Date.now()).status !== 'completed') {
      throw new ApiError(404, `Video is not ready yet, use GET /v1/videos/${record.id} to check status.`);
    }
    const [width, height] = record.size.split('x').map(Number);
    const file = variant === 'video' ? await mp4({ width, height, seconds: Number(record.seconds) })
      : variant === 'thumbnail' ? await webp(width, height) : await spritesheet({ width, height });
    return reply.binary(200, file.bytes, file.contentType);
  }

  function remixVideo(request, source, owner) {
    const { params } = paramsOf(request, ['prompt']);
    checkPrompt(params.prompt);
    const { status } = stateAt(source, Date.now());
    if (status !== 'completed') {
      throw new ApiError(400, `Video '${source.id}' is ${status}; only completed videos can be remixed.`, { param: 'video_id' });
    }
    const record = newVideo({ owner, model: source.model, prompt: params.prompt, size: source.size, seconds: source.seconds, remixedFrom: source.id });
    record.request = { multipart: Boolean(request.form), inputReference: null };
    return record;
  }

  // ---- Characters --------------------------------------------------------------------------------------------

  async function createCharacter(request, owner) {
    if (!request.form) throw new ApiError(400, "Invalid content type: this endpoint takes multipart/form-data with 'name' and 'video'.");
    const { params, files } = paramsOf(request, ['name', 'video']);
    if (params.name === undefined) throw missing('name');
    if (typeof params.name !== 'string' || params.name.length < 1 || params.name.length > 80) {
      throw new ApiError(400, `Invalid 'name': expected a string of 1 to 80 characters.`, { param: 'name', code: 'invalid_value' });
    }
    const video = files.video;
    if (!video) throw missing('video');
    if (video.length > 1) throw new ApiError(400, "Only one 'video' may be provided.", { param: 'video' });
    const bytes = video[0].bytes;
    if (bytes.length < 12 || bytes.subarray(4, 8).toString('latin1') !== 'ftyp') {
      throw new ApiError(400, `Invalid file 'video': unsupported mimetype ('${video[0].contentType || 'unknown'}'). Supported file formats are 'video/mp4'.`, { param: 'video' });
    }
    const info = await probe(bytes);
    const record = {
      id: newId('char_'), owner, name: params.name, createdMs: Date.now(),
      upload: { filename: video[0].filename, contentType: video[0].contentType, size: bytes.length, sha256: sha256(bytes), seconds: Number(info.format.duration) },
    };
    characters.set(record.id, record);
    return record;
  }

  function findCharacter(id, owner) {
    const found = characters.get(id);
    if (!found || found.owner !== owner) throw new ApiError(404, `Character with id '${id}' not found.`, { param: 'character_id' });
    return found;
  }

  const presentCharacter = (record) => ({ id: record.id, name: record.name, created_at: nowSeconds(record.createdMs) });

  /** A video's `characters`: each one of the key's, by id. */
  function castOf(value, owner) {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((c) => typeof c !== 'object' || c === null || typeof c.id !== 'string')) {
      throw new ApiError(400, "Invalid 'characters': expected a list of objects with an 'id'.", { param: 'characters', code: 'invalid_type' });
    }
    return value.map((c) => {
      const found = characters.get(c.id);
      if (!found || found.owner !== owner) throw new ApiError(400, `Character '${c.id}' not found.`, { param: 'characters', code: 'invalid_value' });
      return { id: found.id, name: found.name };
    });
  }

  // ---- Images ------------------------------------------------------------------------------------------------

  async function images(request, reply, kind) {
    const edit = kind === 'edit';
    const { params, files } = paramsOf(request, edit ? [...EDIT_PARAMS, 'images'] : GENERATION_PARAMS);
    const gptOnly = GPT_ONLY_PARAMS.some((p) => params[p] !== undefined);
    const model = params.model ?? (edit || gptOnly ? 'gpt-image-1.5' : 'dall-e-2');
    const gpt = GPT_IMAGE_MODELS.includes(model);
    const known = edit ? [...GPT_IMAGE_MODELS, 'dall-e-2'] : [...GPT_IMAGE_MODELS.filter((m) => m !== 'chatgpt-image-latest'), 'dall-e-2', 'dall-e-3'];
    if (typeof model !== 'string' || !known.includes(model)) throw invalid('model', model, known);
    checkPrompt(params.prompt, gpt ? 32000 : model === 'dall-e-3' ? 4000 : 1000);
    const number = (name, value, min, max) => {
      if (value === undefined || value === null) return undefined;
      const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
      if (!Number.isInteger(n)) throw new ApiError(400, `Invalid type for '${name}': expected an integer, but got ${typeof value} instead.`, { param: name, code: 'invalid_type' });
      if (n < min) throw new ApiError(400, `Invalid '${name}': integer below minimum value. Expected a value >= ${min}, but got ${n} instead.`, { param: name, code: 'integer_below_min_value' });
      if (n > max) throw new ApiError(400, `Invalid '${name}': integer above maximum value. Expected a value <= ${max}, but got ${n} instead.`, { param: name, code: 'integer_above_max_value' });
      return n;
    };
    const boolean = (name, value) => {
      if (value === undefined || value === null) return false;
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      throw new ApiError(400, `Invalid type for '${name}': expected a boolean, but got ${typeof value} instead.`, { param: name, code: 'invalid_type' });
    };
    const n = number('n', params.n, 1, 10) ?? 1;
    if (model === 'dall-e-3' && n !== 1) throw new ApiError(400, 'Invalid value for n: dall-e-3 only supports n=1.', { param: 'n', code: 'invalid_value' });
    if (!gpt) for (const p of GPT_ONLY_PARAMS) if (params[p] !== undefined) throw new ApiError(400, `The '${p}' parameter is only supported for the GPT image models.`, { param: p, code: 'unsupported_parameter' });
    if (gpt && params.response_format !== undefined && params.response_format !== null) {
      throw new ApiError(400, `Unknown parameter: 'response_format'. The GPT image models always return base64-encoded images.`, { param: 'response_format', code: 'unknown_parameter' });
    }
    if (params.style !== undefined && model !== 'dall-e-3') throw new ApiError(400, "The 'style' parameter is only supported for dall-e-3.", { param: 'style', code: 'unsupported_parameter' });
    const responseFormat = gpt ? 'b64_json' : params.response_format ?? 'url';
    if (!['url', 'b64_json'].includes(responseFormat)) throw invalid('response_format', responseFormat, ['url', 'b64_json']);
    const outputFormat = params.output_format ?? 'png';
    if (!['png', 'jpeg', 'webp'].includes(outputFormat)) throw invalid('output_format', outputFormat, ['png', 'jpeg', 'webp']);
    const background = params.background ?? 'auto';
    if (!['transparent', 'opaque', 'auto'].includes(background)) throw invalid('background', background, ['transparent', 'opaque', 'auto']);
    if (background === 'transparent' && outputFormat === 'jpeg') {
      throw new ApiError(400, "Transparent background is not supported with output_format 'jpeg'; use 'png' or 'webp'.", { param: 'background', code: 'invalid_value' });
    }
    number('output_compression', params.output_compression, 0, 100);
    if (params.moderation !== undefined && !['low', 'auto'].includes(params.moderation)) throw invalid('moderation', params.moderation, ['low', 'auto']);
    if (params.input_fidelity !== undefined && params.input_fidelity !== null && !['high', 'low'].includes(params.input_fidelity)) throw invalid('input_fidelity', params.input_fidelity, ['high', 'low']);
    const stream = boolean('stream', params.stream);
    const partials = number('partial_images', params.partial_images, 0, 3) ?? 0;
    const qualities = gpt ? ['low', 'medium', 'high', 'auto'] : model === 'dall-e-3' ? ['standard', 'hd', 'auto'] : ['standard', 'auto'];
    const quality = params.quality ?? 'auto';
    if (!qualities.includes(quality)) throw invalid('quality', quality, qualities);

    // The input images of an edit: declared as an image type (as the API checks), at most 16, the mask a PNG of the first's size.
    let inputs = [];
    let maskInfo = null;
    if (edit) {
      inputs = [...(files.image ?? []), ...(files['image[]'] ?? [])];
      if (inputs.length === 0 && Array.isArray(params.images)) inputs = params.images.map((ref) => ({ reference: ref }));
      if (inputs.length === 0) throw missing('image');
      const limit = model === 'dall-e-2' ? 1 : 16;
      if (inputs.length > limit) throw new ApiError(400, `Invalid 'image': too many images. Expected at most ${limit}, but got ${inputs.length}.`, { param: 'image', code: 'array_above_max_length' });
      const allowedTypes = model === 'dall-e-2' ? ['image/png'] : IMAGE_TYPES;
      inputs = inputs.map((file) => {
        if (file.reference) return { reference: file.reference };
        const declared = String(file.contentType).toLowerCase();
        const info = imageInfo(file.bytes);
        if (!allowedTypes.includes(declared) || !info || info.contentType !== declared) {
          throw new ApiError(400, `Invalid file 'image': unsupported mimetype ('${declared}'). Supported file formats are ${allowedTypes.map((t) => `'${t}'`).join(', ').replace(/, ([^,]*)$/, allowedTypes.length > 2 ? ', and $1' : ' and $1')}.`, { param: 'image', code: 'invalid_value' });
        }
        if (file.size > 50 * 1024 * 1024) throw new ApiError(400, "Invalid file 'image': files must be smaller than 50 MB.", { param: 'image' });
        return { filename: file.filename, contentType: file.contentType, size: file.size, sha256: file.sha256, width: info.width, height: info.height };
      });
      const maskFile = files.mask?.[0];
      if (maskFile) {
        const info = imageInfo(maskFile.bytes);
        if (String(maskFile.contentType).toLowerCase() !== 'image/png' || info?.format !== 'png') {
          throw new ApiError(400, `Invalid file 'mask': unsupported mimetype ('${maskFile.contentType}'). Supported file formats are 'image/png'.`, { param: 'mask', code: 'invalid_value' });
        }
        const first = inputs[0];
        if (first.width !== undefined && (first.width !== info.width || first.height !== info.height)) {
          throw new ApiError(400, 'Invalid mask image format - mask size does not match image size', { param: 'mask', code: 'invalid_value' });
        }
        maskInfo = { filename: maskFile.filename, contentType: maskFile.contentType, size: maskFile.size, sha256: maskFile.sha256, width: info.width, height: info.height };
      }
    }

    const requestedSize = params.size ?? 'auto';
    const size = resolveSize(model, requestedSize, edit ? inputs[0] : null);
    if (params.prompt.includes(MODERATION_TRIGGER)) {
      throw new ApiError(400, 'Your request was rejected by the safety system. If you believe this is an error, contact us at help.openai.com and include the request ID.',
        { type: 'image_generation_user_error', code: 'moderation_blocked' });
    }
    if (stream && !gpt) throw new ApiError(400, "The 'stream' parameter is only supported for the GPT image models.", { param: 'stream', code: 'unsupported_parameter' });
    const [width, height] = size.split('x').map(Number);
    const resolvedQuality = quality === 'auto' ? (gpt ? 'high' : 'standard') : quality;
    const transparent = background === 'transparent';
    const made = await Promise.all(Array.from({ length: n }, (_, i) => makeImage({ width, height, format: outputFormat, variant: i, alpha: transparent })));
    server.lastImages = { kind, model, size, n, inputs, mask: maskInfo, files: made };
    const created = nowSeconds(Date.now());
    if (!gpt) {
      const data = made.map((file) => {
        const item = {};
        if (responseFormat === 'b64_json') item.b64_json = file.bytes.toString('base64');
        else {
          const name = `img-${randomBytes(8).toString('hex')}.png`;
          hosted.set(name, file);
          item.url = `${server.origin}/hosted/${name}`;
        }
        if (model === 'dall-e-3') item.revised_prompt = params.prompt;
        return item;
      });
      return reply.json(200, { created, data });
    }
    const perImage = outputTokens(resolvedQuality, size);
    const textTokens = Math.max(1, Math.ceil(params.prompt.length / 4));
    const imageTokens = edit ? inputs.length * INPUT_IMAGE_TOKENS : 0;
    const usage = {
      input_tokens: textTokens + imageTokens,
      input_tokens_details: { image_tokens: imageTokens, text_tokens: textTokens },
      output_tokens: perImage * n,
      total_tokens: textTokens + imageTokens + perImage * n,
    };
    const common = { background: transparent ? 'transparent' : 'opaque', output_format: outputFormat, quality: resolvedQuality };
    if (!stream) {
      return reply.json(200, { created, data: made.map((file) => ({ b64_json: file.bytes.toString('base64') })), ...common,
        ...(GPT_SIZES.includes(size) ? { size } : {}), usage });
    }
    // The stream: partial images of the first image, then one completed event per image (usage on each, for its image).
    const prefix = edit ? 'image_edit' : 'image_generation';
    const eventSize = (s) => (GPT_SIZES.includes(s) || s === 'auto' ? s : 'auto');
    const events = reply.sse();
    for (let i = 0; i < partials; i++) {
      const partial = await makeImage({ width, height, format: outputFormat, variant: n + i, alpha: transparent });
      events.send({ type: `${prefix}.partial_image`, b64_json: partial.bytes.toString('base64'), created_at: created, size: eventSize(requestedSize),
        quality, background, output_format: outputFormat, partial_image_index: i }, `${prefix}.partial_image`);
    }
    made.forEach((file, i) => {
      const own = { ...usage, output_tokens: perImage, total_tokens: (i === 0 ? usage.input_tokens : 0) + perImage, input_tokens: i === 0 ? usage.input_tokens : 0,
        input_tokens_details: i === 0 ? usage.input_tokens_details : { image_tokens: 0, text_tokens: 0 } };
      events.send({ type: `${prefix}.completed`, b64_json: file.bytes.toString('base64'), created_at: created, size: eventSize(size), ...common, usage: own }, `${prefix}.completed`);
    });
    return events.end();
  }

  function resolveSize(model, requested, firstInput) {
    if (model.startsWith('dall-e')) {
      const allowed = DALLE_SIZES[model];
      const size = requested === 'auto' ? '1024x1024' : requested;
      if (!allowed.includes(size)) throw invalid('size', requested, allowed);
      return size;
    }
    if (requested === 'auto') {
      // As the API does for auto: the standard size closest to the input's aspect (square without an input).
      if (!firstInput?.width) return '1024x1024';
      const ratio = firstInput.width / firstInput.height;
      return ratio > 1.2 ? '1536x1024' : ratio < 1 / 1.2 ? '1024x1536' : '1024x1024';
    }
    if (GPT_SIZES.includes(requested)) return requested;
    if (model.startsWith('gpt-image-2')) {
      // gpt-image-2: any WIDTHxHEIGHT, both divisible by 16, aspect between 1:3 and 3:1, at most 3840x2160.
      const m = /^(\d+)x(\d+)$/.exec(String(requested));
      if (m) {
        const [w, h] = [Number(m[1]), Number(m[2])];
        if (w % 16 === 0 && h % 16 === 0 && w / h <= 3 && h / w <= 3 && Math.max(w, h) <= 3840 && Math.min(w, h) <= 2160 && w > 0 && h > 0) return `${w}x${h}`;
      }
      throw new ApiError(400, `Invalid value: '${requested}'. Width and height must both be divisible by 16, the aspect ratio between 1:3 and 3:1, and the size at most 3840x2160.`,
        { param: 'size', code: 'invalid_value' });
    }
    throw invalid('size', requested, [...GPT_SIZES, 'auto']);
  }

  function outputTokens(quality, size) {
    const table = OUTPUT_TOKENS[quality] ?? OUTPUT_TOKENS.high;
    if (table[size]) return table[size];
    const [w, h] = size.split('x').map(Number);
    return Math.round((table['1024x1024'] * w * h) / (1024 * 1024));
  }

  return Object.assign(server, {
    baseUrl: `${server.origin}/v1`,
    key: accepted[0],
    keys: accepted,
    /** Every video job (inspection): id → record, with `request.inputReference` as it arrived. */
    videos,
    /** Every character (inspection): id → record, with `upload` (filename, type, size, sha256, seconds). */
    characters,
    get videoDurationMs() { return state.videoDurationMs; },
    set videoDurationMs(ms) { state.videoDurationMs = ms; },
    get expiresAfterSeconds() { return state.expiresAfterSeconds; },
    set expiresAfterSeconds(s) { state.expiresAfterSeconds = s; },
  });
}
