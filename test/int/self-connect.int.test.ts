import assert from 'node:assert/strict';
import net from 'node:net';
import { it } from 'node:test';
import pg from 'pg';
import { refuseSelfConnect } from '../../src/source/postgres/connect.js';

/** A free TCP port (nothing listens on it once this returns). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** A socket that connects from the port it connects to: what Linux may do to a client retrying a stopped server's port. */
class SelfConnecting extends net.Socket {
  override connect(...args: unknown[]): this {
    const [port, host] = args as [number, string];
    return super.connect({ port, host, localPort: port, localAddress: host });
  }
}

it('a PostgreSQL connection whose socket connects to itself fails at once as refused, instead of waiting for a server that is itself', async () => {
  const port = await freePort();
  const target = { host: '127.0.0.1', port };
  const hangs = new pg.Client({ host: '127.0.0.1', port, user: 'x', stream: () => new SelfConnecting(), connectionTimeoutMillis: 1500 });
  const began = performance.now();
  // Without the check the start-up waits for a reply that never comes, until the connect timeout.
  await assert.rejects(hangs.connect(), /timeout/i);
  assert.ok(performance.now() - began >= 1400, 'it waited for the timeout');

  const refused = new pg.Client({ host: '127.0.0.1', port, user: 'x', stream: () => new SelfConnecting(), connectionTimeoutMillis: 10000 });
  refuseSelfConnect(refused, target);
  const t0 = performance.now();
  await assert.rejects(refused.connect(), (err: Error & { code?: string }) => err.code === 'ECONNREFUSED' && /connected to itself/.test(err.message));
  assert.ok(performance.now() - t0 < 1000, `refused at once (${Math.round(performance.now() - t0)} ms)`);
});
