// Seed 002's unified task API (/v2/{videos|images}/generations) as its clients use it: plain REST with fetch, against
// Manifold on the sandbox and on `sora`, `veo` and `openai` platforms whose upstreams are the loopback fakes
// (lib/fake-openai-media.mjs, lib/fake-veo.mjs: they refuse what the real APIs refuse). The seeds' fields are checked
// where they land upstream (size, seconds, aspectRatio, resolution, durationSeconds, extras), and a task's notify_hook
// is received by a loopback server that verifies each Standard Webhooks signature itself, with node:crypto.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFakeOpenAIMedia } from './lib/fake-openai-media.mjs';
import { startFakeVeo } from './lib/fake-veo.mjs';
import { startManifold, LICENCE } from './lib/manifold.mjs';
import { imageInfo, png, probe } from './lib/media-files.mjs';
import { platform } from './lib/platforms.mjs';

const SECRET = 'whsec_' + Buffer.from('manifold-conformance-webhook-secret-32b').toString('base64');

let fake;
let veo;
let manifold;
let dir;
let hooks;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const auth = { Authorization: `Bearer ${LICENCE}` };

async function post(pathname, body) {
  const response = await fetch(`${manifold.url}${pathname}`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

async function create(scope, body, base = '') {
  const { status, body: answer } = await post(`${base}/v2/${scope}/generations`, body);
  assert.equal(status, 200, JSON.stringify(answer));
  assert.deepEqual(Object.keys(answer), ['task_id']);
  return answer.task_id;
}

/** Polls with the seed's GET until SUCCESS or FAILURE; returns every task object seen. */
async function watch(scope, id, base = '') {
  const seen = [];
  const deadline = Date.now() + 120_000;
  for (;;) {
    const response = await fetch(`${manifold.url}${base}/v2/${scope}/generations/${id}`, { headers: auth });
    assert.equal(response.status, 200);
    const task = await response.json();
    seen.push(task);
    if (task.status === 'SUCCESS' || task.status === 'FAILURE') return seen;
    if (Date.now() > deadline) throw new Error(`task ${id} still ${task.status}`);
    await sleep(150);
  }
}

async function refused(scope, body, param) {
  const { status, body: answer } = await post(`/v2/${scope}/generations`, body);
  assert.equal(status, 400, JSON.stringify(answer));
  assert.equal(answer.error.type, 'invalid_request_error');
  assert.equal(answer.error.param, param, JSON.stringify(answer));
  return answer.error.message;
}

/** Standard Webhooks verification, from the specification: HMAC-SHA256 of "{id}.{timestamp}.{body}" keyed by the secret's base64. */
function verify(secret, { id, timestamp, signature, body }) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = Buffer.from('v1,' + createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64'));
  return signature.split(' ').some((s) => Buffer.byteLength(s) === expected.length && timingSafeEqual(Buffer.from(s), expected));
}

async function startReceiver() {
  const received = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      received.push({ id: request.headers['webhook-id'], timestamp: request.headers['webhook-timestamp'], signature: request.headers['webhook-signature'], body });
      response.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/hooks/manifold`, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'manifold-v2-'));
  fake = await startFakeOpenAIMedia({ videoDurationMs: 1200 });
  veo = await startFakeVeo({ videoDurationMs: 1200 });
  hooks = await startReceiver();
  manifold = await startManifold({
    Manifold__Platforms__sandbox__Plugin: 'sandbox',
    Manifold__Platforms__sandbox__VideoJobSeconds: '1',
    ...platform('sora', 'sora', fake),
    ...platform('openai', 'openai', fake),
    ...platform('veo', 'veo', veo),
    Manifold__Tasks__PollInterval: '00:00:00.200',
    Manifold__Media__Path: path.join(dir, 'media'),
    Manifold__DataPath: path.join(dir, 'data'),
    Manifold__Webhooks__Secret: SECRET,
    // The webhook receiver is on loopback.
    Manifold__Network__AllowPrivateAddresses: 'true',
  });
});

after(async () => {
  await manifold?.stop();
  await fake?.close();
  await veo?.close();
  await hooks?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('/v2 on the sandbox', () => {
  test('a video task: task_id, the seed statuses to SUCCESS, an output that downloads without a licence, and a signed webhook', async () => {
    const id = await create('videos', { prompt: 'A calico cat playing a piano', model: 'sandbox-video', aspect_ratio: '9:16', duration: '8', notify_hook: hooks.url });
    assert.match(id, /^video_[0-9a-f]{32}$/);
    const seen = await watch('videos', id);
    const done = seen.at(-1);
    assert.equal(done.status, 'SUCCESS', JSON.stringify(done));
    assert.equal(done.progress, '100%');
    assert.equal(done.fail_reason, '');
    assert.equal(done.platform, 'sandbox');
    for (const task of seen) {
      assert.ok(['SUBMITTED', 'QUEUED', 'IN_PROGRESS', 'SUCCESS'].includes(task.status), task.status);
      assert.match(task.progress, /^\d{1,3}%$/);
    }
    assert.ok(done.submit_time <= done.start_time && done.start_time <= done.finish_time);

    const video = await fetch(done.data.output);
    assert.equal(video.status, 200);
    const info = await probe(Buffer.from(await video.arrayBuffer()));
    const stream = info.streams.find((s) => s.codec_type === 'video');
    assert.deepEqual([stream.width, stream.height], [720, 1280]);
    assert.ok(Math.abs(Number(info.format.duration) - 8) < 0.2);

    const deadline = Date.now() + 60_000;
    while (!hooks.received.some((h) => JSON.parse(h.body).task_id === id) && Date.now() < deadline) await sleep(100);
    const delivered = hooks.received.filter((h) => JSON.parse(h.body).task_id === id);
    assert.equal(delivered.length, 1, 'one terminal delivery, no progress ones (not asked)');
    assert.ok(verify(SECRET, delivered[0]), 'the signature verifies with the deployment secret');
    assert.ok(!verify('whsec_' + Buffer.from('another secret').toString('base64'), delivered[0]));
    assert.ok(Math.abs(Number(delivered[0].timestamp) - Date.now() / 1000) < 300);
    const body = JSON.parse(delivered[0].body);
    assert.equal(body.status, 'SUCCESS');
    assert.equal(body.data.output.split('?')[0], done.data.output.split('?')[0]);
  });

  test('an image task on the sandbox and a 404 for an id of another scope', async () => {
    const id = await create('images', { prompt: 'A lighthouse at dusk', model: 'sandbox-image', aspect_ratio: '16:9' });
    const done = (await watch('images', id)).at(-1);
    assert.equal(done.status, 'SUCCESS', JSON.stringify(done));
    const image = imageInfo(Buffer.from(await (await fetch(done.data.outputs[0])).arrayBuffer()));
    assert.deepEqual([image.format, image.width, image.height], ['png', 1792, 1024]);
    const wrong = await fetch(`${manifold.url}/v2/videos/generations/${id}`, { headers: auth });
    assert.equal(wrong.status, 404);
    assert.equal((await wrong.json()).error.code, 'not_found');
  });
});

describe('/v2 mapped onto sora', () => {
  test('aspect_ratio, hd and duration become size and seconds (10 s is the nearest 12, ties to the longer), at the root and under /sora', async () => {
    const id = await create('videos', { prompt: 'Waves at night', model: 'sora-2-pro', aspect_ratio: '16:9', hd: true, duration: 10 });
    const underPlatform = await create('videos', { prompt: 'Waves at noon', model: 'sora-2', aspect_ratio: '9:16', duration: 5 }, '/sora');
    const made = [...fake.videos.values()];
    const pro = made.find((v) => v.prompt === 'Waves at night');
    const plain = made.find((v) => v.prompt === 'Waves at noon');
    assert.deepEqual([pro.model, pro.size, pro.seconds], ['sora-2-pro', '1792x1024', '12']);
    assert.deepEqual([plain.model, plain.size, plain.seconds], ['sora-2', '720x1280', '4']);
    const done = (await watch('videos', underPlatform, '/sora')).at(-1);
    assert.equal(done.status, 'SUCCESS', JSON.stringify(done));
    assert.equal(done.platform, 'sora');
    assert.ok(done.data.thumbnail, 'Sora makes a thumbnail');
    assert.equal((await watch('videos', id)).at(-1).status, 'SUCCESS');
  });

  test('an image-to-video reference (a data: URL) reaches Sora as input_reference; what Sora refuses is a 400 naming the field', async () => {
    const reference = await png(1280, 720);
    const id = await create('videos', { prompt: 'The cat starts to play', model: 'sora-2', aspect_ratio: '16:9', images: [`data:image/png;base64,${reference.bytes.toString('base64')}`] });
    const record = [...fake.videos.values()].find((v) => v.prompt === 'The cat starts to play');
    assert.deepEqual([record.request.inputReference.width, record.request.inputReference.height, record.request.inputReference.contentType], [1280, 720, 'image/png']);
    assert.equal((await watch('videos', id)).at(-1).action, 'image-to-video');

    await refused('videos', { prompt: 'x', model: 'sora-2', hd: true }, 'hd');
    assert.match(await refused('videos', { prompt: 'x', model: 'sora-2', duration: 15 }, 'duration'), /4, 8, 12/);
    await refused('videos', { prompt: 'x', model: 'sora-2', frobnicate: 1 }, 'frobnicate');
  });
});

describe('/v2 mapped onto veo', () => {
  test('aspect_ratio, hd and duration become aspectRatio, resolution and durationSeconds; Veo extras pass; Veo 2 rounds to its lengths', async () => {
    const id = await create('videos', { prompt: 'A fox in the snow', model: 'veo-3.1-generate-preview', aspect_ratio: '16:9', hd: true, duration: 7, negative_prompt: 'blurry', watermark: true });
    const id2 = await create('videos', { prompt: 'A fox at dawn', model: 'veo-2.0-generate-001', aspect_ratio: '9:16', duration: 4 });
    const operations = [...veo.operations.values()];
    const three = operations.find((o) => o.prompt === 'A fox in the snow');
    const two = operations.find((o) => o.prompt === 'A fox at dawn');
    assert.deepEqual([three.parameters.aspectRatio, three.parameters.resolution, three.parameters.durationSeconds, three.parameters.negativePrompt], ['16:9', '1080p', 8, 'blurry']);
    assert.deepEqual([two.parameters.aspectRatio, two.parameters.durationSeconds], ['9:16', 5]);
    const done = (await watch('videos', id)).at(-1);
    assert.equal(done.status, 'SUCCESS', JSON.stringify(done));
    const info = await probe(Buffer.from(await (await fetch(done.data.output)).arrayBuffer()));
    const stream = info.streams.find((s) => s.codec_type === 'video');
    assert.deepEqual([stream.width, stream.height], [1920, 1080]);
    assert.equal((await watch('videos', id2)).at(-1).status, 'SUCCESS');

    await refused('videos', { prompt: 'x', model: 'veo-3.1-generate-preview', hd: true, duration: 4 }, 'duration');
    await refused('videos', { prompt: 'x', model: 'veo-2.0-generate-001', hd: true }, 'hd');
    await refused('videos', { prompt: 'x', model: 'veo-3.1-generate-preview', enhance: true }, 'enhance');
  });

  test('an image-to-video reference reaches Veo as the instance image', async () => {
    const reference = await png(640, 360);
    const id = await create('videos', { prompt: 'The fox runs', model: 'veo-3.1-generate-preview', images: reference.bytes.toString('base64') });
    const operation = [...veo.operations.values()].find((o) => o.prompt === 'The fox runs');
    assert.ok(operation.inputs.image, 'Veo got the image');
    assert.equal((await watch('videos', id)).at(-1).status, 'SUCCESS');
  });
});

describe('/v2 mapped onto openai images', () => {
  test('aspect_ratio becomes the GPT image size nearest it', async () => {
    const id = await create('images', { prompt: 'A red kite', model: 'gpt-image-1', aspect_ratio: '16:9', hd: true });
    const done = (await watch('images', id)).at(-1);
    assert.equal(done.status, 'SUCCESS', JSON.stringify(done));
    assert.deepEqual([fake.lastImages.kind, fake.lastImages.size], ['generation', '1536x1024']);
    const image = imageInfo(Buffer.from(await (await fetch(done.data.output)).arrayBuffer()));
    assert.deepEqual([image.width, image.height], [1536, 1024]);
  });
});
