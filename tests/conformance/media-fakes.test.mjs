// Self-check of the media fakes: the official SDKs (and raw HTTP where the SDK cannot start the call) pointed straight
// at lib/fake-openai-media.mjs, lib/fake-veo.mjs and lib/fake-gemini.mjs (no Manifold) must get what the vendors'
// APIs answer: real files (checked with ffprobe), jobs that advance over time, and the errors the APIs give.
// Every answer is also checked against its vendor's published schema (lib/oracle-ledger.mjs fails the test if not).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApiError, GenerateVideosOperation, GoogleGenAI } from '@google/genai';
import OpenAI, { toFile } from 'openai';
import { startFakeGemini } from './lib/fake-gemini.mjs';
import { startFakeOpenAIMedia } from './lib/fake-openai-media.mjs';
import { RAI_REASON, startFakeVeo } from './lib/fake-veo.mjs';
import { image, imageInfo, mask as makeMask, png, probe, sha256 } from './lib/media-files.mjs';
import { validate } from './lib/oracle.mjs';
import './lib/oracle-ledger.mjs';

const JOB_MS = 800;
const KEY_B = 'sk-fake-openai-media-project-b';
let media;
let veo;
let gemini;
let dir;
let portrait; // a 720x1280 PNG on disk: the input_reference of a 720x1280 video

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `read` every `interval` ms until `done(value)`; returns every value seen (the last one is done). */
async function pollUntil(read, done, { interval = 100, timeout = 10_000 } = {}) {
  const seen = [];
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    seen.push(value);
    if (done(value)) return seen;
    if (Date.now() > deadline) throw new Error(`still not done after ${timeout} ms: ${JSON.stringify(value).slice(0, 300)}`);
    await sleep(interval);
  }
}

const bytesOf = async (response) => Buffer.from(await response.arrayBuffer());

async function assertVideo(bytes, { width, height, seconds }) {
  const info = await probe(bytes);
  const video = info.streams.find((s) => s.codec_type === 'video');
  assert.equal(info.format.format_name.split(',')[0], 'mov', 'an MP4 (ffprobe: mov,mp4,...)');
  assert.equal(video.codec_name, 'h264');
  assert.equal(video.pix_fmt, 'yuv420p');
  assert.deepEqual([video.width, video.height], [width, height]);
  assert.ok(Math.abs(Number(info.format.duration) - seconds) < 0.1, `duration ${info.format.duration} ≈ ${seconds}`);
}

async function assertPng(base64, width, height) {
  const bytes = Buffer.from(base64, 'base64');
  assert.doesNotMatch(base64, /^data:/, 'raw base64, no data: prefix');
  const info = await probe(bytes);
  assert.equal(info.streams[0].codec_name, 'png');
  assert.deepEqual([info.streams[0].width, info.streams[0].height], [width, height]);
  return bytes;
}

before(async () => {
  [media, veo, gemini] = await Promise.all([
    startFakeOpenAIMedia({ keys: ['sk-fake-openai-media', KEY_B], videoDurationMs: JOB_MS }),
    startFakeVeo({ videoDurationMs: JOB_MS }),
    startFakeGemini(),
  ]);
  dir = await mkdtemp(path.join(os.tmpdir(), 'media-fakes-'));
  portrait = path.join(dir, 'reference.png');
  writeFileSync(portrait, (await png(720, 1280)).bytes);
});

after(async () => {
  await Promise.all([media?.close(), veo?.close(), gemini?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('openai SDK straight at fake-openai-media: videos', () => {
  const client = (apiKey = media.key) => new OpenAI({ apiKey, baseURL: media.baseUrl, maxRetries: 0 });

  test('create (multipart, input_reference streamed from disk) → queued → in_progress → completed over time; content is a real MP4', async () => {
    const created = await client().videos.create({ model: 'sora-2', prompt: 'A calico cat playing a piano on stage', seconds: '4', size: '720x1280',
      input_reference: createReadStream(portrait) });
    assert.equal(created.object, 'video');
    assert.equal(created.status, 'queued');
    assert.equal(created.progress, 0);
    assert.deepEqual([created.model, created.seconds, created.size, created.completed_at, created.expires_at, created.error, created.remixed_from_video_id],
      ['sora-2', '4', '720x1280', null, null, null, null]);
    assert.match(created.id, /^video_[0-9a-f]{32}$/);
    // The file part arrived intact, in a chunked multipart body (no Content-Length), as the SDK streams it.
    const arrived = media.videos.get(created.id).request;
    assert.equal(arrived.multipart, true);
    assert.equal(arrived.chunked, true);
    assert.equal(arrived.contentLength, null);
    assert.deepEqual(arrived.inputReference, { kind: 'file', filename: 'reference.png', contentType: 'application/octet-stream',
      size: readFileSync(portrait).length, sha256: sha256(readFileSync(portrait)), width: 720, height: 1280 });
    // Not ready: the content is a 404, as the API answers.
    await assert.rejects(client().videos.downloadContent(created.id), (e) => e instanceof OpenAI.NotFoundError && /not ready/.test(e.message));

    const seen = await pollUntil(() => client().videos.retrieve(created.id), (v) => v.status === 'completed');
    const statuses = [...new Set(seen.map((v) => v.status))];
    assert.deepEqual(statuses.filter((s) => s !== 'queued'), ['in_progress', 'completed'], `statuses seen: ${statuses}`);
    const progress = seen.map((v) => v.progress);
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'progress never goes back');
    assert.ok(seen.some((v) => v.status === 'in_progress' && v.progress > 0 && v.progress < 100), 'progress rises while in progress');
    const done = seen.at(-1);
    assert.equal(done.progress, 100);
    assert.ok(done.completed_at >= done.created_at);
    assert.equal(done.expires_at, done.completed_at + media.expiresAfterSeconds);

    const [video, thumbnail, sprites] = await Promise.all([
      client().videos.downloadContent(created.id),
      client().videos.downloadContent(created.id, { variant: 'thumbnail' }),
      client().videos.downloadContent(created.id, { variant: 'spritesheet' }),
    ]);
    assert.equal(media.lastTo('/content').headers.accept, 'application/binary');
    assert.equal(video.headers.get('content-type'), 'video/mp4');
    await assertVideo(await bytesOf(video), { width: 720, height: 1280, seconds: 4 });
    assert.equal(thumbnail.headers.get('content-type'), 'image/webp');
    assert.deepEqual(imageInfo(await bytesOf(thumbnail)), { format: 'webp', contentType: 'image/webp', width: 720, height: 1280, alpha: false });
    assert.equal(sprites.headers.get('content-type'), 'image/jpeg');
    assert.equal(imageInfo(await bytesOf(sprites)).format, 'jpeg');
  });

  test('create with input_reference {image_url}; JSON bodies work too; remix a completed video; delete', async () => {
    const [byUrl, byJson] = await Promise.all([
      client().videos.create({ model: 'sora-2-pro', prompt: 'Waves at dusk', seconds: '8', size: '1792x1024', input_reference: { image_url: 'https://example.com/first-frame.png' } }),
      fetch(`${media.baseUrl}/videos`, { method: 'POST', headers: { authorization: `Bearer ${media.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'sora-2', prompt: 'A lighthouse', seconds: '12', size: '1280x720' }) }).then((r) => r.json()),
    ]);
    assert.deepEqual(media.videos.get(byUrl.id).request.inputReference, { kind: 'image_url', url: 'https://example.com/first-frame.png' });
    assert.equal(media.lastTo('/v1/videos').method, 'POST');
    assert.deepEqual([byJson.object, byJson.seconds, byJson.size, media.videos.get(byJson.id).request.multipart], ['video', '12', '1280x720', false]);

    // Only completed videos can be remixed or deleted.
    await assert.rejects(client().videos.remix(byUrl.id, { prompt: 'again' }), (e) => e instanceof OpenAI.BadRequestError && /only completed/.test(e.message));
    await assert.rejects(client().videos.delete(byUrl.id), (e) => e instanceof OpenAI.BadRequestError);
    await pollUntil(() => client().videos.retrieve(byUrl.id), (v) => v.status === 'completed');
    const remix = await client().videos.remix(byUrl.id, { prompt: 'The same waves at night' });
    assert.deepEqual([remix.status, remix.remixed_from_video_id, remix.model, remix.size, remix.seconds, remix.prompt],
      ['queued', byUrl.id, 'sora-2-pro', '1792x1024', '8', 'The same waves at night']);
    const remixed = (await pollUntil(() => client().videos.retrieve(remix.id), (v) => v.status === 'completed')).at(-1);
    await assertVideo(await bytesOf(await client().videos.downloadContent(remixed.id)), { width: 1792, height: 1024, seconds: 8 });

    assert.deepEqual(await client().videos.delete(byUrl.id), { id: byUrl.id, object: 'video.deleted', deleted: true });
    await assert.rejects(client().videos.retrieve(byUrl.id), OpenAI.NotFoundError);
  });

  test('list pages newest first (data, first_id, last_id, has_more; ?after=last_id), per project', async () => {
    const b = client(KEY_B);
    const ids = [];
    for (const prompt of ['one', 'two', 'three']) ids.push((await b.videos.create({ prompt })).id);
    const first = await b.videos.list({ limit: 2 });
    assert.deepEqual(first.data.map((v) => v.id), [ids[2], ids[1]]);
    assert.equal(first.has_more, true);
    assert.equal(first.last_id, ids[1]);
    const all = [];
    for await (const video of b.videos.list({ limit: 2 })) all.push(video.id);
    assert.deepEqual(all, [...ids].reverse());
    assert.deepEqual(media.requests.filter((r) => r.path === '/v1/videos' && r.method === 'GET').at(-1).query, { limit: '2', after: ids[1] });
    const ascending = await (await fetch(`${media.baseUrl}/videos?order=asc&limit=5`, { headers: { authorization: `Bearer ${KEY_B}` } })).json();
    assert.deepEqual([ascending.data.map((v) => v.id), ascending.first_id, ascending.last_id, ascending.has_more], [ids, ids[0], ids[2], false]);
    // Another project (key) sees none of them.
    await assert.rejects(client().videos.retrieve(ids[0]), OpenAI.NotFoundError);
    assert.ok(!(await client().videos.list({ limit: 100 })).data.some((v) => ids.includes(v.id)));
  });

  test('a prompt the moderation blocks fails the job with error.code moderation_blocked; its content is a 404', async () => {
    const created = await client().videos.create({ prompt: 'MODERATION: something the moderation blocks' });
    const failed = (await pollUntil(() => client().videos.retrieve(created.id), (v) => v.status !== 'queued' && v.status !== 'in_progress')).at(-1);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error.code, 'moderation_blocked');
    assert.equal(typeof failed.error.message, 'string');
    assert.equal(failed.completed_at, null);
    await assert.rejects(client().videos.downloadContent(created.id), OpenAI.NotFoundError);
    assert.equal((await client().videos.delete(created.id)).deleted, true);
  });

  test('what the API refuses: bad seconds, size, model, missing prompt, a reference of the wrong size, a wrong key', async () => {
    const refused = (param, pattern) => (e) => e instanceof OpenAI.BadRequestError && e.status === 400 && e.param === param && pattern.test(e.message);
    await assert.rejects(client().videos.create({ prompt: 'p', seconds: '5' }), refused('seconds', /Supported values are: '4', '8', and '12'/));
    await assert.rejects(client().videos.create({ prompt: 'p', size: '640x480' }), refused('size', /'640x480'/));
    await assert.rejects(client().videos.create({ model: 'sora-2', prompt: 'p', size: '1024x1792' }), refused('size', /sora-2/));
    await assert.rejects(client().videos.create({ model: 'sora-3', prompt: 'p' }), refused('model', /'sora-3'/));
    await assert.rejects(client().videos.create({ model: 'sora-2', seconds: '4' }), refused('prompt', /Missing required parameter: 'prompt'/));
    await assert.rejects(client().videos.create({ prompt: 'p', size: '1280x720', input_reference: createReadStream(portrait) }),
      (e) => e instanceof OpenAI.BadRequestError && /Inpaint image must match the requested width and height/.test(e.message));
    await assert.rejects(client('sk-wrong').videos.retrieve('video_123'), (e) => e instanceof OpenAI.AuthenticationError && e.code === 'invalid_api_key');
    await assert.rejects(client().videos.retrieve('video_123'), OpenAI.NotFoundError);
  });
});

describe('openai SDK straight at fake-openai-media: images', () => {
  const client = () => new OpenAI({ apiKey: media.key, baseURL: media.baseUrl, maxRetries: 0 });

  test('generate: gpt-image answers b64_json PNGs of the asked size, with usage', async () => {
    const answer = await client().images.generate({ model: 'gpt-image-1', prompt: 'A cute baby sea otter', n: 2, size: '1024x1536', quality: 'low' });
    assert.equal(answer.data.length, 2);
    assert.deepEqual([answer.size, answer.quality, answer.output_format, answer.background], ['1024x1536', 'low', 'png', 'opaque']);
    for (const item of answer.data) {
      assert.deepEqual(Object.keys(item), ['b64_json']);
      await assertPng(item.b64_json, 1024, 1536);
    }
    assert.equal(answer.usage.output_tokens, 2 * 408);
    assert.equal(answer.usage.total_tokens, answer.usage.input_tokens + answer.usage.output_tokens);
    const webp = await client().images.generate({ model: 'gpt-image-1.5', prompt: 'Glass', output_format: 'webp', background: 'transparent' });
    assert.deepEqual(imageInfo(Buffer.from(webp.data[0].b64_json, 'base64')), { format: 'webp', contentType: 'image/webp', width: 1024, height: 1024, alpha: true });
    // DALL·E answers URLs (here served by the fake, no key needed), or b64_json when asked.
    const dalle = await client().images.generate({ model: 'dall-e-3', prompt: 'A lighthouse', size: '1792x1024' });
    assert.equal(dalle.data[0].revised_prompt, 'A lighthouse');
    assert.deepEqual(imageInfo(await bytesOf(await fetch(dalle.data[0].url))), { format: 'png', contentType: 'image/png', width: 1792, height: 1024, alpha: false });
  });

  test('generate with stream: partial images, then the completed image', async () => {
    const stream = await client().images.generate({ model: 'gpt-image-1', prompt: 'A cute baby sea otter', size: '1024x1024', stream: true, partial_images: 2 });
    const events = [];
    for await (const event of stream) events.push(event);
    assert.deepEqual(events.map((e) => e.type), ['image_generation.partial_image', 'image_generation.partial_image', 'image_generation.completed']);
    assert.deepEqual(events.slice(0, 2).map((e) => e.partial_image_index), [0, 1]);
    const completed = events.at(-1);
    await assertPng(completed.b64_json, 1024, 1024);
    assert.notEqual(events[0].b64_json, completed.b64_json);
    assert.equal(completed.usage.total_tokens, completed.usage.input_tokens + completed.usage.output_tokens);
  });

  test('edit: one image, or several (image[]) with a mask; each file arrives intact', async () => {
    const [square, other, theMask] = await Promise.all([png(1024, 1024), image({ width: 1024, height: 1024, format: 'jpeg', variant: 1 }), makeMask({ width: 1024, height: 1024 })]);
    const one = await client().images.edit({ model: 'gpt-image-1', prompt: 'Add a watercolor effect',
      image: await toFile(createReadStream(square.path), 'square.png', { type: 'image/png' }) });
    await assertPng(one.data[0].b64_json, 1024, 1024);
    assert.deepEqual(media.lastTo('/images/edits').form.files.get('image').map((f) => [f.filename, f.contentType, f.sha256]), [['square.png', 'image/png', square.sha256]]);

    const several = await client().images.edit({ model: 'gpt-image-1', prompt: 'A gift basket with these', size: '1536x1024', n: 1,
      image: [await toFile(square.bytes, 'a.png', { type: 'image/png' }), await toFile(other.bytes, 'b.jpg', { type: 'image/jpeg' })],
      mask: await toFile(theMask.bytes, 'mask.png', { type: 'image/png' }) });
    await assertPng(several.data[0].b64_json, 1536, 1024);
    const sent = media.lastTo('/images/edits').form;
    assert.deepEqual(sent.files.get('image[]').map((f) => [f.filename, f.contentType, f.size, f.sha256]),
      [['a.png', 'image/png', square.bytes.length, square.sha256], ['b.jpg', 'image/jpeg', other.bytes.length, other.sha256]]);
    assert.equal(sent.files.get('mask')[0].sha256, theMask.sha256);
    assert.equal(several.usage.input_tokens_details.image_tokens > 0, true);

    const stream = await client().images.edit({ model: 'gpt-image-1', prompt: 'Watercolor', stream: true, partial_images: 1,
      image: await toFile(square.bytes, 'square.png', { type: 'image/png' }) });
    const events = [];
    for await (const event of stream) events.push(event);
    assert.deepEqual(events.map((e) => e.type), ['image_edit.partial_image', 'image_edit.completed']);
    await assertPng(events.at(-1).b64_json, 1024, 1024);
  });

  test('what the API refuses: no image, an octet-stream upload, response_format on gpt-image, moderation', async () => {
    const bad = (param, pattern) => (e) => e instanceof OpenAI.BadRequestError && e.status === 400 && (param === undefined || e.param === param) && pattern.test(e.message);
    await assert.rejects(client().images.edit({ model: 'gpt-image-1', prompt: 'x' }), bad('image', /Missing required parameter: 'image'/));
    // fs.createReadStream is sent as application/octet-stream, which the Images API refuses (the docs wrap it in toFile with a type).
    await assert.rejects(client().images.edit({ model: 'gpt-image-1', prompt: 'x', image: createReadStream(portrait) }),
      bad('image', /unsupported mimetype \('application\/octet-stream'\)/));
    await assert.rejects(client().images.generate({ model: 'gpt-image-1', prompt: 'x', response_format: 'url' }), bad('response_format', /response_format/));
    await assert.rejects(client().images.generate({ model: 'gpt-image-1', prompt: 'x', size: '640x480' }), bad('size', /'640x480'/));
    await assert.rejects(client().images.generate({ model: 'gpt-image-1', prompt: 'MODERATION' }), (e) => e instanceof OpenAI.BadRequestError && e.code === 'moderation_blocked');
  });
});

describe('Veo (Gemini API) straight at fake-veo', () => {
  const call = (pathname, init = {}) => fetch(`${veo.baseUrl}${pathname}`, { ...init, headers: { 'x-goog-api-key': veo.key, 'content-type': 'application/json', ...init.headers } });
  const start = async (model, body, headers) => {
    const response = await call(`/v1beta/models/${model}:predictLongRunning`, { method: 'POST', body: JSON.stringify(body), headers });
    return { status: response.status, body: await response.json() };
  };
  const until = (name) => pollUntil(async () => (await call(`/v1beta/${name}`)).json(), (op) => op.done === true);

  test('raw HTTP: predictLongRunning → poll → download (a 302 to storage) → a real MP4; the first frame arrived intact', async () => {
    const first = await png(720, 1280);
    const started = await start('veo-3.1-generate-preview', {
      instances: [{ prompt: 'A paper boat on a river', image: { bytesBase64Encoded: first.bytes.toString('base64'), mimeType: 'image/png' } }],
      parameters: { aspectRatio: '9:16', durationSeconds: 4, resolution: '720p', negativePrompt: 'rain', personGeneration: 'allow_adult', sampleCount: 1 },
    });
    assert.equal(started.status, 200);
    assert.match(started.body.name, /^models\/veo-3\.1-generate-preview\/operations\/[a-z0-9]+$/);
    assert.deepEqual(Object.keys(started.body), ['name']);
    const id = started.body.name.split('/').at(-1);
    assert.deepEqual(veo.operations.get(id).inputs.image, { mimeType: 'image/png', size: first.bytes.length, sha256: first.sha256, width: 720, height: 1280 });

    const seen = await until(started.body.name);
    assert.equal(seen[0].done, undefined, 'done is absent while running');
    const done = seen.at(-1);
    assert.equal(done.response['@type'], 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse');
    const { uri } = done.response.generateVideoResponse.generatedSamples[0].video;
    assert.match(uri, new RegExp(`^${veo.origin}/v1beta/files/[a-z0-9]+:download\\?alt=media$`));

    const redirect = await fetch(uri, { headers: { 'x-goog-api-key': veo.key }, redirect: 'manual' });
    assert.equal(redirect.status, 302);
    const storage = await fetch(redirect.headers.get('location')); // signed: no key
    assert.equal(storage.headers.get('content-type'), 'video/mp4');
    await assertVideo(await bytesOf(storage), { width: 720, height: 1280, seconds: 4 });
    const followed = await fetch(uri, { headers: { 'x-goog-api-key': veo.key } });
    assert.equal(followed.status, 200);
    assert.equal((await fetch(uri)).status, 403, 'the download itself needs the key');
  });

  test('filtered content ends done with raiMediaFilteredCount and no samples; a failure ends done with error', async () => {
    const [filtered, failing] = await Promise.all([
      start('veo-3.0-generate-001', { instances: [{ prompt: 'MODERATION: a prompt the filters block' }] }),
      start('veo-3.0-fast-generate-001', { instances: [{ prompt: 'FAIL please' }], parameters: { durationSeconds: 6 } }),
    ]);
    const [blocked, broken] = await Promise.all([until(filtered.body.name), until(failing.body.name)]);
    assert.deepEqual(blocked.at(-1).response.generateVideoResponse, { raiMediaFilteredCount: 1, raiMediaFilteredReasons: [RAI_REASON] });
    assert.deepEqual(broken.at(-1).error, { code: 13, message: 'Video generation failed: the upstream asked to FAIL.' });
    assert.equal(broken.at(-1).response, undefined);
  });

  test('what the API refuses, in Google\'s error shape', async () => {
    const refused = async (model, body, pattern, status = 400, headers) => {
      const answer = await start(model, body, headers);
      assert.equal(answer.status, status, JSON.stringify(answer.body));
      assert.equal(answer.body.error.code, status);
      assert.equal(answer.body.error.status, { 400: 'INVALID_ARGUMENT', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND' }[status]);
      assert.match(answer.body.error.message, pattern);
    };
    const prompt = [{ prompt: 'p' }];
    await refused('veo-3.1-generate-preview', { instances: prompt, parameters: { durationSeconds: 5 } }, /durationSeconds/);
    await refused('veo-2.0-generate-001', { instances: prompt, parameters: { durationSeconds: 4 } }, /durationSeconds/);
    await refused('veo-3.1-generate-preview', { instances: prompt, parameters: { durationSeconds: 4, resolution: '1080p' } }, /must be 8/);
    await refused('veo-3.0-generate-001', { instances: prompt, parameters: { resolution: '4k' } }, /Resolution "4k"/);
    await refused('veo-3.1-generate-preview', { instances: prompt, parameters: { aspectRatio: '1:1' } }, /Aspect ratio/);
    await refused('veo-3.1-generate-preview', { instances: prompt, parameters: { generateAudio: true } }, /`generateAudio` isn't supported/);
    await refused('veo-3.1-generate-preview', { instances: prompt, parameters: { personGeneration: 'allow_adult' } }, /personGeneration/);
    await refused('veo-3.1-generate-preview', { instances: [{}] }, /prompt is required/);
    await refused('veo-3.1-generate-preview', { instances: [{ prompt: 'p', image: { bytesBase64Encoded: 'bm90IGFuIGltYWdl', mimeType: 'image/png' } }] }, /not a valid image\/png/);
    await refused('veo-9-generate', { instances: prompt }, /models\/veo-9-generate is not found/, 404);
    await refused('veo-3.1-generate-preview', { instances: prompt }, /API key not valid/, 400, { 'x-goog-api-key': 'wrong' });
    const anonymous = await fetch(`${veo.baseUrl}/v1beta/models/veo-3.1-generate-preview:predictLongRunning`, { method: 'POST', body: JSON.stringify({ instances: prompt }) });
    assert.equal(anonymous.status, 403);
  });

  test('@google/genai (Gemini API mode): operations.getVideosOperation polls under /v1, files.download saves the MP4', async () => {
    const started = await start('veo-3.1-fast-generate-preview', { instances: [{ prompt: 'Fireflies' }], parameters: { aspectRatio: '16:9', durationSeconds: 8, resolution: '1080p' } });
    const ai = new GoogleGenAI({ apiKey: veo.key, httpOptions: { baseUrl: veo.baseUrl } });
    let operation = Object.assign(new GenerateVideosOperation(), { name: started.body.name });
    const seen = [];
    while (!operation.done) {
      operation = await ai.operations.getVideosOperation({ operation });
      seen.push(operation.done ?? false);
      if (!operation.done) await sleep(100);
    }
    assert.equal(seen[0], false);
    assert.ok(veo.requests.some((r) => r.path === `/v1/${started.body.name}`), 'genai polls under /v1');
    const [generated] = operation.response.generatedVideos;
    assert.match(generated.video.uri, /\/v1beta\/files\/[a-z0-9]+:download\?alt=media$/);
    // genai takes the file id from an https uri (Google's are); the fake's origin is http, so the test gives the same
    // uri as Google would write it, and the SDK downloads from its base URL.
    const target = path.join(dir, 'veo.mp4');
    await ai.files.download({ file: { video: { uri: generated.video.uri.replace(/^http:/, 'https:') } }, downloadPath: target });
    assert.match(veo.lastTo(':download').path, /^\/v1\/files\/[a-z0-9]+:download$/);
    await assertVideo(readFileSync(target), { width: 1920, height: 1080, seconds: 8 });
  });
});

describe('@google/genai straight at fake-gemini: image output', () => {
  const ai = () => new GoogleGenAI({ apiKey: gemini.key, httpOptions: { baseUrl: gemini.baseUrl } });

  test('an image model answers text and an inlineData PNG of the aspect ratio\'s size', async () => {
    const response = await ai().models.generateContent({ model: 'gemini-2.5-flash-image', contents: 'Draw a lighthouse',
      config: { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '16:9' } } });
    const parts = response.candidates[0].content.parts;
    assert.equal(typeof parts[0].text, 'string');
    const picture = parts.find((p) => p.inlineData);
    assert.equal(picture.inlineData.mimeType, 'image/png');
    await assertPng(picture.inlineData.data, 1344, 768);

    const chunks = [];
    for await (const chunk of await ai().models.generateContentStream({ model: 'gemini-2.5-flash-image', contents: 'Draw a boat' })) chunks.push(chunk);
    const streamed = chunks.flatMap((c) => c.candidates[0].content.parts).find((p) => p.inlineData);
    await assertPng(streamed.inlineData.data, 1024, 1024);
    assert.equal(chunks.at(-1).candidates[0].finishReason, 'STOP');
  });

  test('IMAGE only, imageSize 2K on a Gemini 3 image model; a text model refuses IMAGE', async () => {
    const response = await ai().models.generateContent({ model: 'gemini-3-pro-image-preview', contents: 'Draw a fox',
      config: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '1:1', imageSize: '2K' } } });
    const parts = response.candidates[0].content.parts;
    assert.deepEqual(parts.map((p) => Object.keys(p).filter((k) => k !== 'thoughtSignature')), [['inlineData']]);
    await assertPng(parts[0].inlineData.data, 2048, 2048);
    await assert.rejects(ai().models.generateContent({ model: 'gemini-2.5-flash', contents: 'Draw', config: { responseModalities: ['IMAGE'] } }),
      (e) => e instanceof ApiError && e.status === 400 && /response modalities/.test(e.message));
    await assert.rejects(ai().models.generateContent({ model: 'gemini-3-pro-image-preview', contents: 'Draw', config: { imageConfig: { imageSize: '2k' } } }),
      (e) => e instanceof ApiError && e.status === 400 && /image size/.test(e.message));
  });
});

describe('the oracle routes the media endpoints', () => {
  test('every media answer above was routed to its schema (none unrouted) and none broke it', () => {
    const exchanges = [...media.exchanges, ...veo.exchanges, ...gemini.exchanges];
    const routes = new Set(exchanges.map((e) => e.route));
    for (const expected of ['videos.create', 'videos.retrieve', 'videos.list', 'videos.delete', 'videos.content', 'videos.remix', 'images.generations',
      'images.edits', 'gemini.predictLongRunning', 'gemini.operation', 'gemini.files.download', 'gemini.generateContent']) {
      assert.ok(routes.has(expected), `no answer was routed to ${expected}: ${[...routes]}`);
    }
    const unrouted = exchanges.filter((e) => e.route === 'unknown' && !e.path.startsWith('/storage/') && !e.path.startsWith('/hosted/'));
    assert.deepEqual(unrouted.map((e) => `${e.method} ${e.path}`), []);
    assert.deepEqual(exchanges.filter((e) => e.violations.length).map((e) => `${e.method} ${e.path}`), []);
  });

  test('it catches what a careless media answer gets wrong', () => {
    const check = (answer) => validate({ headers: { 'content-type': 'application/json' }, status: 200, ...answer }).violations.map((v) => `${v.instancePath} ${v.message}`);
    assert.ok(check({ method: 'GET', path: '/v1/videos/video_1', vendor: 'openai', bodyText: JSON.stringify({ id: 'video_1', object: 'video', status: 'done' }) })
      .some((v) => /required property 'progress'/.test(v)));
    assert.ok(check({ method: 'GET', path: '/v1/videos/video_1/content?variant=thumbnail', vendor: 'openai', headers: { 'content-type': 'image/png' }, bodyText: '' })
      .some((v) => /image\/webp/.test(v)));
    assert.ok(check({ method: 'GET', path: '/v1beta/models/veo-3.1-generate-preview/operations/abc', vendor: 'gemini', bodyText: JSON.stringify({ name: 'models/veo-3.1-generate-preview/operations/abc', done: true }) }).length > 0);
    assert.ok(check({ method: 'GET', path: '/v1beta/models/veo-3.1-generate-preview/operations/abc', vendor: 'gemini',
      bodyText: JSON.stringify({ name: 'models/veo-3.1-generate-preview/operations/abc', done: true, response: { generateVideoResponse: { generatedSamples: [{ video: { url: 'x' } }] } } }) })
      .some((v) => /@type|additional property 'url'/.test(v)));
    assert.ok(check({ method: 'POST', path: '/v1/images/generations', vendor: 'openai', headers: { 'content-type': 'text/event-stream' },
      bodyText: 'event: image_generation.completed\ndata: {"type":"image_generation.completed","b64_json":"x"}\n\n' }).some((v) => /required property/.test(v)));
    assert.deepEqual(check({ method: 'GET', path: '/v1beta/files/abc:download?alt=media', vendor: 'gemini', status: 302, headers: { location: '/x' }, bodyText: '' }), []);
  });
});
