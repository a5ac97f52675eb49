// OpenAI Responses through the official `openai` SDK, unmodified (only baseURL and apiKey), to each
// platform: every matrix scenario, streaming (the typed event sequence, checked event by event) and not.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { LICENCE } from './lib/manifold.mjs';
import { cell, MODES, PLATFORMS, startMatrix } from './lib/matrix.mjs';
import {
  assertToolTurnReachedUpstream, assertUpstreamThinks, DESCRIBE, echo, expectedReasoningTokens, FAIL, HELLO, HISTORY, IMAGE_URL,
  BREAK, PARALLEL, PDF, PDF_SEEN, PNG, PNG_SEEN, reasoningText, SYSTEM, THINK, TOOL_ARGS, TOOL_RESULT, TOOL_RESULT_ECHO,
  UPSTREAM_TOOL_IDS, upstreamSignature, URL_SEEN, USAGE, WEATHER, WEATHER_TOOL,
} from './lib/scenarios.mjs';

let matrix;
before(async () => { matrix = await startMatrix(); });
after(async () => { await matrix?.stop(); });

const client = (prefix = '', apiKey = LICENCE) => new OpenAI({ apiKey, baseURL: `${matrix.url}${prefix}/v1`, maxRetries: 0, timeout: 15_000 });
const tools = [{ type: 'function', strict: false, ...WEATHER_TOOL }];
const upstreamIds = (platform) => UPSTREAM_TOOL_IDS[platform.name === 'openai' ? 'openai/responses' : platform.name];

/**
 * Checks a Responses event stream against the documented grammar and returns the completed Response:
 * sequence_number counts from 0, response.created comes first and response.completed last, every
 * output item is added before its deltas and done after them, and the deltas add up to the done values.
 */
function checkEvents(events) {
  assert.deepEqual(events.map((e) => e.sequence_number), events.map((_, i) => i), 'sequence_number must count 0, 1, 2, ...');
  assert.equal(events[0].type, 'response.created');
  assert.equal(events.at(-1).type, 'response.completed');
  const open = new Map();
  const text = new Map();
  for (const event of events.slice(1, -1)) {
    const index = event.output_index;
    switch (event.type) {
      case 'response.output_item.added':
        assert.ok(!open.has(index), `item ${index} added twice`);
        open.set(index, event.item);
        break;
      case 'response.output_item.done':
        assert.ok(open.has(index), `item ${index} done before added`);
        open.delete(index);
        break;
      case 'response.output_text.delta':
      case 'response.function_call_arguments.delta':
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        assert.ok(open.has(index), `${event.type} outside its item ${index}`);
        text.set(`${event.type}:${index}`, (text.get(`${event.type}:${index}`) ?? '') + event.delta);
        break;
      case 'response.output_text.done':
        assert.equal(event.text, text.get(`response.output_text.delta:${index}`) ?? '');
        break;
      case 'response.function_call_arguments.done':
        assert.equal(event.arguments, text.get(`response.function_call_arguments.delta:${index}`) ?? '');
        break;
      default:
        break;
    }
  }
  assert.equal(open.size, 0, 'every added item must be done');
  return events.at(-1).response;
}

/** Creates a response, streaming or not; returns the final Response either way. */
async function respond(params, stream, prefix = '') {
  if (!stream) return client(prefix).responses.create(params);
  const events = [];
  for await (const event of await client(prefix).responses.create({ ...params, stream: true })) events.push(event);
  return checkEvents(events);
}

const outputText = (response) => response.output.filter((i) => i.type === 'message')
  .flatMap((i) => i.content).filter((c) => c.type === 'output_text').map((c) => c.text).join('');
const calls = (response) => response.output.filter((i) => i.type === 'function_call');
/** The reasoning of a response: its items' summary (or raw reasoning) text, and the encrypted content they carry. */
const reasoningOf = (response) => {
  const items = response.output.filter((i) => i.type === 'reasoning');
  return items.length ? {
    text: items.flatMap((i) => [...(i.summary ?? []), ...(i.content ?? [])]).map((p) => p.text).join(''),
    encrypted: items.map((i) => i.encrypted_content).filter(Boolean).join(' '),
  } : undefined;
};

function assertCalls(platform, response, args) {
  const found = calls(response);
  assert.deepEqual(found.map((c) => c.name), args.map(() => WEATHER_TOOL.name));
  assert.deepEqual(found.map((c) => JSON.parse(c.arguments)), args);
  const ids = found.map((c) => c.call_id);
  assert.ok(ids.every((id) => typeof id === 'string' && id.length > 0), `call ids: ${ids}`);
  assert.equal(new Set(ids).size, ids.length);
  if (upstreamIds(platform)) assert.deepEqual(ids, upstreamIds(platform).slice(0, args.length));
}

for (const platform of PLATFORMS) {
  const model = platform.model;
  for (const [mode, label] of Object.entries(MODES)) {
    const stream = mode === 's';

    cell(platform, 'text', label, async () => {
      const response = await respond({ model, input: HELLO }, stream);
      assert.equal(outputText(response), echo());
      assert.equal(response.status, 'completed');
    });

    cell(platform, 'system prompt', label, async () => {
      // The non-streaming case uses `instructions`, the streaming one a developer message: both are the system prompt.
      const params = stream
        ? { model, input: [{ role: 'developer', content: SYSTEM }, { role: 'user', content: HELLO }] }
        : { model, instructions: SYSTEM, input: HELLO };
      assert.equal(outputText(await respond(params, stream)), echo({ system: SYSTEM }));
    });

    cell(platform, 'multi-turn', label, async () => {
      const input = [{ role: 'user', content: HISTORY[0] }, { role: 'assistant', content: HISTORY[1] }, { role: 'user', content: HISTORY[2] }];
      assert.equal(outputText(await respond({ model, input }, stream)), echo({ user: HISTORY[2], turns: 2 }));
    });

    cell(platform, 'image (base64)', label, async () => {
      const input = [{ role: 'user', content: [{ type: 'input_text', text: DESCRIBE }, { type: 'input_image', detail: 'auto', image_url: `data:image/png;base64,${PNG}` }] }];
      assert.equal(outputText(await respond({ model, input }, stream)), echo({ user: DESCRIBE, images: [PNG_SEEN] }));
    });

    cell(platform, 'tools', label, async () => {
      assertCalls(platform, await respond({ model, input: WEATHER, tools }, stream), TOOL_ARGS.slice(0, 1));
    });

    cell(platform, 'parallel tools', label, async () => {
      assertCalls(platform, await respond({ model, input: PARALLEL, tools }, stream), TOOL_ARGS);
    });

    cell(platform, 'tool result', label, async () => {
      const first = await respond({ model, input: WEATHER, tools }, stream);
      const input = [{ role: 'user', content: WEATHER }, ...first.output,
        { type: 'function_call_output', call_id: calls(first)[0].call_id, output: JSON.stringify(TOOL_RESULT) }];
      const second = await respond({ model, input, tools }, stream);
      assert.equal(outputText(second), TOOL_RESULT_ECHO);
      assertToolTurnReachedUpstream(platform.name, matrix.fakes[platform.name].last.body, { ids: upstreamIds(platform)?.slice(0, 1) });
    });

    cell(platform, 'usage', label, async () => {
      const { usage } = await respond({ model, input: HELLO }, stream);
      // Responses follows OpenAI semantics: input_tokens INCLUDES cached, output_tokens INCLUDES reasoning.
      assert.equal(usage.input_tokens, USAGE.input);
      assert.equal(usage.input_tokens_details?.cached_tokens, USAGE.cached);
      assert.equal(usage.output_tokens, USAGE.output);
      assert.equal(usage.output_tokens_details?.reasoning_tokens ?? 0, expectedReasoningTokens(platform.name));
      assert.equal(usage.total_tokens, USAGE.input + USAGE.output);
    });

    cell(platform, 'reasoning (-thinking)', label, async () => {
      const response = await respond({ model: platform.thinking, input: THINK }, stream);
      assert.equal(outputText(response), echo({ user: THINK }));
      assertUpstreamThinks(platform.name, matrix.fakes[platform.name].last.body);
      if (platform.name !== 'openai') assert.equal(reasoningOf(response)?.text, reasoningText(THINK));
    });

    cell(platform, 'reasoning signature round trip', label, async () => {
      // The documented stateless way: ask for encrypted reasoning, send the output items back.
      const params = { model: platform.signing, tools, store: false, reasoning: { effort: 'low', summary: 'auto' }, include: ['reasoning.encrypted_content'] };
      const first = await respond({ ...params, input: WEATHER }, stream);
      // encrypted_content is opaque (a converted answer's carries its issuer for Manifold): what matters is that
      // sending the items back hands the upstream its own signature.
      assert.ok(reasoningOf(first)?.encrypted, `no encrypted_content in ${JSON.stringify(first.output)}`);
      const input = [{ role: 'user', content: WEATHER }, ...first.output,
        { type: 'function_call_output', call_id: calls(first)[0].call_id, output: JSON.stringify(TOOL_RESULT) }];
      assert.equal(outputText(await respond({ ...params, input }, stream)), TOOL_RESULT_ECHO);
      assertToolTurnReachedUpstream(platform.name, matrix.fakes[platform.name].last.body, { signature: upstreamSignature(platform.name, WEATHER) });
    });

    cell(platform, 'root and /{platform} paths', label, async () => {
      assert.equal(outputText(await respond({ model, input: HELLO }, stream, `/${platform.name}`)), echo());
    });

    cell(platform, 'upstream error', label, async () => {
      await assert.rejects(respond({ model, input: FAIL }, stream), (error) => {
        assert.ok(error instanceof OpenAI.BadRequestError, `${error.constructor.name}: ${error.message}`);
        assert.equal(error.status, 400);
        assert.match(error.message, /asked to FAIL/);
        return true;
      });
    });
  }

  cell(platform, 'upstream error mid-stream', MODES.s, async () => {
    // The upstream fails after its first delta: the stream must end in the documented `error` event
    // (which the SDK raises) or in response.failed, not as if the answer were whole.
    const events = [];
    try {
      for await (const event of await client().responses.create({ model, input: BREAK, stream: true })) events.push(event);
    } catch (error) {
      assert.ok(error instanceof OpenAI.APIError, `${error.constructor.name}: ${error.message}`);
      assert.match(error.message, /broke the stream/);
      return;
    }
    assert.equal(events.at(-1)?.type, 'response.failed', `stream ended with ${events.at(-1)?.type}`);
    assert.match(events.at(-1).response.error?.message ?? '', /broke the stream/);
  });

  cell(platform, 'image (url)', MODES.ns, async () => {
    const input = [{ role: 'user', content: [{ type: 'input_text', text: DESCRIBE }, { type: 'input_image', detail: 'auto', image_url: IMAGE_URL }] }];
    assert.equal(outputText(await respond({ model, input }, false)), echo({ user: DESCRIBE, images: [URL_SEEN] }));
  });

  cell(platform, 'file (pdf)', MODES.ns, async () => {
    const input = [{ role: 'user', content: [{ type: 'input_text', text: DESCRIBE },
      { type: 'input_file', filename: 'doc.pdf', file_data: `data:application/pdf;base64,${PDF}` }] }];
    assert.equal(outputText(await respond({ model, input }, false)), echo({ user: DESCRIBE, files: [PDF_SEEN] }));
  });

  cell(platform, 'bad licence', MODES.ns, async () => {
    await assert.rejects(client('', 'not-a-licence').responses.create({ model, input: HELLO }), (error) => {
      assert.ok(error instanceof OpenAI.AuthenticationError, `${error.constructor.name}: ${error.message}`);
      assert.equal(error.status, 401);
      return true;
    });
  });

  cell(platform, 'bad request', MODES.ns, async () => {
    const calls = matrix.fakes[platform.name].requests.length;
    await assert.rejects(client().responses.create({ model, input: 42 }), (error) => {
      assert.ok(error instanceof OpenAI.BadRequestError, `${error.constructor.name}: ${error.message}`);
      assert.equal(error.status, 400);
      assert.match(`${error.param} ${error.message}`, /input/);
      return true;
    });
    assert.equal(matrix.fakes[platform.name].requests.length, calls, 'Manifold must refuse it without calling the upstream');
  });

  cell(platform, 'upstream overloaded', MODES.ns, async () => {
    await assert.rejects(client().responses.create({ model: platform.overloaded, input: HELLO }), (error) => {
      assert.ok(error instanceof OpenAI.InternalServerError, `${error.constructor.name}: ${error.message}`);
      return true;
    });
  });
}
