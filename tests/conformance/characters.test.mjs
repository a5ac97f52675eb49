// Characters with the official `openai` SDK, unmodified: videos.createCharacter and videos.getCharacter against
// Manifold on a `sora` platform (upstream lib/fake-openai-media.mjs) and on the offline sandbox; a prompt's @name
// reaching Sora as the API takes a character (its name in the prompt, its id in `characters`); and the seeds'
// POST /sora/v1/characters, through the SDK's generic client.post, cutting a clip from a finished Sora job. Every
// answer of an OpenAI path goes through the oracle's proxy and must match OpenAI's published schema.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import OpenAI, { toFile } from 'openai';
import { startFakeOpenAIMedia } from './lib/fake-openai-media.mjs';
import { startManifold, LICENCE } from './lib/manifold.mjs';
import { mp4, sha256 } from './lib/media-files.mjs';
import './lib/oracle-ledger.mjs';
import { startOracleProxy } from './lib/oracle-proxy.mjs';
import { platform } from './lib/platforms.mjs';

let fake;
let manifold;
let proxy;
let dir;
let clip;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const client = (base = '') => new OpenAI({ apiKey: LICENCE, baseURL: `${proxy.url}${base}/v1`, maxRetries: 0 });
const video = async () => toFile(clip.bytes, 'mochi.mp4', { type: 'video/mp4' });

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'manifold-characters-'));
  clip = await mp4({ width: 640, height: 360, seconds: 3 });
  fake = await startFakeOpenAIMedia({ videoDurationMs: 1200 });
  manifold = await startManifold({
    Manifold__Platforms__sandbox__Plugin: 'sandbox',
    Manifold__Platforms__sandbox__VideoJobSeconds: '1',
    ...platform('sora', 'sora', fake),
    Manifold__Tasks__PollInterval: '00:00:00.200',
    Manifold__Media__Path: path.join(dir, 'media'),
  });
  proxy = await startOracleProxy(manifold.url);
});

after(async () => {
  await proxy?.close();
  await manifold?.stop();
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('videos.createCharacter and videos.getCharacter', () => {
  for (const platform of ['sora', 'sandbox']) {
    test(`on ${platform}: Manifold's id, the name, and the same character read back at the root`, async () => {
      const openai = client(`/${platform}`);
      const created = await openai.videos.createCharacter({ name: `Mochi-${platform}`, video: await video() });
      const read = await client().videos.getCharacter(created.id);

      assert.match(created.id, /^char_[0-9a-f]{32}$/);
      assert.equal(created.name, `Mochi-${platform}`);
      assert.ok(Number.isInteger(created.created_at));
      assert.deepEqual(read, created);
      if (platform === 'sora') {
        const upstream = [...fake.characters.values()].find((c) => c.name === 'Mochi-sora');
        assert.notEqual(upstream.id, created.id);
        assert.equal(upstream.upload.sha256, sha256(clip.bytes));
        assert.equal(upstream.upload.contentType, 'video/mp4');
      }
    });
  }

  test("at the root the model picks the platform (Manifold's extension: an extra form field)", async () => {
    const created = await client().videos.createCharacter({ name: 'Rooted', video: await video(), model: 'sora-2' });
    assert.ok([...fake.characters.values()].some((c) => c.name === 'Rooted'));
    assert.equal((await client('/sora').videos.getCharacter(created.id)).name, 'Rooted');
  });

  test('a form without a name, or without a video, is a 400 naming it; an unknown id is a 404', async () => {
    const openai = client('/sora');
    await assert.rejects(openai.videos.createCharacter({ video: await video() }), (error) => error.status === 400 && error.param === 'name');
    await assert.rejects(openai.videos.createCharacter({ name: 'No video' }), (error) => error.status === 400 && error.param === 'video');
    await assert.rejects(openai.videos.getCharacter('char_00000000000000000000000000000000'), (error) => error.status === 404);
  });
});

describe('a character in a prompt', () => {
  test("@name reaches Sora as the name in the prompt and the character's id in characters", async () => {
    const openai = client();
    await client('/sora').videos.createCharacter({ name: 'Biscuit', video: await video() });
    const upstream = [...fake.characters.values()].find((c) => c.name === 'Biscuit');

    const job = await openai.videos.create({ model: 'sora-2', prompt: '@Biscuit rolls across a kitchen table, watched by @nobody' });

    const sent = [...fake.videos.values()].find((v) => v.prompt.startsWith('Biscuit rolls'));
    assert.equal(sent.prompt, 'Biscuit rolls across a kitchen table, watched by @nobody');
    assert.deepEqual(sent.request.characters, [{ id: upstream.id, name: 'Biscuit' }]);
    // The client sees its own prompt.
    assert.equal(job.prompt, '@Biscuit rolls across a kitchen table, watched by @nobody');
  });
});

describe("the seeds' POST /sora/v1/characters", () => {
  test('from a finished Sora job: a 2-second clip reaches the upstream, and the answer has the seeds\' and the official fields', async () => {
    const openai = client('/sora');
    const job = await openai.videos.create({ model: 'sora-2', prompt: 'a paper boat on a pond', seconds: '4' });
    for (let done = false; !done; await sleep(150)) {
      const state = await openai.videos.retrieve(job.id);
      assert.notEqual(state.status, 'failed');
      done = state.status === 'completed';
    }

    const created = await openai.post('/characters', { body: { from_task: job.id, timestamps: '1,3', username: 'paper_boat' } });

    assert.match(created.id, /^char_[0-9a-f]{32}$/);
    assert.equal(created.username, 'paper_boat');
    assert.equal(created.name, 'paper_boat');
    assert.ok(created.permalink.endsWith(`/v1/videos/characters/${created.id}`));
    const upstream = [...fake.characters.values()].find((c) => c.name === 'paper_boat');
    assert.ok(Math.abs(upstream.upload.seconds - 2) < 0.15, `clip of ${upstream.upload.seconds} s`);
    assert.equal((await openai.videos.getCharacter(created.id)).name, 'paper_boat');
  });

  test('timestamps longer than 3 seconds are a 400 naming timestamps', async () => {
    await assert.rejects(client('/sora').post('/characters', { body: { url: 'https://example.com/v.mp4', timestamps: '0,4' } }),
      (error) => error.status === 400 && error.param === 'timestamps');
  });
});
