// A validating HTTP proxy between the SDKs and Manifold: it relays every request and answer byte for byte
// (streams chunk by chunk as they arrive, nothing held back), keeps a copy of each answer, and when the answer
// is complete checks it against its vendor's schema (lib/oracle.mjs) and records it in the ledger, its
// violations attributed to Manifold or, when Manifold relayed them, to the upstream (lib/oracle-ledger.mjs).
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { attribute, recordManifold, upstreamFor } from './oracle-ledger.mjs';
import { decodeBody, validate } from './oracle.mjs';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer']);

/** Starts a proxy in front of `target` (an origin like http://127.0.0.1:5080); returns { url, exchanges, close }. */
export async function startOracleProxy(target) {
  const targetUrl = new URL(target);
  const exchanges = [];
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const started = performance.now();
    const requestHeaders = { ...req.headers, host: targetUrl.host };
    const upstream = http.request({
      host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url, headers: requestHeaders, agent,
    }, (answer) => {
      const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
      res.writeHead(answer.statusCode, answer.statusMessage, headers);
      res.flushHeaders();
      const chunks = [];
      answer.on('data', (chunk) => {
        chunks.push(chunk);
        res.write(chunk);
      });
      answer.on('end', () => {
        res.end();
        const exchange = { method: req.method, path: req.url, status: answer.statusCode, started, ended: performance.now() };
        let bodyText;
        try {
          bodyText = decodeBody(Buffer.concat(chunks), answer.headers);
          const { route, violations } = validate({ ...exchange, headers: answer.headers, requestHeaders: req.headers, bodyText });
          if (!route) return;
          exchange.route = route.endpoint;
          exchange.family = route.family;
          exchange.upstream = upstreamFor(exchange);
          exchange.violations = attribute(violations, route.family, exchange.upstream);
        } catch (error) {
          exchange.route = 'oracle error';
          exchange.violations = [{ where: 'oracle', instancePath: '', message: `the oracle failed: ${error.stack}`, origin: 'manifold' }];
        }
        exchange.bodyText = bodyText;
        exchanges.push(exchange);
        recordManifold(exchange);
      });
      answer.on('error', (error) => res.destroy(error));
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`oracle proxy: ${error.message}`);
    });
    req.on('aborted', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    /** Every answer checked so far, with its violations (each with its origin). */
    exchanges,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); agent.destroy(); server.close(resolve); }),
  };
}
