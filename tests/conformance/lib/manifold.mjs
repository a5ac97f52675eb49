// Starts the built Manifold host (Release) as a child process, configured only through the
// documented Manifold__* environment variables, and stops it when the tests are done.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const hostDll = path.join(root, 'runtime/Manifold.Host/bin/Release/net10.0/Manifold.Host.dll');

export const LICENCE = 'mf-conformance-licence-key-0123456789abcdef';

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startManifold(env) {
  if (!existsSync(hostDll)) {
    throw new Error(`${hostDll} is missing: build it first (dotnet build -c Release runtime/Manifold.Host).`);
  }
  const port = await freePort();
  const database = path.join(os.tmpdir(), `manifold-conformance-${process.pid}-${port}.db`);
  let log = '';
  const child = spawn('dotnet', [hostDll, '--urls', `http://127.0.0.1:${port}`], {
    env: {
      ...process.env,
      Manifold__BootstrapKey: LICENCE,
      Manifold__Storage__ConnectionString: `Data Source=${database}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (true) {
    if (child.exitCode !== null) throw new Error(`Manifold exited with ${child.exitCode}:\n${log}`);
    if (log.includes('Unhandled exception.')) {
      // A startup failure can leave the process alive for a while (crash reporting): don't wait it out.
      child.kill('SIGKILL');
      throw new Error(`Manifold failed to start:\n${log}`);
    }
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`Manifold did not answer within 60 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    log: () => log,
    /** Ends the process at once (SIGKILL), as a crash or an OOM kill would: nothing is flushed, nothing is cleaned up. */
    async kill() {
      child.kill('SIGKILL');
      await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', resolve)));
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
      for (const suffix of ['', '-wal', '-shm']) rmSync(database + suffix, { force: true });
    },
  };
}
