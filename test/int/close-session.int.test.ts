import assert from 'node:assert/strict';
import net from 'node:net';
import { it } from 'node:test';
import { closePg, connectPg, pgTarget } from '../../src/source/postgres/connect.js';
import { PG_BASE } from '../helpers/servers.js';

/**
 * A loopback proxy to PostgreSQL that passes the client's bytes and its end of stream on, but never closes
 * its own side towards the client: as a server whose process is slow to exit. It keeps what the client sent last.
 */
async function slowToCloseProxy(pgPort: number) {
  let last = Buffer.alloc(0);
  let ended = (): void => undefined;
  const clientEnded = new Promise<void>((r) => { ended = r; });
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const upstream = net.connect(pgPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (d: Buffer) => { last = Buffer.concat([last, d]).subarray(-64); upstream.write(d); });
    client.on('end', () => { ended(); upstream.end(); });
    upstream.on('data', (d) => { if (!client.destroyed) client.write(d); });
    for (const s of [client, upstream]) s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    last: () => last, clientEnded,
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

it('closePg says goodbye (Terminate, then end of stream) and does not wait for the server to close its side', { timeout: 10_000 }, async () => {
  const url = new URL(PG_BASE);
  const proxy = await slowToCloseProxy(Number(url.port || 5432));
  try {
    url.port = String(proxy.port);
    url.pathname = '/postgres';
    const client = await connectPg(pgTarget(url.toString()), 'pgmy close test');
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    // node-postgres's own end() would wait here for ever: the proxy never closes its side.
    await closePg(client);
    // The client's end of stream reaches the proxy (in this process) a moment later.
    await proxy.clientEnded;
    assert.deepEqual([...proxy.last().subarray(-5)], [0x58, 0, 0, 0, 4], 'the last message sent was Terminate');
    await assert.rejects(client.query('SELECT 1'), /not queryable|ended|closed/i);
  } finally {
    await proxy.close();
  }
});
