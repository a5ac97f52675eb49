// The vendors' published schemas as the test oracle (tests/schemas, see its PROVENANCE.md): every answer,
// from Manifold (through lib/oracle-proxy.mjs) or from a loopback fake (lib/fake-server.mjs), is checked
// against the schema its vendor publishes for that endpoint, status and content type.
//
//   validate({ method, path, status, headers, requestHeaders, bodyText, vendor? }) → { route, violations }
//   (`vendor`, alias `protocol`: 'openai' | 'anthropic' | 'gemini', when the caller knows it; else from the request)
//
// A violation is { where, instancePath, message, schema }: `where` is "body", or "event 3 (response.created)" /
// "chunk 2" in a stream. The schema is worked out from the path, method, status and content type:
//
// | Endpoint | Answer | Stream (SSE `data:`) | Error (status >= 400) |
// | --- | --- | --- | --- |
// | POST /v1/chat/completions | CreateChatCompletionResponse | CreateChatCompletionStreamResponse (an `{error}` chunk: ErrorResponse) | ErrorResponse |
// | POST /v1/responses | Response | ResponseStreamEvent (`event:` must name the data's type) | ErrorResponse |
// | POST /v1/responses/input_tokens | TokenCountsResource | | ErrorResponse |
// | GET /v1/models, /v1/models/{id} | ListModelsResponse, Model | | ErrorResponse |
// | POST /v1/messages | Message | RawMessageStreamEvent; `ping` unchecked; `error`: ErrorResponse | ErrorResponse |
// | POST /v1/messages/count_tokens | MessageTokensCount | | ErrorResponse |
// | GET /v1/models (anthropic-version), /v1/models/{id} | ModelInfoPage, ModelInfo | | ErrorResponse |
// | POST /v1beta/models/{m}:generateContent, :countTokens | GenerateContentResponse, CountTokensResponse | | Google error |
// | POST …:streamGenerateContent | | each `data:` (alt=sse) or each JSON array element: GenerateContentResponse, `{error}`: Google error | Google error |
// | GET /v1beta/models, /v1beta/models/{m} (x-goog-api-key or ?key=) | ListModelsResponse, Model | | Google error |
// | POST /v1/videos, /v1/videos/edits, /v1/videos/extensions, /v1/videos/{id}/remix; GET /v1/videos/{id} | VideoResource | | ErrorResponse |
// | GET /v1/videos; DELETE /v1/videos/{id} | VideoListResource; DeletedVideoResource | | ErrorResponse |
// | POST /v1/videos/characters, GET /v1/videos/characters/{id} | VideoCharacterResource | | ErrorResponse |
// | GET /v1/videos/{id}/content[?variant=] | binary: the content type only (video/mp4; thumbnail image/webp; spritesheet image/jpeg) | | ErrorResponse |
// | POST /v1/images/generations, /v1/images/edits | ImagesResponse | ImageGenStreamEvent, ImageEditStreamEvent (`event:` must name the data's type) | ErrorResponse |
// | POST /v1/images/variations | ImagesResponse | | ErrorResponse |
// | POST /v1beta/models/{m}:predictLongRunning; GET /v1beta/models/{m}/operations/{id} | Veo Operation (hand-written, below) | | Google error |
// | GET /v1beta/files/{id}:download | binary: video/mp4 (a 3xx redirect: nothing to check) | | Google error |
//
// `/{platform}/` before `/v1` is allowed. OpenAI's schemas are `openai#/components/schemas/<Name>` in
// tests/schemas/openai/openapi.yaml (OpenAPI 3.1, JSON Schema 2020-12); Anthropic's are generated from the SDK's
// types (tests/schemas/anthropic/<Name>.schema.json); Google's discovery schemas are converted to JSON Schema here.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gunzipSync, brotliDecompressSync, inflateSync } from 'node:zlib';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SCHEMAS_DIR = path.resolve(here, '../../schemas');
const CACHE_DIR = path.resolve(here, '../node_modules/.cache/manifold-oracle');

// ---- Where the SDK types are stricter than the documented wire ------------------------------------------
//
// The Anthropic schemas are generated from @anthropic-ai/sdk's response types, which declare some fields
// required that the Messages API leaves out. Exactly these are relaxed (and listed in tests/schemas/PROVENANCE.md);
// everything else is checked as the types declare it.
export const ANTHROPIC_RELAXATIONS = [
  {
    definition: 'TextBlock',
    why: '`citations` is absent from text blocks that have none (the API documents it as present only with citations).',
    apply: (schema) => { schema.required = schema.required.filter((name) => name !== 'citations'); },
  },
  {
    definition: 'MessageDeltaUsage',
    why: 'message_delta usage carries the counters that changed (output_tokens); the others are left out when they do not apply.',
    apply: (schema) => { schema.required = ['output_tokens']; },
  },
];

// ---- Google's error body -------------------------------------------------------------------------------
//
// Written by hand: google.rpc.Status is not in the discovery document. The HTTP JSON mapping (AIP-193) wraps it
// as {error: {code, message, status, details?}}, status being the google.rpc.Code name.
const GOOGLE_CODES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'UNAUTHENTICATED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE',
  'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS'];
const GOOGLE_ERROR = {
  $id: 'google-rpc',
  $defs: {
    ErrorResponse: {
      type: 'object',
      required: ['error'],
      additionalProperties: false,
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message', 'status'],
          additionalProperties: false,
          properties: {
            code: { type: 'integer' },
            message: { type: 'string' },
            status: { enum: GOOGLE_CODES },
            details: { type: 'array', items: { type: 'object', required: ['@type'], properties: { '@type': { type: 'string' } } } },
          },
        },
      },
    },
  },
};

// ---- Veo's long-running operation ---------------------------------------------------------------------------
//
// Written by hand: the discovery document (revision 20240713) predates Veo, so it has google.longrunning.Operation
// and google.rpc.Status but not the operation's `response`. This is the generativelanguage v1beta proto
// PredictLongRunningResponse (oneof generate_video_response) → PredictLongRunningGeneratedVideoResponse
// {generatedSamples: Media[], raiMediaFilteredCount, raiMediaFilteredReasons} → Media {video: Video} → Video
// {video (bytes) | uri}, in the JSON mapping (an Any carries its "@type"). See tests/schemas/PROVENANCE.md.
const VEO_RESPONSE_TYPE = 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse';
const GOOGLE_VEO = {
  $id: 'google-veo',
  $defs: {
    Operation: {
      allOf: [{ $ref: 'google#/$defs/Operation' }],
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', pattern: '^models/[^/]+/operations/[^/]+$' },
        done: { type: 'boolean' },
        metadata: { type: 'object' },
        error: { $ref: '#/$defs/Status' },
        response: { $ref: '#/$defs/PredictLongRunningResponse' },
      },
      // Running (`done` absent or false), or finished with its result: `response` or `error`.
      anyOf: [
        { properties: { done: { const: false } } },
        { required: ['response'] },
        { required: ['error'] },
      ],
    },
    Status: {
      allOf: [{ $ref: 'google#/$defs/Status' }],
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: {
        code: { type: 'integer' },
        message: { type: 'string' },
        details: { type: 'array', items: { type: 'object', required: ['@type'], properties: { '@type': { type: 'string' } } } },
      },
    },
    PredictLongRunningResponse: {
      type: 'object',
      required: ['@type'],
      additionalProperties: false,
      properties: {
        '@type': { const: VEO_RESPONSE_TYPE },
        generateVideoResponse: { $ref: '#/$defs/PredictLongRunningGeneratedVideoResponse' },
      },
    },
    PredictLongRunningGeneratedVideoResponse: {
      type: 'object',
      additionalProperties: false,
      properties: {
        generatedSamples: { type: 'array', items: { $ref: '#/$defs/Media' } },
        raiMediaFilteredCount: { type: 'integer', minimum: 0 },
        raiMediaFilteredReasons: { type: 'array', items: { type: 'string' } },
      },
    },
    Media: { type: 'object', additionalProperties: false, properties: { video: { $ref: '#/$defs/Video' } } },
    Video: {
      type: 'object',
      additionalProperties: false,
      properties: { video: { type: 'string' }, uri: { type: 'string', format: 'uri' } },
    },
  },
};

// ---- Loading --------------------------------------------------------------------------------------------

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

/** OpenAI's document, parsed (the YAML parse takes ~1.5 s, so its JSON is cached under node_modules/.cache). */
function loadOpenAI() {
  const text = readFileSync(path.join(SCHEMAS_DIR, 'openai/openapi.yaml'), 'utf8');
  const cached = path.join(CACHE_DIR, `openapi-${sha256(text).slice(0, 16)}.json`);
  let doc;
  if (existsSync(cached)) {
    doc = JSON.parse(readFileSync(cached, 'utf8'));
  } else {
    doc = YAML.parse(text, { maxAliasCount: -1 });
    mkdirSync(CACHE_DIR, { recursive: true });
    writeFileSync(cached, JSON.stringify(doc));
  }
  honourNullable(doc.components);
  return { $id: 'openai', components: doc.components };
}

/**
 * The 3.1 document still carries OpenAPI 3.0's `nullable: true` in ~110 places (3.1 dropped the keyword in favour
 * of `type: [..., "null"]`). Its intent is plain, so it is honoured: such a schema also accepts null.
 */
function honourNullable(node) {
  if (Array.isArray(node)) {
    node.forEach(honourNullable);
  } else if (node && typeof node === 'object') {
    for (const value of Object.values(node)) honourNullable(value);
    if (typeof node.nullable === 'boolean') {
      const nullable = node.nullable;
      delete node.nullable;
      if (nullable) {
        const inner = { ...node };
        for (const key of Object.keys(node)) delete node[key];
        node.anyOf = [inner, { type: 'null' }];
      }
    }
  }
}

/** The discovery document's schemas as JSON Schema: `$ref: "Name"`, int64 as decimal strings, int32 as integers. */
function loadGoogle() {
  const discovery = JSON.parse(readFileSync(path.join(SCHEMAS_DIR, 'google/generativelanguage-v1beta.json'), 'utf8'));
  const convert = (schema) => {
    if (schema.$ref) return { $ref: `#/$defs/${schema.$ref}` };
    const out = {};
    switch (schema.type) {
      case 'object':
        out.type = 'object';
        if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, convert(v)]));
        if (schema.additionalProperties) out.additionalProperties = convert(schema.additionalProperties);
        break;
      case 'array':
        out.type = 'array';
        if (schema.items) out.items = convert(schema.items);
        break;
      case 'string':
        out.type = 'string';
        // int64/uint64 travel as JSON strings holding a decimal integer.
        if (schema.format === 'int64' || schema.format === 'uint64') out.pattern = '^-?[0-9]+$';
        break;
      case 'integer':
      case 'number':
      case 'boolean':
        out.type = schema.type;
        break;
      case 'any':
      case undefined:
        break;
      default:
        throw new Error(`discovery type ${schema.type} is not handled`);
    }
    if (schema.enum) out.enum = schema.enum;
    return out;
  };
  return {
    $id: 'google',
    revision: discovery.revision,
    $defs: Object.fromEntries(Object.entries(discovery.schemas).map(([name, schema]) => [name, convert(schema)])),
  };
}

function loadAnthropic() {
  const dir = path.join(SCHEMAS_DIR, 'anthropic');
  return readdirSync(dir).filter((f) => f.endsWith('.schema.json')).sort().map((file) => {
    const schema = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    delete schema.$schema; // draft-07 as generated; `definitions` and `$ref` mean the same under 2020-12
    delete schema.$comment;
    for (const relaxation of ANTHROPIC_RELAXATIONS) {
      if (schema.definitions?.[relaxation.definition]) relaxation.apply(schema.definitions[relaxation.definition]);
    }
    return { ...schema, $id: `anthropic/${file.replace('.schema.json', '')}` };
  });
}

// ---- Routes ---------------------------------------------------------------------------------------------

const O = (name) => `openai#/components/schemas/${name}`;
const A = (name) => `anthropic/${name}#/definitions/${name}`;
const G = (name) => `google#/$defs/${name}`;
const V = (name) => `google-veo#/$defs/${name}`;
const ERRORS = { openai: O('ErrorResponse'), anthropic: A('ErrorResponse'), gemini: 'google-rpc#/$defs/ErrorResponse' };

const header = (headers, name) => {
  const value = headers?.[name] ?? headers?.[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * What an answer to this request must look like: { vendor, endpoint, family, answer, event, error } (schema refs),
 * or null when the path is none of the vendors' (health checks, admin). `family` is what pass-through compares:
 * the same family in and out means Manifold relays the upstream's answer. `vendor` forces the vendor (a fake knows
 * which API it is), so that even an unknown path's error answer is checked.
 */
export function route({ method = 'POST', path: fullPath, requestHeaders = {}, vendor } = {}) {
  const url = new URL(fullPath, 'http://x');
  const match = /^(?:\/(?!v1(?:beta)?\/)[^/]+)?(\/v1(?:beta)?)(\/.*)$/.exec(url.pathname);
  const hinted = (found) => (vendor && found.vendor !== vendor ? null : found);
  const fallback = vendor ? { vendor, endpoint: 'unknown', family: null, answer: null, error: ERRORS[vendor] } : null;
  if (!match) return fallback;
  const [, version, rest] = match;
  const googleAuth = header(requestHeaders, 'x-goog-api-key') !== undefined || url.searchParams.has('key');
  const make = (v, endpoint, answer, event = null) => hinted({ vendor: v, endpoint, family: endpoint, answer, event, error: ERRORS[v] }) ?? fallback;
  const generate = /^\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/.exec(rest);
  if (method === 'POST' && generate) {
    const endpoint = generate[2];
    if (endpoint === 'countTokens') return make('gemini', 'gemini.countTokens', G('CountTokensResponse'));
    return make('gemini', `gemini.${endpoint}`, G('GenerateContentResponse'), G('GenerateContentResponse'));
  }
  const media = mediaRoute(method, version, rest, url, make);
  if (media) return media;
  if (method === 'POST' && version === '/v1') {
    if (rest === '/chat/completions') return make('openai', 'chat', O('CreateChatCompletionResponse'), O('CreateChatCompletionStreamResponse'));
    if (rest === '/responses') return make('openai', 'responses', O('Response'), O('ResponseStreamEvent'));
    if (rest === '/responses/input_tokens') return make('openai', 'responses.input_tokens', O('TokenCountsResource'));
    if (rest === '/messages') return make('anthropic', 'messages', A('Message'), A('RawMessageStreamEvent'));
    if (rest === '/messages/count_tokens') return make('anthropic', 'messages.count_tokens', A('MessageTokensCount'));
  }
  const models = /^\/models(?:\/([^/:]+))?$/.exec(rest);
  if (method === 'GET' && models) {
    const one = models[1] !== undefined;
    if (vendor === 'gemini' || (!vendor && (googleAuth || version === '/v1beta'))) {
      return make('gemini', one ? 'gemini.model' : 'gemini.models', G(one ? 'Model' : 'ListModelsResponse'));
    }
    if (vendor === 'anthropic' || (!vendor && header(requestHeaders, 'anthropic-version') !== undefined)) {
      return make('anthropic', one ? 'anthropic.model' : 'anthropic.models', A(one ? 'ModelInfo' : 'ModelInfoPage'));
    }
    return make('openai', one ? 'openai.model' : 'openai.models', O(one ? 'Model' : 'ListModelsResponse'));
  }
  if (vendor) return fallback;
  // An unknown path under a vendor's prefix still answers errors in some vendor's shape; which one is a guess.
  if (version === '/v1beta' || googleAuth) return { vendor: 'gemini', endpoint: 'unknown', family: null, answer: null, error: ERRORS.gemini };
  return null;
}

/**
 * The media endpoints: OpenAI's Videos and Images APIs, Gemini's Veo (predictLongRunning, its operation, the file
 * download). A binary answer has `binary` (the content types it may have) instead of `answer`.
 */
function mediaRoute(method, version, rest, url, make) {
  const binary = (found, types) => (found && found.endpoint !== 'unknown' ? { ...found, binary: types } : found);
  if (method === 'POST' && /^\/models\/[^/:]+:predictLongRunning$/.test(rest)) return make('gemini', 'gemini.predictLongRunning', V('Operation'));
  if (method === 'GET' && /^\/models\/[^/:]+\/operations\/[^/:]+$/.test(rest)) return make('gemini', 'gemini.operation', V('Operation'));
  if (method === 'GET' && /^\/files\/[^/:]+:download$/.test(rest)) return binary(make('gemini', 'gemini.files.download', null), ['video/mp4']);
  if (version !== '/v1') return null;
  if (rest === '/videos') {
    if (method === 'POST') return make('openai', 'videos.create', O('VideoResource'));
    if (method === 'GET') return make('openai', 'videos.list', O('VideoListResource'));
  }
  const character = /^\/videos\/characters(?:\/([^/]+))?$/.exec(rest);
  if (character) {
    if (method === 'POST' && !character[1]) return make('openai', 'videos.characters.create', O('VideoCharacterResource'));
    if (method === 'GET' && character[1]) return make('openai', 'videos.characters.retrieve', O('VideoCharacterResource'));
    return null;
  }
  if (method === 'POST' && (rest === '/videos/edits' || rest === '/videos/extensions')) return make('openai', `videos.${rest.slice(8)}`, O('VideoResource'));
  if (/^\/videos\/[^/]+$/.test(rest)) {
    if (method === 'GET') return make('openai', 'videos.retrieve', O('VideoResource'));
    if (method === 'DELETE') return make('openai', 'videos.delete', O('DeletedVideoResource'));
  }
  if (method === 'POST' && /^\/videos\/[^/]+\/remix$/.test(rest)) return make('openai', 'videos.remix', O('VideoResource'));
  if (method === 'GET' && /^\/videos\/[^/]+\/content$/.test(rest)) {
    // The document lists video/mp4 and image/webp; a spritesheet is a JPEG (see tests/schemas/PROVENANCE.md).
    const variant = url.searchParams.get('variant') ?? 'video';
    const types = { video: ['video/mp4'], thumbnail: ['image/webp'], spritesheet: ['image/jpeg'] }[variant] ?? ['video/mp4', 'image/webp', 'image/jpeg'];
    return binary(make('openai', 'videos.content', null), types);
  }
  if (method === 'POST' && rest === '/images/generations') return make('openai', 'images.generations', O('ImagesResponse'), O('ImageGenStreamEvent'));
  if (method === 'POST' && rest === '/images/edits') return make('openai', 'images.edits', O('ImagesResponse'), O('ImageEditStreamEvent'));
  if (method === 'POST' && rest === '/images/variations') return make('openai', 'images.variations', O('ImagesResponse'));
  return null;
}

// ---- The oracle -----------------------------------------------------------------------------------------

class Oracle {
  constructor() {
    const options = {
      strict: false, validateSchema: false, allowUnionTypes: true,
      logger: { log() {}, warn() {}, error: (...args) => console.error(...args) },
    };
    // Whether an answer is valid: the first error is enough (a union of 58 stream events stops at its match).
    this.ajv = new Ajv2020({ ...options, allErrors: false });
    // What is wrong at one place (a node's own keywords, see shallow()): every error.
    this.ajvAll = new Ajv2020({ ...options, allErrors: true });
    for (const ajv of [this.ajv, this.ajvAll]) {
      addFormats(ajv);
      for (const format of ['unixtime', 'binary', 'png', 'byte']) ajv.addFormat(format, true);
    }
    this.docs = new Map();
    for (const doc of [loadOpenAI(), loadGoogle(), GOOGLE_ERROR, GOOGLE_VEO, ...loadAnthropic()]) {
      this.ajv.addSchema(doc);
      this.docs.set(doc.$id, doc);
    }
    this.googleRevision = this.docs.get('google').revision;
    this.validators = new Map();
  }

  validator(ref) {
    let v = this.validators.get(ref);
    if (!v) {
      v = this.ajv.getSchema(ref);
      if (!v) throw new Error(`oracle: no schema ${ref}`);
      this.validators.set(ref, v);
    }
    return v;
  }

  /**
   * A validator of a node's own keywords only (type, required, enum, const, additionalProperties: false, formats,
   * bounds, ...): what its $ref, allOf, unions, properties and items lead to is checked where they lead.
   */
  shallow(ref) {
    const key = `shallow:${ref}`;
    let v = this.validators.get(key);
    if (!v) {
      const node = this.node(ref);
      const own = {};
      for (const [keyword, value] of Object.entries(node)) {
        if (['$ref', '$id', '$defs', 'definitions', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'items', 'prefixItems',
          'contains', 'discriminator', 'components'].includes(keyword)) continue;
        if (keyword === 'properties' || keyword === 'patternProperties') {
          own[keyword] = Object.fromEntries(Object.keys(value).map((k) => [k, true]));
        } else if (keyword === 'additionalProperties') {
          own[keyword] = value === false ? false : true;
        } else {
          own[keyword] = value;
        }
      }
      v = this.ajvAll.compile(own);
      this.validators.set(key, v);
    }
    return v;
  }

  /** The schema node a ref points at. */
  node(ref) {
    const [id, fragment = ''] = ref.split('#');
    let node = this.docs.get(id);
    for (const token of fragment.split('/').slice(1)) {
      node = node?.[decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~')];
    }
    if (node === undefined) throw new Error(`oracle: ${ref} does not resolve`);
    return node;
  }

  /** Violations of `data` against the schema `ref`, explained at the deepest place that is wrong. */
  check(ref, data, where) {
    if (this.validator(ref)(data)) return [];
    const out = [];
    this.explain([ref], data, '', out, 0);
    const seen = new Set();
    return out.filter((v) => {
      const key = `${v.instancePath}|${v.message}`;
      return !seen.has(key) && seen.add(key);
    }).map((v) => ({ where, ...v, schema: ref.replace(/^openai#\/components\/schemas\//, 'openai:').replace(/^anthropic\/[^#]+#\/definitions\//, 'anthropic:')
      .replace(/^google#\/\$defs\//, 'google:').replace(/^google-rpc#\/\$defs\//, 'google-rpc:') }));
  }

  /** Every schema that applies to a value given a set of refs: $ref targets and allOf members, unions left as they are. */
  expand(refs) {
    const all = [];
    const queue = [...refs];
    while (queue.length) {
      const ref = queue.shift();
      if (all.includes(ref)) continue;
      all.push(ref);
      const node = this.node(ref);
      if (typeof node !== 'object' || node === null) continue;
      if (node.$ref) queue.push(this.absolute(node.$ref, ref));
      (node.allOf ?? []).forEach((_, i) => queue.push(`${ref}/allOf/${i}`));
    }
    return all;
  }

  absolute(target, from) {
    return target.startsWith('#') ? `${from.split('#')[0]}${target}` : target;
  }

  explain(refs, data, at, out, depth) {
    if (depth > 64) return;
    let set = this.expand(refs);
    // Unions: pick the alternative the data means (by its const discriminators, else the closest), and go on in it.
    for (let round = 0; round < 8; round++) {
      const union = set.find((ref) => {
        const node = this.node(ref);
        return (node.anyOf || node.oneOf) && !set.some((r) => r.startsWith(`${ref}/anyOf/`) || r.startsWith(`${ref}/oneOf/`));
      });
      if (!union) break;
      const branch = this.chooseBranch(union, data, at, out);
      if (branch === null) return;
      set = this.expand([...set, branch]);
    }
    // This level's own errors (required, type, enum, const, additionalProperties, ...).
    for (const ref of set) {
      const validate = this.shallow(ref);
      if (validate(data)) continue;
      for (const error of validate.errors) out.push({ instancePath: at, message: describe(error) });
    }
    // Then each property or item that fails, with every schema that applies to it.
    if (data && typeof data === 'object') {
      const children = new Map();
      for (const ref of set) {
        const node = this.node(ref);
        if (Array.isArray(data)) {
          if (node.items && typeof node.items === 'object') data.forEach((_, i) => push(children, i, `${ref}/items`));
          continue;
        }
        for (const key of Object.keys(data)) {
          if (node.properties && key in node.properties) push(children, key, `${ref}/properties/${encode(key)}`);
          else if (node.additionalProperties && typeof node.additionalProperties === 'object' && !(node.properties && key in node.properties)) {
            push(children, key, `${ref}/additionalProperties`);
          }
        }
      }
      for (const [key, childRefs] of children) {
        const value = data[key];
        if (childRefs.some((ref) => !this.validator(ref)(value))) {
          this.explain(childRefs, value, `${at}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`, out, depth + 1);
        }
      }
    }
  }

  /** The union alternative the data is meant to be, or null (and a violation) when none fits. */
  chooseBranch(ref, data, at, out) {
    const node = this.node(ref);
    const keyword = node.anyOf ? 'anyOf' : 'oneOf';
    const branches = node[keyword].map((_, i) => `${ref}/${keyword}/${i}`);
    const passing = branches.filter((b) => this.validator(b)(data));
    if (passing.length === 1 || (passing.length > 1 && keyword === 'anyOf')) return passing[0];
    if (passing.length > 1) {
      out.push({ instancePath: at, message: `must match exactly one alternative of oneOf, matches ${passing.length}` });
      return null;
    }
    const scored = branches.map((b) => ({ ref: b, ...this.fit(b, data) })).filter((b) => b.fits);
    if (scored.length === 0) {
      const kinds = [...new Set(branches.map((b) => this.summary(b)))];
      const listed = kinds.length > 8 ? `${kinds.slice(0, 8).join(' | ')} | ... (${kinds.length} alternatives)` : kinds.join(' | ');
      out.push({ instancePath: at, message: `matches no alternative, got ${summarizeValue(data)}; expected ${listed}` });
      return null;
    }
    const best = Math.max(...scored.map((b) => b.score));
    const candidates = scored.filter((b) => b.score === best);
    if (candidates.length === 1) return candidates[0].ref;
    // No discriminator tells them apart: the alternative with the fewest errors of its own.
    const ownErrors = (ref) => this.expand([ref]).reduce((n, r) => n + (this.shallow(r)(data) ? 0 : this.shallow(r).errors.length), 0);
    return candidates.map((b) => ({ ...b, errors: ownErrors(b.ref) })).sort((x, y) => x.errors - y.errors)[0].ref;
  }

  /** Whether an alternative can be meant for the data: its type, and its const/enum discriminators (score = matches). */
  fit(ref, data) {
    const set = this.expand([ref]);
    let score = 0;
    for (const r of set) {
      const node = this.node(r);
      const types = [node.type].flat().filter(Boolean);
      if (types.length && !types.some((t) => typeMatches(t, data))) return { fits: false, score };
      if (node.const !== undefined && !Object.is(node.const, data) && JSON.stringify(node.const) !== JSON.stringify(data)) return { fits: false, score };
      if (data && typeof data === 'object' && !Array.isArray(data) && node.properties) {
        for (const [key, property] of Object.entries(node.properties)) {
          const value = this.discriminator(`${r}/properties/${encode(key)}`, property);
          if (value === undefined) continue;
          if (!(key in data)) continue;
          if (data[key] === value) score += 1;
          else return { fits: false, score };
        }
      }
    }
    return { fits: true, score };
  }

  discriminator(ref, property) {
    let node = property;
    if (node.$ref) node = this.node(this.absolute(node.$ref, ref));
    if (node.const !== undefined && typeof node.const !== 'object') return node.const;
    if (Array.isArray(node.enum) && node.enum.length === 1 && typeof node.enum[0] !== 'object') return node.enum[0];
    return undefined;
  }

  summary(ref) {
    const set = this.expand([ref]);
    for (const r of set) {
      const node = this.node(r);
      for (const [key, property] of Object.entries(node.properties ?? {})) {
        const value = this.discriminator(`${r}/properties/${encode(key)}`, property);
        if (value !== undefined && ['type', 'object', 'event'].includes(key)) return `${key}=${value}`;
      }
    }
    const node = this.node(set.at(-1));
    if (node.const !== undefined) return JSON.stringify(node.const);
    if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join('|');
    return [node.type].flat().filter(Boolean).join('|') || 'schema';
  }
}

const encode = (key) => encodeURIComponent(String(key).replaceAll('~', '~0').replaceAll('/', '~1'));

function push(map, key, ref) {
  if (!map.has(key)) map.set(key, []);
  map.get(key).push(ref);
}

function typeMatches(type, data) {
  switch (type) {
    case 'null': return data === null;
    case 'array': return Array.isArray(data);
    case 'object': return data !== null && typeof data === 'object' && !Array.isArray(data);
    case 'integer': return Number.isInteger(data);
    case 'number': return typeof data === 'number';
    default: return typeof data === type;
  }
}

function summarizeValue(data) {
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    for (const key of ['type', 'object']) if (typeof data[key] === 'string') return `${key}=${data[key]}`;
    return 'object';
  }
  return Array.isArray(data) ? 'array' : JSON.stringify(data)?.slice(0, 60);
}

function describe(error) {
  const p = error.params ?? {};
  switch (error.keyword) {
    case 'required': return `must have required property '${p.missingProperty}'`;
    case 'additionalProperties': return `must NOT have additional property '${p.additionalProperty}'`;
    case 'enum': return `must be one of ${JSON.stringify(p.allowedValues)}`;
    case 'const': return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'type': return `must be ${p.type}`;
    default: return error.message;
  }
}

/** What the oracle cost this process: loading its schemas, and checking answers (ms). */
export const stats = { loadMs: 0, checkMs: 0, answers: 0 };

let oracle;
/** The oracle, loaded once per process (~0.3 s; the first run also parses OpenAI's YAML, ~1.5 s). */
export function getOracle() {
  if (!oracle) {
    const started = performance.now();
    oracle = new Oracle();
    stats.loadMs = performance.now() - started;
  }
  return oracle;
}

/** Violations of a value against a schema ref (for goldens and direct checks). */
export function checkValue(ref, value, where = 'body') {
  return getOracle().check(ref, value, where);
}

// ---- Answers --------------------------------------------------------------------------------------------

/** Parses an SSE body into events { event, data } (data lines joined); comments and empty events dropped. */
export function parseSSE(text) {
  const events = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    let event;
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':') || line === '') continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (event !== undefined || data.length) events.push({ event, data: data.join('\n') });
  }
  return events;
}

/** Decodes a response body per its content-encoding (the oracle reads it; what the client got is untouched). */
export function decodeBody(buffer, headers = {}) {
  const encoding = String(header(headers, 'content-encoding') ?? '').toLowerCase();
  if (encoding === 'gzip') return gunzipSync(buffer).toString('utf8');
  if (encoding === 'br') return brotliDecompressSync(buffer).toString('utf8');
  if (encoding === 'deflate') return inflateSync(buffer).toString('utf8');
  return buffer.toString('utf8');
}

/**
 * Checks one answer. Returns { route, violations } (route null: not a vendor endpoint, nothing checked).
 * `headers` are the response's, `requestHeaders` the request's (they tell Anthropic's and Gemini's model lists apart).
 */
export function validate(answer) {
  const started = performance.now();
  getOracle();
  const checkStarted = performance.now();
  try {
    return validateAnswer(answer);
  } finally {
    stats.checkMs += performance.now() - checkStarted;
    stats.answers += 1;
    stats.totalMs = (stats.totalMs ?? 0) + performance.now() - started;
  }
}

function validateAnswer({ method = 'POST', path: fullPath, status, headers = {}, requestHeaders = {}, bodyText, vendor, protocol }) {
  vendor ??= protocol;
  const r = route({ method, path: fullPath, requestHeaders, vendor });
  if (!r) return { route: null, violations: [] };
  const o = getOracle();
  const violations = [];
  const parse = (text, where) => {
    try {
      return { value: JSON.parse(text) };
    } catch {
      violations.push({ where, instancePath: '', message: `is not JSON: ${JSON.stringify(String(text).slice(0, 80))}`, schema: null });
      return null;
    }
  };
  const type = String(header(headers, 'content-type') ?? '');
  if (status >= 400) {
    const body = parse(bodyText, 'body');
    if (body) violations.push(...o.check(r.error, body.value, 'body'));
    return { route: r, violations };
  }
  if (r.binary) {
    // Bytes (a video, an image): their content type is checked, not their content; a redirect has no body.
    if (status >= 300 && status < 400) return { route: r, violations };
    const mediaType = type.split(';')[0].trim().toLowerCase();
    if (!r.binary.includes(mediaType)) {
      violations.push({ where: 'body', instancePath: '', message: `content type must be ${r.binary.join(' or ')}, got ${JSON.stringify(type)}`, schema: null });
    }
    return { route: r, violations };
  }
  if (!r.answer) return { route: r, violations };
  if (/text\/event-stream/i.test(type)) {
    if (!r.event) {
      violations.push({ where: 'body', instancePath: '', message: `${r.endpoint} does not stream, but the answer is text/event-stream`, schema: null });
      return { route: r, violations };
    }
    parseSSE(bodyText).forEach(({ event, data }, i) => {
      const where = (name) => `event ${i}${name ? ` (${name})` : ''}`;
      if (r.vendor === 'openai' && r.endpoint === 'chat') {
        if (data === '[DONE]') return;
        const chunk = parse(data, where());
        if (!chunk) return;
        const isError = chunk.value && typeof chunk.value === 'object' && 'error' in chunk.value && !('object' in chunk.value);
        violations.push(...o.check(isError ? r.error : r.event, chunk.value, where(isError ? 'error' : chunk.value?.object)));
      } else if (r.vendor === 'openai' || r.vendor === 'anthropic') {
        const parsed = parse(data, where(event));
        if (!parsed) return;
        const name = parsed.value?.type;
        if (event !== undefined && event !== name) {
          violations.push({ where: where(event), instancePath: '/type', message: `the SSE event is named ${event} but its data's type is ${name}`, schema: null });
        }
        if (r.vendor === 'anthropic' && name === 'ping') return;
        const ref = r.vendor === 'anthropic' && name === 'error' ? r.error : r.event;
        violations.push(...o.check(ref, parsed.value, where(name)));
      } else {
        const parsed = parse(data, where());
        if (!parsed) return;
        const isError = parsed.value && typeof parsed.value === 'object' && 'error' in parsed.value;
        violations.push(...o.check(isError ? r.error : r.event, parsed.value, where(isError ? 'error' : undefined).replace('event', 'chunk')));
      }
    });
    return { route: r, violations };
  }
  const body = parse(bodyText, 'body');
  if (!body) return { route: r, violations };
  if (r.endpoint === 'gemini.streamGenerateContent') {
    // Without alt=sse the stream is one JSON array of GenerateContentResponse chunks.
    if (!Array.isArray(body.value)) {
      violations.push({ where: 'body', instancePath: '', message: 'must be a JSON array of GenerateContentResponse chunks', schema: null });
      return { route: r, violations };
    }
    body.value.forEach((value, i) => {
      const isError = value && typeof value === 'object' && 'error' in value;
      violations.push(...o.check(isError ? r.error : r.event, value, `chunk ${i}${isError ? ' (error)' : ''}`));
    });
    return { route: r, violations };
  }
  violations.push(...o.check(r.answer, body.value, 'body'));
  return { route: r, violations };
}

/** One line per violation, for failure messages. */
export function formatViolations(violations) {
  return violations.map((v) => `    ${v.where}${v.instancePath ? ` ${v.instancePath}` : ''}: ${v.message}${v.schema ? ` [${v.schema}]` : ''}${v.origin ? ` <${v.origin}>` : ''}`).join('\n');
}

/** What identifies a violation across two answers (pass-through attribution): the event kind, path and message. */
export function signature(v) {
  const kind = v.where.replace(/^(event|chunk) \d+/, '$1');
  return `${kind}|${v.instancePath}|${v.message}`;
}
