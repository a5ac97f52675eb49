// The official `@google/genai` SDK's media calls against Manifold, unmodified (only the key, the base URL and, for
// Vertex mode, `vertexai: true` differ): Vertex-mode ai.models.generateVideos polled with
// ai.operations.getVideosOperation to done, the video inline (videoBytes); Vertex-mode ai.models.generateImages
// answering real images; Gemini-API-mode ai.operations.getVideosOperation of an operation started over REST
// (the SDK cannot start one in that mode) and ai.files.download of its video. On the offline sandbox, on a `sora`
// platform (lib/fake-openai-media.mjs) and a `veo` one (lib/fake-veo.mjs), and for images on an `openai` platform.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GenerateVideosOperation, GoogleGenAI } from '@google/genai';
import { startFakeOpenAIMedia } from './lib/fake-openai-media.mjs';
import { startFakeVeo } from './lib/fake-veo.mjs';
import { startManifold, LICENCE } from './lib/manifold.mjs';
import { imageInfo, probe } from './lib/media-files.mjs';
import { platform } from './lib/platforms.mjs';

// `seconds`: a length every platform takes (Veo 3.x 4/6/8, Sora 4/8/12); `size` is what 16:9 at 720p becomes.
const VIDEO_PLATFORMS = [
  { name: 'sandbox', model: 'sandbox-video', width: 1280, height: 720 },
  { name: 'sora', model: 'sora-2', width: 1280, height: 720 },
  { name: 'veo', model: 'veo-3.1-generate-preview', width: 1280, height: 720 },
];

let fake;
let veo;
let manifold;
let dir;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const vertex = (base = '') => new GoogleGenAI({ vertexai: true, apiKey: LICENCE, httpOptions: { baseUrl: `${manifold.url}${base}` } });
const gemini = (base = '') => new GoogleGenAI({ apiKey: LICENCE, httpOptions: { baseUrl: `${manifold.url}${base}` } });

/** Polls with the SDK's own helper until the operation is done; returns every state seen. */
async function untilDone(ai, operation, timeout = 120_000) {
  const seen = [operation];
  const deadline = Date.now() + timeout;
  while (!operation.done) {
    if (Date.now() > deadline) throw new Error(`operation ${operation.name} not done after ${timeout} ms`);
    await sleep(150);
    operation = await ai.operations.getVideosOperation({ operation });
    seen.push(operation);
  }
  return seen;
}

async function assertMp4(bytes, width, height) {
  const info = await probe(bytes);
  const video = info.streams.find((s) => s.codec_type === 'video');
  assert.equal(video.codec_name, 'h264');
  assert.deepEqual([video.width, video.height], [width, height]);
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'manifold-genai-media-'));
  fake = await startFakeOpenAIMedia({ videoDurationMs: 1200 });
  veo = await startFakeVeo({ videoDurationMs: 1200 });
  manifold = await startManifold({
    Manifold__Platforms__sandbox__Plugin: 'sandbox',
    Manifold__Platforms__sandbox__VideoJobSeconds: '1',
    ...platform('sora', 'sora', fake),
    ...platform('openai', 'openai', fake),
    ...platform('veo', 'veo', veo),
    Manifold__Tasks__PollInterval: '00:00:00.200',
    Manifold__Media__Path: path.join(dir, 'media'),
    // @google/genai reads a file id only from an https:// uri; behind a TLS proxy this is the gateway's public address.
    Manifold__Gateway__PublicBaseUrl: 'https://manifold.example',
  });
});

after(async () => {
  await manifold?.stop();
  await fake?.close();
  await veo?.close();
  await rm(dir, { recursive: true, force: true });
});

for (const platform of VIDEO_PLATFORMS) {
  describe(`${platform.name}: @google/genai videos`, () => {
    test('Vertex mode: generateVideos, getVideosOperation to done, the video inline, at the root and under /{platform}', async () => {
      for (const base of ['', `/${platform.name}`]) {
        const ai = vertex(base);
        const started = await ai.models.generateVideos({
          model: platform.model,
          prompt: 'A calico cat playing a piano on stage',
          config: { aspectRatio: '16:9', durationSeconds: 4, numberOfVideos: 1 },
        });
        assert.match(started.name, /^models\/[^/]+\/operations\/[a-z0-9]+$/, 'an operation name, its id lowercase alphanumeric');
        assert.ok(!started.done);

        const seen = await untilDone(ai, started);
        const done = seen.at(-1);
        assert.equal(done.error, undefined, JSON.stringify(done.error));
        const video = done.response.generatedVideos[0].video;
        assert.equal(video.mimeType, 'video/mp4');
        await assertMp4(Buffer.from(video.videoBytes, 'base64'), platform.width, platform.height);

        // The SDK saves it as Google documents: files.download of the generated video writes its bytes.
        const file = path.join(dir, `${platform.name}-vertex-${base ? 'platform' : 'root'}.mp4`);
        await ai.files.download({ file: done.response.generatedVideos[0], downloadPath: file });
        await assertMp4(await readFile(file), platform.width, platform.height);

        // A video too large to inline is answered by uri, which the SDK in Vertex mode fetches under /v1beta1.
        const id = started.name.split('/').at(-1);
        const fetched = await fetch(`${manifold.url}${base}/v1beta1/files/${id}:download?alt=media`, { headers: { 'x-goog-api-key': LICENCE } });
        assert.equal(fetched.status, 200);
        assert.deepEqual(Buffer.from(await fetched.arrayBuffer()), Buffer.from(video.videoBytes, 'base64'));
      }
    });

    test('Gemini API mode: an operation started over REST, polled with getVideosOperation, downloaded with files.download', async () => {
      const response = await fetch(`${manifold.url}/v1beta/models/${platform.model}:predictLongRunning`, {
        method: 'POST',
        headers: { 'x-goog-api-key': LICENCE, 'content-type': 'application/json' },
        body: JSON.stringify({ instances: [{ prompt: 'A lighthouse in a storm' }], parameters: { aspectRatio: '9:16', durationSeconds: 4 } }),
      });
      assert.equal(response.status, 200);
      const { name } = await response.json();

      const ai = gemini();
      const operation = new GenerateVideosOperation();
      operation.name = name;
      const seen = await untilDone(ai, operation);
      const done = seen.at(-1);
      assert.equal(done.error, undefined, JSON.stringify(done.error));
      const sample = done.response.generatedVideos[0];
      assert.match(sample.video.uri, /^https:\/\/manifold\.example\/v1beta\/files\/[a-z0-9]+:download\?alt=media$/);

      const file = path.join(dir, `${platform.name}-gemini.mp4`);
      await ai.files.download({ file: sample, downloadPath: file });
      await assertMp4(await readFile(file), platform.height, platform.width);
    });
  });
}

describe('@google/genai videos: refusals', () => {
  test('a length the platform cannot make is a 400 the SDK raises, naming durationSeconds', async () => {
    await assert.rejects(
      vertex().models.generateVideos({ model: 'sora-2', prompt: 'x', config: { durationSeconds: 6 } }),
      (error) => error.status === 400 && /parameters\.durationSeconds/.test(error.message));
  });
});

describe('@google/genai images: Vertex mode generateImages', () => {
  for (const platform of [{ name: 'sandbox', model: 'sandbox-image' }, { name: 'openai', model: 'gpt-image-1' }]) {
    test(`${platform.name}: real PNG bytes`, async () => {
      const answer = await vertex().models.generateImages({ model: platform.model, prompt: 'A red kite over a beach', config: { numberOfImages: 2, aspectRatio: '1:1' } });
      assert.equal(answer.generatedImages.length, 2);
      for (const generated of answer.generatedImages) {
        assert.equal(generated.image.mimeType, 'image/png');
        const info = imageInfo(Buffer.from(generated.image.imageBytes, 'base64'));
        assert.equal(info?.format, 'png');
        assert.deepEqual([info.width, info.height], [1024, 1024]);
      }
    });
  }
});
