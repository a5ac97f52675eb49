// Preloaded into Portkey by bench.sh (`node -r ./loopback.cjs ...`).
// Portkey's start-server only takes --port and listens on every interface; this makes a listen()
// without an explicit host bind to 127.0.0.1 instead, so the benchmark never exposes a port beyond
// loopback. It runs once at start-up and does not touch the request path.
'use strict';
const net = require('node:net');

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (args[1] === undefined || args[1] === null) {
      args[1] = '127.0.0.1';
    } else if (typeof args[1] === 'function') {
      args.splice(1, 0, '127.0.0.1');
    }
  } else if (first && typeof first === 'object' && first.port !== undefined && !first.host && !first.path) {
    args[0] = { ...first, host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
