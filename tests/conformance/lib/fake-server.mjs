// The HTTP plumbing every loopback fake shares: a server on 127.0.0.1 that records every request (so tests can
// assert what reached the upstream) and hands it to the fake's handler. Every answer a fake gives is checked
// against its vendor's published schema (lib/oracle.mjs) and recorded in the oracle's ledger, so a lenient fake
// cannot hide a conversion defect: a test fails when a fake's answer breaks the schema, unless the fake broke it on
// purpose (`reply.deliberate = true`, the DEVIATE scenario).
//
// - the request body is read as bytes, whatever its framing (Content-Length or chunked, as a file streamed from disk
//   arrives), up to `maxBody` (64 MiB; larger is a 413);
// - `application/json` bodies are parsed (`request.body`; undefined when not JSON, as fake-server.mjs does);
//   `multipart/form-data` bodies are parsed into `request.form` = { fields: Map<name, string[]>, files: Map<name,
//   File[]>, parts }, a File being { name, filename, contentType, size, sha256, bytes }; a malformed multipart body
//   leaves `request.formError` set (the fakes answer 400 as their API does);
// - answers: `reply.json`, `reply.sse` (as fake-server.mjs), `reply.binary(status, bytes, contentType)` (the oracle
//   checks its content type) and `reply.redirect(status, location)`.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { recordUpstream } from './oracle-ledger.mjs';
import { validate } from './oracle.mjs';
import { parseMultipart } from './multipart.mjs';

const MAX_BODY = 64 * 1024 * 1024;

/** `vendor` ('openai' | 'anthropic' | 'gemini') names the schemas the fake's answers must follow. */
export async function startFakeServer(handle, { vendor, maxBody = MAX_BODY } = {}) {
  const requests = [];
  const exchanges = [];
  const server = http.createServer(async (req, res) => {
    const started = performance.now();
    const url = new URL(req.url, 'http://fake');
    const reply = new Reply(res, (status, headers, bodyText) => {
      if (!vendor) return;
      const exchange = { vendor, method: req.method, path: req.url, status, started, ended: performance.now(), deliberate: reply.deliberate === true };
      const { route, violations } = validate({ method: req.method, path: req.url, status, headers, requestHeaders: req.headers, bodyText, vendor });
      Object.assign(exchange, { family: route?.endpoint === 'unknown' ? null : route?.family ?? null, route: route?.endpoint, violations, bodyText });
      exchanges.push(exchange);
      recordUpstream(exchange);
    });
    try {
      const chunks = [];
      let size = 0;
      let tooLarge = false;
      for await (const chunk of req) {
        size += chunk.length;
        if (size > maxBody) tooLarge = true;
        else chunks.push(chunk);
      }
      const bytes = Buffer.concat(chunks);
      const contentType = String(req.headers['content-type'] ?? '');
      const request = {
        method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, contentType,
        bytes, size, chunked: /chunked/i.test(String(req.headers['transfer-encoding'] ?? '')), tooLarge, body: null, form: null, formError: null,
      };
      if (/^multipart\/form-data/i.test(contentType)) {
        try {
          request.form = parseMultipart(bytes, contentType);
        } catch (error) {
          request.formError = error.message;
        }
      } else {
        request.raw = bytes.toString('utf8');
        try {
          request.body = request.raw ? JSON.parse(request.raw) : null;
        } catch {
          request.body = undefined; // not JSON: handlers answer 400 as their API does
        }
      }
      requests.push(request);
      await handle(request, reply);
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
    exchanges,
    /** The last request that reached this upstream. */
    get last() { return requests.at(-1); },
    /** The last request to a path containing `fragment`. */
    lastTo: (fragment) => requests.findLast((r) => r.path.includes(fragment)),
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

class Reply {
  constructor(res, done) {
    this.res = res;
    this.done = done;
    this.deliberate = false;
  }

  json(status, value, headers = {}) {
    const body = JSON.stringify(value);
    const all = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers };
    this.res.writeHead(status, all);
    this.res.end(body);
    this.done(status, all, body);
  }

  /** Bytes as they are (a video, an image); the oracle checks the content type, not the bytes. */
  binary(status, bytes, contentType, headers = {}) {
    const all = { 'content-type': contentType, 'content-length': bytes.length, ...headers };
    this.res.writeHead(status, all);
    this.res.end(bytes);
    this.done(status, all, '');
  }

  redirect(status, location, headers = {}) {
    const all = { location, 'content-length': 0, ...headers };
    this.res.writeHead(status, all);
    this.res.end();
    this.done(status, all, '');
  }

  /** Starts an SSE answer; `send(data, event)` writes one event, `end(tail)` finishes. */
  sse(separator = '\n\n', headers = {}) {
    const all = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers };
    this.res.writeHead(200, all);
    let text = '';
    const write = (chunk) => {
      text += chunk;
      this.res.write(chunk);
    };
    return {
      send: (data, event) => {
        const payload = typeof data === 'string' ? data : JSON.stringify(data);
        write(`${event ? `event: ${event}\n` : ''}data: ${payload}${separator}`);
      },
      end: (tail = '') => {
        text += tail;
        this.res.end(tail);
        this.done(200, all, text);
      },
    };
  }
}
