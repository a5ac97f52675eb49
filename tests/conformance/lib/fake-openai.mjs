// A loopback OpenAI upstream answering with the documented payloads: chat.completion,
// chat.completion.chunk SSE ending in [DONE], and function calls when the request has tools.
import http from 'node:http';

export const COMPLETION_TEXT = 'Hello! How can I assist you today?';

export async function startFakeOpenAI() {
  const requests = [];
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    requests.push({ method: req.method, url: req.url, authorization: req.headers.authorization, body });
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `Unknown path ${req.url}`, type: 'invalid_request_error', param: null, code: null } }));
      return;
    }
    const request = JSON.parse(body);
    const withTools = Array.isArray(request.tools) && request.tools.length > 0;
    if (!request.stream) {
      const message = withTools
        ? { role: 'assistant', content: null, refusal: null, annotations: [],
            tool_calls: [{ id: 'call_abc123', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }
        : { role: 'assistant', content: COMPLETION_TEXT, refusal: null, annotations: [] };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT', object: 'chat.completion', created: 1741569952, model: request.model,
        choices: [{ index: 0, message, logprobs: null, finish_reason: withTools ? 'tool_calls' : 'stop' }],
        usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29,
          prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
        service_tier: 'default', system_fingerprint: 'fp_44709d6fcb',
      }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    const chunk = (delta, finish) => `data: ${JSON.stringify({
      id: 'chatcmpl-123', object: 'chat.completion.chunk', created: 1694268190, model: request.model, system_fingerprint: 'fp_44709d6fcb',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
    if (withTools) {
      res.write(chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_abc123', type: 'function', function: { name: 'get_weather', arguments: '' } }] }, null));
      res.write(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, null));
      res.write(chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }, null));
      res.write(chunk({}, 'tool_calls'));
    } else {
      res.write(chunk({ role: 'assistant', content: '', refusal: null }, null));
      for (const word of ['Hello!', ' How can I', ' assist you today?']) res.write(chunk({ content: word }, null));
      res.write(chunk({}, 'stop'));
      if (request.stream_options?.include_usage) {
        res.write(`data: ${JSON.stringify({ id: 'chatcmpl-123', object: 'chat.completion.chunk', created: 1694268190, model: request.model,
          choices: [], usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 } })}\n\n`);
      }
    }
    res.end('data: [DONE]\n\n');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${server.address().port}/v1`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
