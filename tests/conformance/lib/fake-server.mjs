// The HTTP plumbing the loopback fakes share: a server on 127.0.0.1 that parses each JSON request,
// records it (so tests can assert what reached the upstream), and hands it to the fake's handler.
import http from 'node:http';

export async function startFakeServer(handle) {
  const requests = [];
  const server = http.createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url, 'http://fake');
    let body = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = undefined; // not JSON: handlers answer 400 as their API does
    }
    const request = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, raw, body };
    requests.push(request);
    try {
      await handle(request, new Reply(res));
    } catch (error) {
      // A bug in a fake must show up as a loud 500, not as a hang.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake upstream crashed: ${error.stack}`);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    requests,
    /** The last request that reached this upstream. */
    get last() { return requests.at(-1); },
    /** The last request to a path containing `fragment`. */
    lastTo: (fragment) => requests.findLast((r) => r.path.includes(fragment)),
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

class Reply {
  constructor(res) { this.res = res; }

  json(status, value, headers = {}) {
    const body = JSON.stringify(value);
    this.res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
    this.res.end(body);
  }

  /** Starts an SSE answer; `send(data, event)` writes one event, `end(tail)` finishes. */
  sse(separator = '\n\n', headers = {}) {
    this.res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
    return {
      send: (data, event) => {
        const text = typeof data === 'string' ? data : JSON.stringify(data);
        this.res.write(`${event ? `event: ${event}\n` : ''}data: ${text}${separator}`);
      },
      end: (tail = '') => this.res.end(tail),
    };
  }
}
