// The official `openai` SDK's videos.* against Manifold, unmodified (only the base URL and key differ): on the offline
// sandbox platform, on a `sora` platform whose upstream is lib/fake-openai-media.mjs, and on a `veo` platform whose
// upstream is lib/fake-veo.mjs (Google's Veo, converted). Jobs get Manifold's ids, advance, and their content is a real
// MP4 (ffprobe) served from Manifold's storage. Every answer goes through the oracle's proxy and must match OpenAI's
// published schema.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { MODERATION_TRIGGER, startFakeOpenAIMedia } from './lib/fake-openai-media.mjs';
import { MODERATION_TRIGGER as VEO_MODERATION_TRIGGER, RAI_REASON, startFakeVeo } from './lib/fake-veo.mjs';
import { startManifold, LICENCE } from './lib/manifold.mjs';
import { png, probe } from './lib/media-files.mjs';
import './lib/oracle-ledger.mjs';
import { startOracleProxy } from './lib/oracle-proxy.mjs';
import { platform } from './lib/platforms.mjs';

// `thumbnail` and `remix`: whether the platform makes thumbnails and remixes. Veo does neither: its jobs have no
// thumbnail (a 404) and a remix is a 400.
const PLATFORMS = [
  { name: 'sandbox', model: 'sandbox-video', size: '1280x720', thumbnail: true, remix: true },
  { name: 'sora', model: 'sora-2', size: '720x1280', thumbnail: true, remix: true },
  { name: 'veo', model: 'veo-3.1-generate-preview', size: '1280x720', thumbnail: false, remix: false },
];

let fake;
let veo;
let manifold;
let proxy;
let dir;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const client = (base = '') => new OpenAI({ apiKey: LICENCE, baseURL: `${proxy.url}${base}/v1`, maxRetries: 0 });

/** Retrieves until the job is completed or failed; returns every state seen. */
async function untilDone(openai, id, timeout = 120_000) {
  const seen = [];
  const deadline = Date.now() + timeout;
  for (;;) {
    const video = await openai.videos.retrieve(id);
    seen.push(video);
    if (video.status === 'completed' || video.status === 'failed') return seen;
    if (Date.now() > deadline) throw new Error(`video ${id} still ${video.status} after ${timeout} ms`);
    await sleep(150);
  }
}

async function assertMp4(response, [width, height], seconds) {
  assert.equal(response.headers.get('content-type'), 'video/mp4');
  const info = await probe(Buffer.from(await response.arrayBuffer()));
  const video = info.streams.find((s) => s.codec_type === 'video');
  assert.equal(video.codec_name, 'h264');
  assert.deepEqual([video.width, video.height], [width, height]);
  assert.ok(Math.abs(Number(info.format.duration) - seconds) < 0.2, `duration ${info.format.duration} ≈ ${seconds}`);
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'manifold-videos-'));
  fake = await startFakeOpenAIMedia({ videoDurationMs: 1200 });
  veo = await startFakeVeo({ videoDurationMs: 1200 });
  manifold = await startManifold({
    Manifold__Platforms__sandbox__Plugin: 'sandbox',
    Manifold__Platforms__sandbox__VideoJobSeconds: '1',
    ...platform('sora', 'sora', fake),
    ...platform('veo', 'veo', veo),
    Manifold__Tasks__PollInterval: '00:00:00.200',
    Manifold__Media__Path: path.join(dir, 'media'),
  });
  proxy = await startOracleProxy(manifold.url);
});

after(async () => {
  await proxy?.close();
  await manifold?.stop();
  await fake?.close();
  await veo?.close();
  await rm(dir, { recursive: true, force: true });
});

for (const platform of PLATFORMS) {
  describe(`${platform.name}: videos`, () => {
    const [width, height] = platform.size.split('x').map(Number);

    test(`create, watch the progress, download a real MP4${platform.thumbnail ? ' and its thumbnail' : ' (and no thumbnail)'}, at the root and under /{platform}`, async () => {
      for (const base of ['', `/${platform.name}`]) {
        const openai = client(base);
        const created = await openai.videos.create({ model: platform.model, prompt: 'A calico cat playing a piano on stage', seconds: '4', size: platform.size });
        assert.match(created.id, /^video_[0-9a-f]{32}$/, 'Manifold hands out its own ids');
        assert.equal(created.object, 'video');
        assert.ok(['queued', 'in_progress'].includes(created.status));

        const seen = await untilDone(openai, created.id);
        const done = seen.at(-1);
        assert.equal(done.status, 'completed', JSON.stringify(done));
        assert.equal(done.progress, 100);
        assert.deepEqual([done.size, done.seconds, done.prompt], [platform.size, '4', 'A calico cat playing a piano on stage']);
        const progress = seen.map((v) => v.progress);
        assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'progress never goes back');

        await assertMp4(await openai.videos.downloadContent(created.id), [width, height], 4);
        if (platform.thumbnail) {
          const thumbnail = await openai.videos.downloadContent(created.id, { variant: 'thumbnail' });
          assert.match(thumbnail.headers.get('content-type'), /^image\//);
          assert.ok((await thumbnail.arrayBuffer()).byteLength > 100);
        } else {
          await assert.rejects(openai.videos.downloadContent(created.id, { variant: 'thumbnail' }), OpenAI.NotFoundError);
        }
      }
    });

    test(`list pages newest first; ${platform.remix ? 'remix makes a new job from a finished one' : 'remix is a 400'}; delete removes it`, async () => {
      const openai = client();
      const first = await openai.videos.create({ model: platform.model, prompt: 'first', size: platform.size });
      const second = await openai.videos.create({ model: platform.model, prompt: 'second', size: platform.size });

      const page = await openai.videos.list({ limit: 1 });
      assert.deepEqual(page.data.map((v) => v.id), [second.id]);
      assert.equal(page.has_more, true);
      const next = await openai.videos.list({ limit: 1, after: second.id });
      assert.deepEqual(next.data.map((v) => v.id), [first.id]);

      await untilDone(openai, first.id);
      if (platform.remix) {
        const remix = await openai.videos.remix(first.id, { prompt: 'first, at night' });
        assert.notEqual(remix.id, first.id);
        assert.equal(remix.remixed_from_video_id, first.id);
        assert.equal((await untilDone(openai, remix.id)).at(-1).status, 'completed');
      } else {
        await assert.rejects(openai.videos.remix(first.id, { prompt: 'first, at night' }),
          (error) => error instanceof OpenAI.BadRequestError && /cannot remix/.test(error.message));
      }

      const deleted = await openai.videos.delete(first.id);
      assert.deepEqual(deleted, { id: first.id, object: 'video.deleted', deleted: true });
      await assert.rejects(openai.videos.retrieve(first.id), OpenAI.NotFoundError);
    });

    test('bad input is a 400 naming the field; an unknown id is a 404', async () => {
      const openai = client();
      await assert.rejects(openai.videos.create({ model: platform.model, prompt: 'x', seconds: '5', size: platform.size }),
        (error) => error instanceof OpenAI.BadRequestError && error.param === 'seconds');
      await assert.rejects(openai.videos.create({ model: platform.model, prompt: 'x', size: '640x480' }),
        (error) => error instanceof OpenAI.BadRequestError && error.param === 'size');
      await assert.rejects(openai.videos.retrieve('video_00000000000000000000000000000000'), OpenAI.NotFoundError);
    });
  });
}

describe('sora: what only a real upstream shows', () => {
  test('an input_reference file reaches the upstream intact, streamed from disk', async () => {
    const reference = await png(720, 1280);
    const file = path.join(dir, 'reference.png');
    await writeFile(file, reference.bytes);
    const openai = client();

    const created = await openai.videos.create({ model: 'sora-2', prompt: 'the reference, animated', size: '720x1280', input_reference: createReadStream(file) });

    const upstream = [...fake.videos.values()].at(-1);
    assert.equal(upstream.request.inputReference.sha256, reference.sha256);
    assert.equal(upstream.request.inputReference.filename, 'reference.png');
    assert.equal((await untilDone(openai, created.id)).at(-1).status, 'completed');
  });

  test("the seeds' JSON form: input_reference as bare base64 reaches OpenAI as input_reference[image_url], a data URL; two are a 400", async () => {
    const reference = await png(720, 1280);
    const post = (body) => fetch(`${proxy.url}/v1/videos`, {
      method: 'POST', headers: { authorization: `Bearer ${LICENCE}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const response = await post({ model: 'sora-2', prompt: 'the reference, animated', size: '720x1280', input_reference: reference.bytes.toString('base64') });
    const created = await response.json();
    assert.equal(response.status, 200, JSON.stringify(created));
    const upstream = [...fake.videos.values()].at(-1);
    assert.deepEqual([upstream.request.inputReference.kind, upstream.request.inputReference.sha256], ['image_url', reference.sha256]);
    assert.match(upstream.request.inputReference.url, /^data:image\/png;base64,/);
    const detailed = await (await fetch(`${proxy.url}/v1/videos/${created.id}?detail=true`, { headers: { authorization: `Bearer ${LICENCE}` } })).json();
    assert.equal(detailed.detail.platform, 'sora');
    assert.equal(detailed.detail.upstream_id, upstream.id);

    const two = await post({ model: 'sora-2', prompt: 'x', input_reference: [reference.bytes.toString('base64'), reference.bytes.toString('base64')] });
    assert.equal(two.status, 400);
    assert.equal((await two.json()).error.param, 'input_reference');
  });

  test('a job the upstream fails (moderation) is failed with its error', async () => {
    const openai = client();
    const created = await openai.videos.create({ model: 'sora-2', prompt: `${MODERATION_TRIGGER}: something not allowed` });

    const done = (await untilDone(openai, created.id)).at(-1);

    assert.equal(done.status, 'failed');
    assert.equal(done.error.code, 'moderation_blocked');
    await assert.rejects(openai.videos.downloadContent(created.id), OpenAI.NotFoundError);
  });
});

describe('veo: what only a real upstream shows', () => {
  test('an input_reference file reaches Veo as the first frame, intact and typed', async () => {
    const reference = await png(1280, 720);
    const file = path.join(dir, 'frame.png');
    await writeFile(file, reference.bytes);
    const openai = client();

    const created = await openai.videos.create({ model: 'veo-3.1-generate-preview', prompt: 'the frame, animated', size: '1280x720', seconds: '8', input_reference: createReadStream(file) });

    const upstream = [...veo.operations.values()].at(-1);
    assert.deepEqual([upstream.inputs.image.mimeType, upstream.inputs.image.sha256], ['image/png', reference.sha256]);
    assert.deepEqual([upstream.parameters.aspectRatio, upstream.parameters.resolution, upstream.parameters.durationSeconds], ['16:9', '720p', 8]);
    const done = (await untilDone(openai, created.id)).at(-1);
    assert.equal(done.status, 'completed');
    await assertMp4(await openai.videos.downloadContent(created.id), [1280, 720], 8);
  });

  test('a portrait 1080p job is 9:16 at 1080p, 8 seconds; 1080p for 4 seconds is a 400 naming seconds', async () => {
    const openai = client();
    await assert.rejects(openai.videos.create({ model: 'veo-3.1-generate-preview', prompt: 'x', size: '1024x1792', seconds: '4' }),
      (error) => error instanceof OpenAI.BadRequestError && error.param === 'seconds');
    await assert.rejects(openai.videos.create({ model: 'veo-3.1-generate-preview', prompt: 'x', seconds: '12' }),
      (error) => error instanceof OpenAI.BadRequestError && error.param === 'seconds' && /'4', '6', and '8'/.test(error.message));

    const created = await openai.videos.create({ model: 'veo-3.1-generate-preview', prompt: 'a tall waterfall', size: '1024x1792' });
    assert.deepEqual([created.size, created.seconds], ['1024x1792', '8']);
    const upstream = [...veo.operations.values()].at(-1);
    assert.deepEqual([upstream.parameters.aspectRatio, upstream.parameters.resolution, upstream.parameters.durationSeconds], ['9:16', '1080p', 8]);
    assert.equal((await untilDone(openai, created.id)).at(-1).status, 'completed');
    await assertMp4(await openai.videos.downloadContent(created.id), [1080, 1920], 8);
  });

  test("a job Veo's safety filters stop is failed as content_filtered, with Veo's reason", async () => {
    const openai = client();
    const created = await openai.videos.create({ model: 'veo-3.1-generate-preview', prompt: `${VEO_MODERATION_TRIGGER}: something not allowed` });

    const done = (await untilDone(openai, created.id)).at(-1);

    assert.equal(done.status, 'failed');
    assert.deepEqual([done.error.code, done.error.message], ['content_filtered', RAI_REASON]);
    await assert.rejects(openai.videos.downloadContent(created.id), OpenAI.NotFoundError);
  });
});

describe('a job outlives the gateway', () => {
  test('killed with SIGKILL mid-job and restarted on the same database, the gateway finishes the job and serves its video', async () => {
    const env = {
      Manifold__Platforms__sandbox__Plugin: 'sandbox',
      Manifold__Platforms__sandbox__VideoJobSeconds: '3',
      Manifold__Tasks__PollInterval: '00:00:00.200',
      Manifold__Media__Path: path.join(dir, 'media-restart'),
      Manifold__Storage__ConnectionString: `Data Source=${path.join(dir, 'restart.db')}`,
    };
    const first = await startManifold(env);
    const before = new OpenAI({ apiKey: LICENCE, baseURL: `${first.url}/v1`, maxRetries: 0 });
    const created = await before.videos.create({ model: 'sandbox-video', prompt: 'a survivor', size: '1280x720' });
    assert.notEqual((await before.videos.retrieve(created.id)).status, 'completed');
    await first.kill();

    const second = await startManifold(env);
    try {
      const after = new OpenAI({ apiKey: LICENCE, baseURL: `${second.url}/v1`, maxRetries: 0 });
      const done = (await untilDone(after, created.id)).at(-1);
      assert.equal(done.status, 'completed');
      await assertMp4(await after.videos.downloadContent(created.id), [1280, 720], 4);
    } finally {
      await second.stop();
    }
  });
});

