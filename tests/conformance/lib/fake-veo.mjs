// A loopback Gemini API Veo upstream (what a `veo` platform talks to; its base URL is the bare host), under /v1beta
// and /v1 (@google/genai 3.1.0 polls and downloads under /v1), answering as Google's Veo REST documentation and the
// generativelanguage v1beta protos describe:
//
// - POST /{v}/models/{model}:predictLongRunning, key in `x-goog-api-key` (or ?key=), body
//   {instances: [{prompt, image?, lastFrame?, referenceImages?}], parameters: {aspectRatio, durationSeconds, resolution,
//   negativePrompt, personGeneration, sampleCount, seed}} → {name: "models/{model}/operations/{id}"}. Images are
//   {bytesBase64Encoded, mimeType} or {inlineData: {mimeType, data}} (PNG/JPEG/WebP; their sha256 is recorded).
//   Per model (MODELS below): the allowed durations (Veo 3.x 4/6/8, Veo 2 5/6/8; 8 only with 1080p/4k or reference
//   images), resolutions, personGeneration per mode, sampleCount; a value outside them, an unknown parameter ("`x`
//   isn't supported by this model") or a missing prompt is a 400 in Google's error shape {error: {code, message, status}}.
// - GET /{v}/models/{model}/operations/{id}: {name} while running (done absent), then {name, done: true, response:
//   {"@type": ...PredictLongRunningResponse, generateVideoResponse: {generatedSamples: [{video: {uri}}]}}}, the uri being
//   `{origin}/v1beta/files/{id}:download?alt=media` (ids lowercase alphanumeric, as genai parses them). Jobs finish
//   after `videoDurationMs`, whoever polls. A prompt containing MODERATION ends done with no samples and
//   raiMediaFilteredCount 1 / raiMediaFilteredReasons (what Veo answers for filtered content); one containing FAIL
//   ends with `error` (google.rpc.Status: {code: 13, message}).
// - GET /{v}/files/{id}:download?alt=media with the key: a 302 to a signed, key-less storage URL of this fake
//   (`/storage/{id}.mp4?sig=…`) as Google answers (`redirectDownloads: false` serves the bytes directly instead); the
//   file is an H.264 MP4 of the asked aspect ratio, resolution (720p 1280x720, 1080p 1920x1080, 4k 3840x2160) and
//   duration.
// Operations and files belong to the key that started them: another key sees a 404.
import { randomBytes } from 'node:crypto';
import { startFakeServer } from './fake-server.mjs';
import { imageInfo, mp4, sha256 } from './media-files.mjs';

export const MODERATION_TRIGGER = 'MODERATION';
export const FAIL_TRIGGER = 'FAIL';
const STATUS = { 400: 'INVALID_ARGUMENT', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 503: 'UNAVAILABLE' };
const RESPONSE_TYPE = 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse';
export const RAI_REASON = "Your current safety settings for person generation blocked one or more videos. We couldn't generate this video because it violates our usage guidelines. You have not been charged for this attempt.";

const VEO3 = { durations: [4, 6, 8], defaultDuration: 8, resolutions: ['720p', '1080p'], samples: [1], lastFrame: false, references: false,
  person: { text: ['allow_all'], image: ['allow_adult'] }, params: ['aspectRatio', 'durationSeconds', 'resolution', 'negativePrompt', 'personGeneration', 'sampleCount', 'seed'] };
const VEO31 = { ...VEO3, resolutions: ['720p', '1080p', '4k'], lastFrame: true, references: true };
/** The models and what each accepts (Google's "Veo API parameters and specifications" table). */
export const MODELS = {
  'veo-3.1-generate-preview': VEO31,
  'veo-3.1-fast-generate-preview': VEO31,
  'veo-3.1-lite-generate-preview': { ...VEO31, resolutions: ['720p', '1080p'] },
  'veo-3.0-generate-001': VEO3,
  'veo-3.0-fast-generate-001': VEO3,
  'veo-2.0-generate-001': { durations: [5, 6, 8], defaultDuration: 8, resolutions: [], samples: [1, 2], lastFrame: false, references: false,
    person: { text: ['allow_all', 'allow_adult', 'dont_allow'], image: ['allow_adult', 'dont_allow'] },
    params: ['aspectRatio', 'durationSeconds', 'negativePrompt', 'personGeneration', 'sampleCount', 'seed', 'enhancePrompt'] },
};
const DIMENSIONS = { '720p': [1280, 720], '1080p': [1920, 1080], '4k': [3840, 2160] };
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'];

const lowerId = () => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(12)].map((b) => alphabet[b % alphabet.length]).join('');
};

class GoogleError extends Error {
  constructor(code, message, details) {
    super(message);
    Object.assign(this, { code, details });
  }
}
const bad = (message) => new GoogleError(400, message);
const unsupported = (name) => bad(`\`${name}\` isn't supported by this model. Please remove it or refer to the Gemini API documentation for supported usage.`);

/**
 * Starts the fake. `keys` (or `key`) are the accepted API keys, each its own project; `videoDurationMs` how long a job
 * takes (settable later: `fake.videoDurationMs = 1000`); `redirectDownloads` (default true) answers downloads with a
 * 302 to a key-less storage URL, as Google does, rather than the bytes.
 */
export async function startFakeVeo({ key = 'fake-veo-key', keys, videoDurationMs = 2500, redirectDownloads = true } = {}) {
  const accepted = keys ?? [key];
  const operations = new Map(); // id → record
  const files = new Map(); // file id → { owner, width, height, seconds, signature }
  const state = { videoDurationMs, redirectDownloads };

  const server = await startFakeServer(async (request, reply) => {
    try {
      // The signed storage URL a download redirects to: no key, as a signed URL needs none.
      const storage = /^\/storage\/([a-z0-9]+)\.mp4$/.exec(request.path);
      if (request.method === 'GET' && storage) {
        const file = files.get(storage[1]);
        if (!file || request.query.sig !== file.signature) throw new GoogleError(403, 'The signature of this download URL is not valid.');
        const video = await mp4({ width: file.width, height: file.height, seconds: file.seconds });
        return reply.binary(200, video.bytes, 'video/mp4');
      }
      const given = request.headers['x-goog-api-key'] ?? request.query.key;
      if (given === undefined) {
        throw new GoogleError(403, 'Method doesn\'t allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.');
      }
      const owner = accepted.find((k) => k === given);
      if (!owner) {
        throw new GoogleError(400, 'API key not valid. Please pass a valid API key.', [{
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        }]);
      }
      if (request.tooLarge) throw new GoogleError(400, 'Request payload size exceeds the limit.');
      const start = /^\/(v1beta|v1)\/models\/([^/:]+):predictLongRunning$/.exec(request.path);
      const poll = /^\/(v1beta|v1)\/models\/([^/:]+)\/operations\/([^/:]+)$/.exec(request.path);
      const download = /^\/(v1beta|v1)\/files\/([^/:]+):download$/.exec(request.path);
      if (request.method === 'POST' && start) return reply.json(200, begin(start[1], start[2], request, owner));
      if (request.method === 'GET' && poll) return reply.json(200, present(findOperation(poll[2], poll[3], owner), Date.now()));
      if (request.method === 'GET' && download) return await sendFile(reply, download[2], request, owner);
      throw new GoogleError(404, `Requested entity was not found: ${request.method} ${request.path}`);
    } catch (error) {
      if (error instanceof GoogleError) {
        return reply.json(error.code, { error: { code: error.code, message: error.message, status: STATUS[error.code] ?? 'UNKNOWN', ...(error.details ? { details: error.details } : {}) } });
      }
      throw error;
    }
  }, { vendor: 'gemini' });

  /** An image of the request: {bytesBase64Encoded, mimeType} or {inlineData: {mimeType, data}}; decoded and checked. */
  function decodeImage(value, where) {
    if (!value || typeof value !== 'object') throw bad(`${where}: expected an image object with bytesBase64Encoded and mimeType.`);
    const data = value.bytesBase64Encoded ?? value.inlineData?.data;
    const mimeType = value.mimeType ?? value.inlineData?.mimeType;
    if (typeof data !== 'string' || data.length === 0) throw bad(`${where}: the image has no bytesBase64Encoded data.`);
    if (!IMAGE_TYPES.includes(mimeType)) throw bad(`${where}: unsupported mimeType ${JSON.stringify(mimeType)}; use image/png, image/jpeg or image/webp.`);
    const bytes = Buffer.from(data, 'base64');
    const info = imageInfo(bytes);
    if (!info || info.contentType !== mimeType) throw bad(`${where}: the image bytes are not a valid ${mimeType}.`);
    return { mimeType, size: bytes.length, sha256: sha256(bytes), width: info.width, height: info.height };
  }

  function begin(version, model, request, owner) {
    const rules = MODELS[model];
    if (!rules) {
      throw new GoogleError(404, `models/${model} is not found for API version ${version}, or is not supported for predictLongRunning. Call ListModels to see the list of available models and their supported methods.`);
    }
    const body = request.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('Invalid JSON payload received.');
    for (const name of Object.keys(body)) if (!['instances', 'parameters'].includes(name)) throw bad(`Invalid JSON payload received. Unknown name "${name}": Cannot find field.`);
    const { instances, parameters = {} } = body;
    if (!Array.isArray(instances) || instances.length === 0) throw bad('* PredictLongRunningRequest.instances: instances is required.');
    if (instances.length > 1) throw bad('Only one instance is supported per request.');
    const instance = instances[0];
    if (!instance || typeof instance !== 'object') throw bad('instances[0] must be an object.');
    for (const name of Object.keys(instance)) {
      const allowed = ['prompt', 'image', ...(rules.lastFrame ? ['lastFrame'] : []), ...(rules.references ? ['referenceImages'] : [])];
      if (!allowed.includes(name)) throw unsupported(name);
    }
    if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) throw bad('parameters must be an object.');
    for (const name of Object.keys(parameters)) if (!rules.params.includes(name)) throw unsupported(name);

    const prompt = instance.prompt;
    if (prompt !== undefined && typeof prompt !== 'string') throw bad('instances[0].prompt must be a string.');
    if (!prompt && !instance.image) throw bad('A prompt is required: instances[0].prompt is empty.');
    const image = instance.image !== undefined ? decodeImage(instance.image, 'instances[0].image') : null;
    if (instance.lastFrame !== undefined && !image) throw bad('lastFrame requires image (the first frame).');
    const lastFrame = instance.lastFrame !== undefined ? decodeImage(instance.lastFrame, 'instances[0].lastFrame') : null;
    let references = [];
    if (instance.referenceImages !== undefined) {
      if (!Array.isArray(instance.referenceImages) || instance.referenceImages.length === 0 || instance.referenceImages.length > 3) {
        throw bad('instances[0].referenceImages must hold 1 to 3 reference images.');
      }
      if (image) throw bad('referenceImages cannot be combined with image.');
      references = instance.referenceImages.map((ref, i) => {
        if (!ref || typeof ref !== 'object') throw bad(`instances[0].referenceImages[${i}] must be an object.`);
        if (ref.referenceType !== undefined && ref.referenceType !== 'asset') throw bad(`instances[0].referenceImages[${i}].referenceType: only "asset" is supported.`);
        return { ...decodeImage(ref.image, `instances[0].referenceImages[${i}].image`), referenceType: ref.referenceType ?? 'asset' };
      });
    }

    const aspectRatio = parameters.aspectRatio ?? '16:9';
    if (!['16:9', '9:16'].includes(aspectRatio)) throw bad(`Aspect ratio ${JSON.stringify(aspectRatio)} is not supported; use "16:9" or "9:16".`);
    const resolution = parameters.resolution ?? (rules.resolutions.length ? '720p' : null);
    if (parameters.resolution !== undefined) {
      if (!rules.resolutions.length) throw unsupported('resolution');
      if (!rules.resolutions.includes(resolution)) throw bad(`Resolution ${JSON.stringify(resolution)} is not supported by ${model}; use ${rules.resolutions.map((r) => `"${r}"`).join(', ')}.`);
    }
    const duration = parameters.durationSeconds ?? rules.defaultDuration;
    if (!Number.isInteger(duration) || !rules.durations.includes(duration)) {
      throw bad(`\`durationSeconds\` ${JSON.stringify(duration)} is not supported by ${model}; use one of ${rules.durations.join(', ')}.`);
    }
    if (duration !== 8 && ((resolution && resolution !== '720p') || references.length)) {
      throw bad(`\`durationSeconds\` must be 8 with ${references.length ? 'reference images' : `resolution ${resolution}`}.`);
    }
    const mode = image || references.length ? 'image' : 'text';
    const personGeneration = parameters.personGeneration;
    if (personGeneration !== undefined && !rules.person[mode].includes(personGeneration)) {
      throw bad(`personGeneration ${JSON.stringify(personGeneration)} is not supported for ${mode === 'text' ? 'text-to-video' : 'image-to-video'} with ${model}; use ${rules.person[mode].map((p) => `"${p}"`).join(' or ')}.`);
    }
    const sampleCount = parameters.sampleCount ?? 1;
    if (!rules.samples.includes(sampleCount)) throw bad(`sampleCount must be ${rules.samples.join(' or ')} for ${model}.`);
    if (parameters.negativePrompt !== undefined && typeof parameters.negativePrompt !== 'string') throw bad('negativePrompt must be a string.');
    if (parameters.seed !== undefined && (!Number.isInteger(parameters.seed) || parameters.seed < 0 || parameters.seed > 4294967295)) throw bad('seed must be an integer in [0, 4294967295].');

    const [w, h] = DIMENSIONS[resolution ?? '720p'];
    const record = {
      id: lowerId(), owner, model, prompt: prompt ?? '', createdMs: Date.now(), durationMs: state.videoDurationMs,
      width: aspectRatio === '16:9' ? w : h, height: aspectRatio === '16:9' ? h : w, seconds: duration, sampleCount,
      parameters: { aspectRatio, durationSeconds: duration, resolution, personGeneration, sampleCount, negativePrompt: parameters.negativePrompt, seed: parameters.seed },
      inputs: { image, lastFrame, referenceImages: references },
      fileIds: null,
    };
    operations.set(record.id, record);
    return { name: `models/${model}/operations/${record.id}` };
  }

  function findOperation(model, id, owner) {
    const record = operations.get(id);
    if (!record || record.owner !== owner || record.model !== model) throw new GoogleError(404, `Operation models/${model}/operations/${id} not found.`);
    return record;
  }

  function present(record, now) {
    const name = `models/${record.model}/operations/${record.id}`;
    if (now - record.createdMs < record.durationMs) return { name };
    if (record.prompt.includes(FAIL_TRIGGER)) return { name, done: true, error: { code: 13, message: 'Video generation failed: the upstream asked to FAIL.' } };
    if (record.prompt.includes(MODERATION_TRIGGER)) {
      return { name, done: true, response: { '@type': RESPONSE_TYPE, generateVideoResponse: { raiMediaFilteredCount: record.sampleCount, raiMediaFilteredReasons: [RAI_REASON] } } };
    }
    if (!record.fileIds) {
      record.fileIds = Array.from({ length: record.sampleCount }, () => {
        const id = lowerId();
        files.set(id, { owner: record.owner, width: record.width, height: record.height, seconds: record.seconds, signature: randomBytes(12).toString('hex') });
        return id;
      });
    }
    return {
      name,
      done: true,
      response: {
        '@type': RESPONSE_TYPE,
        generateVideoResponse: { generatedSamples: record.fileIds.map((id) => ({ video: { uri: `${server.origin}/v1beta/files/${id}:download?alt=media` } })) },
      },
    };
  }

  async function sendFile(reply, id, request, owner) {
    const file = files.get(id);
    if (!file || file.owner !== owner) throw new GoogleError(404, `File files/${id} not found.`);
    if (request.query.alt !== 'media') throw bad('Downloading a file needs alt=media.');
    if (state.redirectDownloads) return reply.redirect(302, `${server.origin}/storage/${id}.mp4?sig=${file.signature}`);
    const video = await mp4({ width: file.width, height: file.height, seconds: file.seconds });
    return reply.binary(200, video.bytes, 'video/mp4');
  }

  return Object.assign(server, {
    baseUrl: server.origin,
    key: accepted[0],
    keys: accepted,
    /** Every operation (inspection): id → record, with `inputs` (decoded images: mimeType, size, sha256, width, height). */
    operations,
    files,
    get videoDurationMs() { return state.videoDurationMs; },
    set videoDurationMs(ms) { state.videoDurationMs = ms; },
    get redirectDownloads() { return state.redirectDownloads; },
    set redirectDownloads(value) { state.redirectDownloads = value; },
  });
}
