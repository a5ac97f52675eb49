// The official `openai` SDK's images.generate and images.edit against Manifold, unmodified (only the base URL and key
// differ): on the offline sandbox platform, and on an `openai` platform whose upstream is lib/fake-openai-media.mjs
// (which checks what the API checks: image parts must declare an image type, the mask must be a PNG of the first
// image's size, ...). Answers are b64_json images of the asked size (ffprobe); streams are partial images, then the
// completed one. Every answer goes through the oracle's proxy and must match OpenAI's published schema.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import OpenAI, { toFile } from 'openai';
import { startFakeGemini, IMAGE_SIZES } from './lib/fake-gemini.mjs';
import { startFakeOpenAIMedia } from './lib/fake-openai-media.mjs';
import { startManifold, LICENCE } from './lib/manifold.mjs';
import { image, mask as makeMask, png, probe } from './lib/media-files.mjs';
import './lib/oracle-ledger.mjs';
import { startOracleProxy } from './lib/oracle-proxy.mjs';
import { platform } from './lib/platforms.mjs';

const PLATFORMS = [
  { name: 'sandbox', model: 'sandbox-image' },
  { name: 'openai', model: 'gpt-image-1' },
];

let fake;
let fakeGemini;
let manifold;
let proxy;

const client = (base = '') => new OpenAI({ apiKey: LICENCE, baseURL: `${proxy.url}${base}/v1`, maxRetries: 0 });

async function assertPng(base64, width, height) {
  assert.doesNotMatch(base64, /^data:/, 'raw base64, no data: prefix');
  const bytes = Buffer.from(base64, 'base64');
  const info = await probe(bytes);
  assert.equal(info.streams[0].codec_name, 'png');
  assert.deepEqual([info.streams[0].width, info.streams[0].height], [width, height]);
  return bytes;
}

async function collect(stream) {
  const events = [];
  for await (const event of stream) events.push(event);
  return events;
}

const refused = (param, pattern = /./) => (error) => error instanceof OpenAI.BadRequestError && error.param === param && pattern.test(error.message);

before(async () => {
  [fake, fakeGemini] = await Promise.all([startFakeOpenAIMedia(), startFakeGemini()]);
  manifold = await startManifold({
    Manifold__Platforms__sandbox__Plugin: 'sandbox',
    ...platform('openai', 'openai', fake),
    // Gemini's image models (gemini-*, the plugin's default routes) serve generations through generateContent.
    ...platform('gemini', 'gemini', fakeGemini),
  });
  proxy = await startOracleProxy(manifold.url);
});

after(async () => {
  await proxy?.close();
  await manifold?.stop();
  await fake?.close();
  await fakeGemini?.close();
});

for (const platform of PLATFORMS) {
  describe(`${platform.name}: images`, () => {
    test('generate: n b64_json PNGs of the asked size, distinct, with usage, at the root and under /{platform}', async () => {
      for (const base of ['', `/${platform.name}`]) {
        const answer = await client(base).images.generate({ model: platform.model, prompt: 'A cute baby sea otter', n: 2, size: '1536x1024', quality: 'low' });
        assert.equal(answer.data.length, 2);
        assert.deepEqual([answer.size, answer.quality, answer.output_format, answer.background], ['1536x1024', 'low', 'png', 'opaque']);
        for (const item of answer.data) await assertPng(item.b64_json, 1536, 1024);
        assert.notEqual(answer.data[0].b64_json, answer.data[1].b64_json, 'each index is its own image');
        assert.ok(answer.usage.output_tokens > 0);
        assert.equal(answer.usage.total_tokens, answer.usage.input_tokens + answer.usage.output_tokens);
        assert.equal(answer.usage.input_tokens, answer.usage.input_tokens_details.text_tokens + answer.usage.input_tokens_details.image_tokens);
      }
      const square = await client().images.generate({ model: platform.model, prompt: 'A lighthouse' });
      await assertPng(square.data[0].b64_json, 1024, 1024);
    });

    test('generate with stream: partial images, then the completed image', async () => {
      const events = await collect(await client().images.generate({ model: platform.model, prompt: 'A cute baby sea otter', size: '1024x1024', stream: true, partial_images: 2 }));
      assert.deepEqual(events.map((e) => e.type), ['image_generation.partial_image', 'image_generation.partial_image', 'image_generation.completed']);
      assert.deepEqual(events.slice(0, 2).map((e) => e.partial_image_index), [0, 1]);
      for (const partial of events.slice(0, 2)) await assertPng(partial.b64_json, 1024, 1024);
      const completed = events.at(-1);
      await assertPng(completed.b64_json, 1024, 1024);
      assert.notEqual(events[0].b64_json, completed.b64_json);
      assert.equal(completed.usage.total_tokens, completed.usage.input_tokens + completed.usage.output_tokens);
    });

    test('edit: one image, or several (image[]) with a mask; the files reach the platform intact', async () => {
      const [square, other, theMask] = await Promise.all([png(1024, 1024), image({ width: 1024, height: 1024, format: 'jpeg', variant: 1 }), makeMask({ width: 1024, height: 1024 })]);
      const one = await client().images.edit({ model: platform.model, prompt: 'Add a watercolor effect',
        image: await toFile(createReadStream(square.path), 'square.png', { type: 'image/png' }) });
      await assertPng(one.data[0].b64_json, 1024, 1024);
      if (platform.name === 'openai') {
        assert.deepEqual(fake.lastTo('/images/edits').form.files.get('image').map((f) => [f.filename, f.contentType, f.sha256]), [['square.png', 'image/png', square.sha256]]);
      }

      const several = await client(`/${platform.name}`).images.edit({ model: platform.model, prompt: 'A gift basket with these', size: '1536x1024', n: 1,
        image: [await toFile(square.bytes, 'a.png', { type: 'image/png' }), await toFile(other.bytes, 'b.jpg', { type: 'image/jpeg' })],
        mask: await toFile(theMask.bytes, 'mask.png', { type: 'image/png' }) });
      await assertPng(several.data[0].b64_json, 1536, 1024);
      assert.ok(several.usage.input_tokens_details.image_tokens > 0, 'input images are counted');
      if (platform.name === 'openai') {
        const sent = fake.lastTo('/images/edits').form;
        assert.deepEqual(sent.files.get('image[]').map((f) => [f.filename, f.contentType, f.size, f.sha256]),
          [['a.png', 'image/png', square.bytes.length, square.sha256], ['b.jpg', 'image/jpeg', other.bytes.length, other.sha256]]);
        assert.deepEqual(sent.files.get('mask').map((f) => [f.filename, f.contentType, f.sha256]), [['mask.png', 'image/png', theMask.sha256]]);
      } else {
        // The sandbox's edit depends on the input's bytes, deterministically.
        const again = await client().images.edit({ model: platform.model, prompt: 'Add a watercolor effect', image: await toFile(square.bytes, 'copy.png', { type: 'image/png' }) });
        assert.equal(again.data[0].b64_json, one.data[0].b64_json, 'the same input gives the same image');
        const otherInput = await client().images.edit({ model: platform.model, prompt: 'Add a watercolor effect', image: await toFile(other.bytes, 'b.jpg', { type: 'image/jpeg' }) });
        assert.notEqual(otherInput.data[0].b64_json, one.data[0].b64_json, 'another input gives another image');
      }
    });

    test('edit with stream: partial image, then the completed one', async () => {
      const square = await png(1024, 1024);
      const events = await collect(await client().images.edit({ model: platform.model, prompt: 'Watercolor', stream: true, partial_images: 1,
        image: await toFile(square.bytes, 'square.png', { type: 'image/png' }) }));
      assert.deepEqual(events.map((e) => e.type), ['image_edit.partial_image', 'image_edit.completed']);
      await assertPng(events.at(-1).b64_json, 1024, 1024);
    });

    test('response_format url links to Manifold\'s own copy, which downloads without a licence', async () => {
      const answer = await client().images.generate({ model: platform.model, prompt: 'A lighthouse', size: '1024x1024', response_format: 'url' });
      assert.equal(answer.data[0].b64_json, undefined);
      assert.match(answer.data[0].url, /\/v1\/media\/img_[0-9a-f]{32}\/0\.png\?expires=\d+&signature=[0-9a-f]{64}$/);
      const image = await fetch(answer.data[0].url);
      assert.equal(image.status, 200);
      await assertPng(Buffer.from(await image.arrayBuffer()).toString('base64'), 1024, 1024);
      if (platform.name === 'openai') assert.equal(fake.lastTo('/images/generations').body.response_format, undefined, 'GPT image models are asked for their base64');
    });

    test('refusals are 400s naming the field', async () => {
      const openai = client();
      await assert.rejects(openai.images.generate({ model: platform.model, prompt: 'x', size: '640xbig' }), refused('size', /'640xbig'/));
      await assert.rejects(openai.images.generate({ model: platform.model, prompt: 'x', n: 11 }), refused('n'));
      await assert.rejects(openai.images.edit({ model: platform.model, prompt: 'x' }), refused('image', /image/));
    });
  });
}

test('gemini: generate with a Gemini image model is one generateContent asking for the image alone, as b64_json', async () => {
  const answer = await client().images.generate({ model: 'gemini-2.5-flash-image', prompt: 'A cute baby sea otter', size: '1024x1024' });
  assert.equal(answer.data.length, 1);
  assert.equal(answer.output_format, 'png');
  await assertPng(answer.data[0].b64_json, ...IMAGE_SIZES.flash25['1:1']);
  assert.deepEqual(fakeGemini.last.body.generationConfig, { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '1:1' } });
  assert.equal(answer.usage.total_tokens, answer.usage.input_tokens + answer.usage.output_tokens);
  await assert.rejects(client().images.generate({ model: 'gemini-2.5-flash-image', prompt: 'x', quality: 'high' }),
    refused('quality', /not supported by Gemini image models/));
});

test('a prompt is required: the gateway refuses before any platform', async () => {
  await assert.rejects(client().images.generate({ model: 'sandbox-image' }), (e) => e instanceof OpenAI.BadRequestError && e.param === 'prompt');
});

// The seeds' own forms (raw HTTP: no SDK sends them), read as OpenAI's before the platform sees the request.
describe("the seeds' forms, on an openai upstream", () => {
  const post = (path, body, query = '') => fetch(`${proxy.url}${path}${query}`, {
    method: 'POST', headers: { authorization: `Bearer ${LICENCE}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  async function finished(id) {
    for (let i = 0; i < 300; i++) {
      const task = await (await fetch(`${proxy.url}/v1/images/${id}`, { headers: { authorization: `Bearer ${LICENCE}` } })).json();
      if (task.status === 'completed' || task.status === 'failed') return task;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`task ${id} never finished`);
  }

  test('a JSON edit with image as base64 strings reaches OpenAI as images: [{image_url: data URL}]', async () => {
    const [a, b] = await Promise.all([png(1024, 1024), image({ width: 1024, height: 1024, format: 'jpeg', variant: 2 })]);
    const response = await post('/v1/images/edits', { model: 'gpt-image-1', prompt: 'Both, side by side', image: [a.bytes.toString('base64'), b.bytes.toString('base64')] });
    assert.equal(response.status, 200, await response.clone().text());
    await assertPng((await response.json()).data[0].b64_json, 1024, 1024);
    const sent = fake.lastTo('/images/edits').body;
    assert.deepEqual(sent.images, [{ image_url: `data:image/png;base64,${a.bytes.toString('base64')}` }, { image_url: `data:image/jpeg;base64,${b.bytes.toString('base64')}` }]);
    assert.equal(sent.image, undefined, 'the seeds\' field never reaches OpenAI');

    const notAnImage = await post('/v1/images/edits', { model: 'gpt-image-1', prompt: 'x', image: 'bm90IGFuIGltYWdl' });
    assert.equal(notAnImage.status, 400);
    assert.equal((await notAnImage.json()).error.param, 'image');
  });

  test('async: the answer is a task; the job runs on the upstream later, its uploads intact, and the task then holds the images', async () => {
    const square = await png(1024, 1024);
    const form = new FormData();
    form.append('model', 'gpt-image-1');
    form.append('prompt', 'Add a watercolor effect');
    form.append('image', new Blob([square.bytes], { type: 'image/png' }), 'square.png');
    const before = fake.requests.length;
    const response = await fetch(`${proxy.url}/openai/v1/images/edits?async=true`, { method: 'POST', headers: { authorization: `Bearer ${LICENCE}` }, body: form });
    const task = await response.json();
    assert.equal(response.status, 200, JSON.stringify(task));
    assert.deepEqual([task.object, task.status, task.model], ['image.task', 'queued', 'gpt-image-1']);
    assert.match(task.id, /^img_[0-9a-f]{32}$/);

    const done = await finished(task.id);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    await assertPng(done.data[0].b64_json, 1024, 1024);
    assert.ok(done.usage.total_tokens > 0, 'the upstream\'s usage is kept with the task');
    const edits = fake.requests.slice(before).filter((r) => r.path.includes('/images/edits'));
    assert.equal(edits.length, 1);
    assert.deepEqual(edits[0].form.files.get('image').map((f) => [f.filename, f.contentType, f.sha256]), [['square.png', 'image/png', square.sha256]]);
    assert.equal(edits[0].form.fields.get('async'), undefined, 'Manifold\'s async never reaches OpenAI');

    const failed = await finished((await (await post('/v1/images/generations', { model: 'gpt-image-1', prompt: 'x', n: 11, async: true })).json()).id);
    assert.deepEqual([failed.status, failed.error.code], ['failed', 'integer_above_max_value']);
  });
});
