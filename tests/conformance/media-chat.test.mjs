// Video and images from an ordinary chat request, with the official `openai` SDK, unmodified: `chat.completions.create`
// with a video model on a `sora` platform (lib/fake-openai-media.mjs) and a `veo` one (lib/fake-veo.mjs), streaming and
// not, and with a GPT image model on an `openai` platform. Progress arrives as `reasoning_content` (read from the raw
// chunk: it is not in the SDK's types), the result as markdown whose signed link works without a licence; the file the
// link serves shows what the upstream was asked for (the model name's size and length, mapped for each platform).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { startFakeOpenAIMedia } from './lib/fake-openai-media.mjs';
import { startFakeVeo } from './lib/fake-veo.mjs';
import { startManifold, LICENCE } from './lib/manifold.mjs';
import { imageInfo, probe } from './lib/media-files.mjs';
import './lib/oracle-ledger.mjs';
import { startOracleProxy } from './lib/oracle-proxy.mjs';
import { platform } from './lib/platforms.mjs';

let fake;
let veo;
let manifold;
let proxy;
let dir;

const openai = () => new OpenAI({ apiKey: LICENCE, baseURL: `${proxy.url}/v1`, maxRetries: 0 });
const linkIn = (markdown) => {
  const match = /\]\(([^)]+)\)/.exec(markdown);
  assert.ok(match, `a markdown link in: ${markdown}`);
  return match[1];
};

/** The file behind a link, fetched with no licence at all. */
async function download(url) {
  const response = await fetch(url);
  assert.equal(response.status, 200, `${url}: ${response.status}`);
  return { type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
}

async function assertMp4(bytes, [width, height], seconds) {
  const info = await probe(bytes);
  const video = info.streams.find((s) => s.codec_type === 'video');
  assert.equal(video.codec_name, 'h264');
  assert.deepEqual([video.width, video.height], [width, height]);
  assert.ok(Math.abs(Number(info.format.duration) - seconds) < 0.2, `duration ${info.format.duration} ≈ ${seconds}`);
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'manifold-media-chat-'));
  fake = await startFakeOpenAIMedia({ videoDurationMs: 1500 });
  veo = await startFakeVeo({ videoDurationMs: 1500 });
  manifold = await startManifold({
    ...platform('sora', 'sora', fake),
    ...platform('veo', 'veo', veo),
    ...platform('openai', 'openai', fake),
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

describe('media from chat, through the openai SDK', () => {
  test('a streamed Sora video: progress as reasoning_content, then a link to a 1280x720, 8 s video', async () => {
    const stream = await openai().chat.completions.create({
      model: 'sora-2-landscape-8s',
      messages: [{ role: 'user', content: 'A calico cat playing a piano' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const reasoning = [];
    let content = '';
    let finish = null;
    let usage = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta?.reasoning_content) reasoning.push(choice.delta.reasoning_content);
      if (choice?.delta?.content) content += choice.delta.content;
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    const text = reasoning.join('');
    assert.match(text, /Task video_[0-9a-f]{32} created on sora/);
    assert.match(text, /(Queued|Generating): \d+%/);
    assert.match(text, /Done: 100%/);
    assert.equal(finish, 'stop');
    assert.ok(usage, 'a usage chunk, as include_usage asks');
    const { type, bytes } = await download(linkIn(content));
    assert.equal(type, 'video/mp4');
    await assertMp4(bytes, [1280, 720], 8);
  });

  test('a non-streamed Veo video waits for the job: -portrait-hd is 9:16 at 1080p, 8 s', async () => {
    const completion = await openai().chat.completions.create({
      model: 'veo-3.1-generate-preview-portrait-hd',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'A lighthouse in a storm' }] }],
    });
    const message = completion.choices[0].message;
    const id = completion.id.replace(/^chatcmpl-/, '');
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.match(message.reasoning_content, /Done: 100%/);
    const { bytes } = await download(linkIn(message.content));
    await assertMp4(bytes, [1080, 1920], 8);
    // The same job through the Videos API.
    const video = await openai().videos.retrieve(id);
    assert.deepEqual([video.status, video.size, video.seconds], ['completed', '1024x1792', '8']);
  });

  test('a GPT image model answers a markdown image whose link serves a portrait PNG', async () => {
    const completion = await openai().chat.completions.create({
      model: 'gpt-image-1.5-portrait',
      messages: [{ role: 'user', content: 'A watercolor fox' }],
    });
    const content = completion.choices[0].message.content;
    assert.match(content, /^!\[image\]\(/);
    const { bytes } = await download(linkIn(content));
    const info = imageInfo(bytes);
    assert.deepEqual([info.format, info.width, info.height], ['png', 1024, 1536]);
  });

  test('a job the upstream refuses is an error the SDK raises, in Chat Completions shape', async () => {
    await assert.rejects(
      openai().chat.completions.create({ model: 'sora-2', messages: [{ role: 'user', content: 'MODERATION please' }] }),
      (error) => error instanceof OpenAI.BadRequestError && error.code === 'moderation_blocked' && /^Task video_/.test(error.message.replace(/^400 /, '')),
    );
  });
});
