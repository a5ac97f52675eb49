// Every answer the oracle checked during the current test, from Manifold (lib/oracle-proxy.mjs) and from the
// loopback fakes (lib/fake-server.mjs), and the hook that fails the test when one of them broke its vendor's
// schema. Importing this module registers the hook for every test of the file.
//
// Pass-through attribution: when Manifold answers in the protocol its upstream answered in (the same endpoint
// family in and out, e.g. Chat Completions to the openai platform), a violation that the upstream's own answer to
// that request already had is the upstream's (origin "upstream"), not Manifold's. Everything else Manifold answers
// is Manifold's (origin "manifold"). Upstream answers a fake broke on purpose (`deliberate`) fail nothing.
import { afterEach, beforeEach } from 'node:test';
import { appendFileSync } from 'node:fs';
import { formatViolations, signature, stats } from './oracle.mjs';

const state = { upstream: [], manifold: [] };

/** Records a fake's answer: { vendor, family, method, path, status, violations, started, ended, deliberate }. */
export function recordUpstream(exchange) {
  state.upstream.push(exchange);
  log('upstream', exchange);
}

/** The upstream answers given while Manifold was answering this exchange. */
export function upstreamFor(exchange) {
  return state.upstream.filter((u) => u.started >= exchange.started && u.ended <= exchange.ended);
}

/**
 * Marks each of Manifold's violations with its origin: "upstream" when Manifold relayed (same family) an upstream
 * answer that already had it, else "manifold".
 */
export function attribute(violations, family, upstream) {
  const relayed = upstream.filter((u) => family && u.family === family);
  const inherited = new Set(relayed.flatMap((u) => u.violations.map(signature)));
  return violations.map((v) => ({ ...v, origin: inherited.has(signature(v)) ? 'upstream' : 'manifold' }));
}

/** Records one of Manifold's answers (its violations already attributed). */
export function recordManifold(exchange) {
  state.manifold.push(exchange);
  log('manifold', exchange);
}

/** The answers recorded since the last call (the current test's), and the failures among them. */
export function takeFindings() {
  const { upstream, manifold } = state;
  state.upstream = [];
  state.manifold = [];
  const failures = [];
  for (const m of manifold) {
    const own = m.violations.filter((v) => v.origin === 'manifold');
    if (own.length) failures.push(`Manifold: ${m.method} ${m.path} → ${m.status} (${m.route ?? 'unrouted'}) broke its schema:\n${formatViolations(own)}`);
  }
  for (const u of upstream) {
    if (u.violations.length && !u.deliberate) {
      failures.push(`fake ${u.vendor}: ${u.method} ${u.path} → ${u.status} (${u.family ?? 'error'}) broke its schema:\n${formatViolations(u.violations)}`);
    }
  }
  return { upstream, manifold, failures };
}

/** ORACLE_LOG=<file> appends every checked answer with its violations, one JSON line each (for reports). */
function log(source, exchange) {
  if (!process.env.ORACLE_LOG) return;
  const { violations, method, path, status, route, family, deliberate } = exchange;
  appendFileSync(process.env.ORACLE_LOG, `${JSON.stringify({ source, file: process.argv[1], test: currentTest, method, path, status, route: route ?? family, deliberate, violations })}\n`);
}

// With ORACLE_LOG, what the oracle cost this test file (schema loading, checking) goes in the log too.
process.on('exit', () => {
  if (process.env.ORACLE_LOG) appendFileSync(process.env.ORACLE_LOG, `${JSON.stringify({ source: 'stats', file: process.argv[1], ...stats })}\n`);
});

let currentTest = null;
afterEach(async (t) => {
  currentTest = null;
  const { failures, manifold } = takeFindings();
  const inherited = new Set(manifold.flatMap((m) => m.violations.filter((v) => v.origin === 'upstream')
    .map((v) => `${m.method} ${m.path}: ${signature(v).replaceAll('|', ' ')}`)));
  if (inherited.size) t.diagnostic?.(`relayed from the upstream (not Manifold's): ${[...inherited].join('; ')}`);
  if (failures.length) throw new Error(`the vendor's schema says no:\n${failures.join('\n')}`);
});

beforeEach((t) => {
  currentTest = t.name;
  // Whatever a previous test (or a before hook) left belongs to none of this test's answers.
  takeFindings();
});
