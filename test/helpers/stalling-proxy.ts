import net from 'node:net';

/**
 * A TCP proxy on loopback that forwards to `port` until told to stop, or until `after` bytes went from
 * client to server: then it forwards nothing more, in either direction, and keeps every socket open, as a
 * dead NAT or a frozen proxy does. New connections are accepted and then stall the same way.
 */
export interface StallingProxy {
  readonly port: number;
  readonly stalled: boolean;
  stall(): void;
  close(): Promise<void>;
}

export function stallingProxy(port: number, after = Infinity): Promise<StallingProxy> {
  const sockets = new Set<net.Socket>();
  let forwarded = 0;
  let stalled = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (d) => {
      if (stalled) return;
      forwarded += d.length;
      upstream.write(d);
      if (forwarded >= after) proxy.stall();
    });
    upstream.on('data', (d) => { if (!stalled) client.write(d); });
    const end = (): void => { client.destroy(); upstream.destroy(); };
    for (const s of [client, upstream]) { s.on('error', end); s.on('close', end); }
  });
  const proxy: StallingProxy = {
    port: 0,
    get stalled() { return stalled; },
    stall() {
      stalled = true;
      // Stop reading too, so that the sender's buffers fill as they would behind a dead path.
      for (const s of sockets) s.pause();
    },
    close: () => new Promise((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve(Object.assign(proxy, { port: (server.address() as net.AddressInfo).port }));
  }));
}
