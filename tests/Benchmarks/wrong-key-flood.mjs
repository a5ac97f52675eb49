// The flood of tests/Benchmarks/failed-lookups.sh: LOOPS keep-alive loops, each sending the chat request with a new
// random wrong key, from the source address SOURCE (127.0.0.2, so the gateway sees another client than wrk's 127.0.0.1),
// until SECONDS have passed. Prints one line: FLOOD_RESULT requests=N rps=F status_401=N status_429=N other=N errors=N
//
//   node wrong-key-flood.mjs URL BODY_FILE SECONDS [LOOPS=16] [SOURCE=127.0.0.2]
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [url, bodyFile, seconds, loops = '16', source = '127.0.0.2'] = process.argv.slice(2);
if (!url || !bodyFile || !seconds) {
  console.error('usage: node wrong-key-flood.mjs URL BODY_FILE SECONDS [LOOPS] [SOURCE]');
  process.exit(2);
}
const body = readFileSync(bodyFile);
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(loops), localAddress: source });
const until = Date.now() + Number(seconds) * 1000;
const counts = { requests: 0, status_401: 0, status_429: 0, other: 0, errors: 0 };

function once() {
  return new Promise((resolve) => {
    const request = http.request({
      agent, hostname: target.hostname, port: target.port, path: target.pathname, method: 'POST',
      headers: {
        'content-type': 'application/json', 'content-length': body.length,
        // A new key each time: no cache can answer it, only a lookup or the limit.
        authorization: 'Bearer mf-' + randomBytes(32).toString('base64url'),
      },
    }, (response) => {
      response.resume();
      response.on('end', () => {
        counts.requests++;
        if (response.statusCode === 401) counts.status_401++;
        else if (response.statusCode === 429) counts.status_429++;
        else counts.other++;
        resolve();
      });
    });
    request.on('error', () => { counts.errors++; setTimeout(resolve, 10); });
    request.end(body);
  });
}

async function loop() {
  while (Date.now() < until) await once();
}

const started = Date.now();
await Promise.all(Array.from({ length: Number(loops) }, loop));
const elapsed = (Date.now() - started) / 1000;
agent.destroy();
console.log(`FLOOD_RESULT requests=${counts.requests} rps=${(counts.requests / elapsed).toFixed(1)} status_401=${counts.status_401} status_429=${counts.status_429} other=${counts.other} errors=${counts.errors}`);
