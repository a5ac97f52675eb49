// The official `openai` npm SDK, unmodified (only baseURL and apiKey differ), against Manifold:
// the same results through Manifold as directly from the upstream, at the root and under /{platform}.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { COMPLETION_TEXT, startFakeOpenAI } from './lib/fake-openai.mjs';
import { LICENCE, startManifold } from './lib/manifold.mjs';

let upstream;
let manifold;

before(async () => {
  upstream = await startFakeOpenAI();
  manifold = await startManifold({
    Manifold__Platforms__up__Plugin: 'openai',
    Manifold__Platforms__up__BaseUrl: upstream.baseUrl,
    Manifold__Platforms__up__Accounts__0__Key: 'sk-upstream-1',
  });
});

after(async () => {
  await manifold?.stop();
  await upstream?.close();
});

const direct = () => new OpenAI({ apiKey: 'sk-upstream-1', baseURL: upstream.baseUrl });
const gateway = (prefix) => new OpenAI({ apiKey: LICENCE, baseURL: `${manifold.url}${prefix}/v1`, maxRetries: 0 });
const messages = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }];
const tools = [{ type: 'function', function: { name: 'get_weather', description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];

async function collect(stream) {
  let text = '';
  let args = '';
  let finish = null;
  let usage = null;
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    text += choice?.delta?.content ?? '';
    args += choice?.delta?.tool_calls?.map((t) => t.function?.arguments ?? '').join('') ?? '';
    finish ??= choice?.finish_reason ?? null;
    usage ??= chunk.usage ?? null;
  }
  return { text, args, finish, usage };
}

for (const prefix of ['', '/up']) {
  describe(`openai SDK → Manifold${prefix || ' (root)'} → openai platform`, () => {
    test('non-streaming matches a direct call', async () => {
      const want = await direct().chat.completions.create({ model: 'gpt-4o-mini', messages });
      const got = await gateway(prefix).chat.completions.create({ model: 'gpt-4o-mini', messages });
      assert.equal(got.choices[0].message.content, COMPLETION_TEXT);
      assert.deepEqual(got, want);
    });

    test('streaming matches a direct call, usage included', async () => {
      const want = await collect(await direct().chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } }));
      const got = await collect(await gateway(prefix).chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } }));
      assert.equal(got.text, COMPLETION_TEXT);
      assert.equal(got.usage.total_tokens, 29);
      assert.deepEqual(got, want);
    });

    test('tool calls match a direct call, streaming and not', async () => {
      const want = await direct().chat.completions.create({ model: 'gpt-4o-mini', messages, tools });
      const got = await gateway(prefix).chat.completions.create({ model: 'gpt-4o-mini', messages, tools });
      assert.deepEqual(got.choices[0].message.tool_calls, want.choices[0].message.tool_calls);
      assert.equal(got.choices[0].finish_reason, 'tool_calls');
      const streamed = await collect(await gateway(prefix).chat.completions.create({ model: 'gpt-4o-mini', messages, tools, stream: true }));
      assert.equal(streamed.args, '{"city":"Paris"}');
      assert.equal(streamed.finish, 'tool_calls');
    });
  });
}

describe('errors reach the SDK as its own error types', () => {
  test('a wrong licence is an AuthenticationError (401)', async () => {
    const client = new OpenAI({ apiKey: 'not-a-licence', baseURL: `${manifold.url}/v1`, maxRetries: 0 });
    await assert.rejects(client.chat.completions.create({ model: 'gpt-4o-mini', messages }), (error) => {
      assert.ok(error instanceof OpenAI.AuthenticationError);
      assert.equal(error.status, 401);
      return true;
    });
  });

  test('a request without messages is a BadRequestError (400) naming the field', async () => {
    await assert.rejects(gateway('').chat.completions.create({ model: 'gpt-4o-mini' }), (error) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.equal(error.status, 400);
      assert.equal(error.param, 'messages');
      return true;
    });
  });

  test('an unknown model is a NotFoundError (404)', async () => {
    await assert.rejects(gateway('').chat.completions.create({ model: 'no-such-model', messages }), (error) => {
      assert.ok(error instanceof OpenAI.NotFoundError);
      assert.equal(error.code, 'model_not_found');
      return true;
    });
  });
});

test('the model list comes through the SDK', async () => {
  const models = [];
  for await (const model of gateway('').models.list()) models.push(model.id);
  assert.ok(models.includes('sandbox-echo'));
});
