// The deterministic "model" behind every loopback fake. Each fake decodes its own API's request into
// the neutral conversation below, asks `answer()` what to say, and encodes that in its own API's
// shape. So every upstream answers the same thing to the same conversation, and a test that reads
// the answer through any client proves what the conversion carried across.
//
// Conversation: { model, system, messages: [Message], tools: [name], toolChoice: 'auto'|'none'|'required'|{name},
//                 parallel: bool, thinking: bool }
// Message:      { role: 'user'|'assistant'|'tool', text, attachments: [Attachment], toolCalls: [{ id, name, args }],
//                 toolResults: [{ id, name, content }] }
// Attachment:   { mediaType, bytes } for inline data, { url, mediaType? } for a link
import { createHash } from 'node:crypto';

/** Fixed token counts, in OpenAI's inclusive terms: 100 in (40 of them cached), 30 out (10 of them reasoning). */
export const USAGE = { input: 100, cached: 40, cacheCreation: 10, output: 30, reasoning: 10 };

/** Arguments of the first and second tool call the fakes make. */
export const TOOL_ARGS = [{ city: 'Paris' }, { city: 'Tokyo' }];

/** The user text that makes an upstream refuse the request with a 400 in its own error shape. */
export const FAIL_TRIGGER = 'FAIL';

/** The user text that makes a streaming upstream fail after its first text delta, with its API's in-stream error. */
export const BREAK_TRIGGER = 'BREAK';

/** The message of that in-stream error. */
export const BREAK_MESSAGE = 'Upstream broke the stream.';

/**
 * The user text that makes the OpenAI fake's Chat Completions answer break its published schema on purpose
 * (`service_tier: "deviant"`, not one of the schema's values): the oracle's pass-through attribution test.
 */
export const DEVIATE_TRIGGER = 'DEVIATE';

/** The out-of-schema value a DEVIATE answer carries. */
export const DEVIANT_SERVICE_TIER = 'deviant';

/** A model name containing this makes an upstream answer "overloaded" (5xx). */
export const OVERLOADED_TRIGGER = 'overloaded';

/** The token count every fake's token-counting endpoint reports. */
export const COUNTED_TOKENS = 42;

/** Splits a data: URL into its media type and decoded size; null for anything else. */
export function parseDataUrl(url) {
  const match = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url ?? '');
  return match ? { mediaType: match[1], bytes: Buffer.from(match[2], 'base64').length } : null;
}

/** An attachment from a URL that may be a data: URL (inline) or a link. */
export function attachmentFromUrl(url, mediaType) {
  return parseDataUrl(url) ?? { url, ...(mediaType ? { mediaType } : {}) };
}

export function inlineAttachment(mediaType, base64) {
  return { mediaType, bytes: Buffer.from(base64 ?? '', 'base64').length };
}

/** Tool results compare equal whatever their JSON formatting: `{"temp": 21}` and `{"temp":21}` are one result. */
export function canonical(content) {
  const text = typeof content === 'string' ? content : JSON.stringify(content);
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/** A reasoning signature the fake recognises later, derived from what it answers (like a real opaque signature). */
export function signatureFor(upstream, seed) {
  const digest = createHash('sha256').update(`${upstream}:${seed}`).digest('base64url').slice(0, 24);
  return Buffer.from(`${upstream}-signature:${digest}`).toString('base64');
}

export function isOurSignature(upstream, signature) {
  return typeof signature === 'string' && Buffer.from(signature, 'base64').toString().startsWith(`${upstream}-signature:`);
}

function describe(attachment) {
  return attachment.url !== undefined ? `url ${attachment.url}` : `${attachment.mediaType} ${attachment.bytes}B`;
}

/** The reply text for a plain conversation: what the system prompt, last user text, images and history were. */
export function echoText(conversation) {
  const { system, messages } = conversation;
  const lastUser = messages.findLast((m) => m.role === 'user');
  const attachments = lastUser?.attachments ?? [];
  const images = attachments.filter((a) => (a.mediaType ?? 'image/').startsWith('image/'));
  const files = attachments.filter((a) => a.mediaType && !a.mediaType.startsWith('image/'));
  let text = `system=${system || '-'}; user=${lastUser?.text ?? ''}; images=${images.length}`;
  if (images.length) text += ` (${images.map(describe).join(', ')})`;
  if (files.length) text += `; files=${files.length} (${files.map(describe).join(', ')})`;
  return `${text}; turns=${messages.length - 1}`;
}

/** The trailing tool results of a conversation (the tool turn just sent back), with names resolved by id. */
export function trailingToolResults(conversation) {
  const results = [];
  for (let i = conversation.messages.length - 1; i >= 0; i--) {
    const message = conversation.messages[i];
    if (!message.toolResults?.length || message.text) break;
    results.unshift(...message.toolResults);
  }
  const calls = conversation.messages.flatMap((m) => m.toolCalls ?? []);
  return results.map((r) => ({ ...r, name: r.name ?? calls.find((c) => c.id === r.id)?.name ?? r.id }));
}

/**
 * What the model says:
 * - after tool results: text echoing them (`tool_result get_weather={"temp":21}`);
 * - with tools offered (and not refused by tool choice): a call of the first (or the named) tool with
 *   TOOL_ARGS[0], and a second with TOOL_ARGS[1] when the user asks for "in parallel";
 * - otherwise: echoText.
 * With thinking asked for, a reasoning text comes first. `ids(i)` names tool calls in the upstream's own style.
 */
export function answer(conversation, upstream, ids) {
  const lastUser = conversation.messages.findLast((m) => m.role === 'user');
  const results = trailingToolResults(conversation);
  const reasoning = conversation.thinking
    ? { text: `Thinking about: ${lastUser?.text ?? ''}`, signature: signatureFor(upstream, `${conversation.messages.length}:${lastUser?.text ?? ''}`) }
    : null;
  if (results.length) {
    return { reasoning, text: `tool_result ${results.map((r) => `${r.name}=${canonical(r.content)}`).join(' ')}`, toolCalls: [], stop: 'stop' };
  }
  const choice = conversation.toolChoice ?? 'auto';
  if (conversation.tools.length && choice !== 'none') {
    const name = typeof choice === 'object' ? choice.name : conversation.tools[0];
    const parallel = conversation.parallel !== false && /in parallel/i.test(lastUser?.text ?? '');
    const toolCalls = (parallel ? TOOL_ARGS : TOOL_ARGS.slice(0, 1)).map((args, i) => ({ id: ids(i), name, args }));
    return { reasoning, text: null, toolCalls, stop: 'tool_calls' };
  }
  return { reasoning, text: echoText(conversation), toolCalls: [], stop: 'stop' };
}

/** The user text of the conversation's last user message, for the error trigger. */
export function wantsFailure(conversation) {
  return (conversation.messages.findLast((m) => m.role === 'user')?.text ?? '').includes(FAIL_TRIGGER);
}

/** Whether the answer should deviate from the schema on purpose (user text containing DEVIATE). */
export function wantsDeviation(conversation) {
  return (conversation.messages.findLast((m) => m.role === 'user')?.text ?? '').includes(DEVIATE_TRIGGER);
}

/** Whether a streamed answer should break after its first delta (user text containing BREAK). */
export function wantsBreak(conversation) {
  return (conversation.messages.findLast((m) => m.role === 'user')?.text ?? '').includes(BREAK_TRIGGER);
}

/** Splits text into a few stream deltas (whole words), so streams really are incremental. */
export function pieces(text, count = 3) {
  const words = text.split(/(?=\s)/);
  const size = Math.max(1, Math.ceil(words.length / count));
  const out = [];
  for (let i = 0; i < words.length; i += size) out.push(words.slice(i, i + size).join(''));
  return out.length ? out : [''];
}

/** Splits a JSON argument string in two, as upstreams stream partial JSON. */
export function halves(json) {
  const middle = Math.max(1, Math.floor(json.length / 2));
  return [json.slice(0, middle), json.slice(middle)];
}
