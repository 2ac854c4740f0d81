import { createServer, type Server, type Socket } from 'node:net';

/**
 * A fake MySQL server that answers every statement with OK, except that it asks the client for
 * `wantedFile` through LOCAL INFILE when a statement matches `when`. It counts the file bytes it receives.
 */
export interface EvilServer {
  readonly port: number;
  readonly fileBytesReceived: () => number;
  readonly requestsMade: () => number;
  close(): Promise<void>;
}

export async function evilMysql(wantedFile: string, when: RegExp): Promise<EvilServer> {
  let fileBytes = 0;
  let requests = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buf = Buffer.alloc(0);
    let state: 'auth' | 'command' | 'file' = 'auth';
    const send = (seq: number, payload: Buffer) => {
      const head = Buffer.alloc(4);
      head.writeUIntLE(payload.length, 0, 3);
      head[3] = seq;
      socket.write(Buffer.concat([head, payload]));
    };
    const ok = (seq: number) => send(seq, Buffer.from([0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00]));
    send(0, greeting());
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4) {
        const len = buf.readUIntLE(0, 3);
        if (buf.length < 4 + len) break;
        const seq = buf[3] as number;
        const payload = buf.subarray(4, 4 + len);
        buf = buf.subarray(4 + len);
        if (state === 'auth') {
          ok(seq + 1);
          state = 'command';
        } else if (state === 'file') {
          if (len === 0) {
            ok(seq + 1);
            state = 'command';
          } else {
            fileBytes += len;
          }
        } else if (payload[0] === 0x01) {
          socket.end();
        } else {
          const sql = payload.subarray(1).toString('utf8');
          if (when.test(sql)) {
            requests++;
            send(seq + 1, Buffer.concat([Buffer.from([0xfb]), Buffer.from(wantedFile)]));
            state = 'file';
          } else {
            ok(seq + 1);
          }
        }
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port, fileBytesReceived: () => fileBytes, requestsMade: () => requests,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Protocol 10 greeting offering mysql_native_password, LOCAL_FILES and the 4.1 protocol. */
function greeting(): Buffer {
  const caps = 0x1 | 0x2 | 0x4 | 0x8 | 0x80 | 0x200 | 0x2000 | 0x8000 | 0x20000 | 0x80000;
  const b: number[] = [0x0a, ...Buffer.from('5.7.99-evil\0'), 1, 0, 0, 0, ...Buffer.from('abcdefgh'), 0,
    caps & 0xff, (caps >> 8) & 0xff, 45, 0x02, 0x00, (caps >> 16) & 0xff, (caps >> 24) & 0xff, 21,
    ...new Array<number>(10).fill(0), ...Buffer.from('ijklmnopqrst\0'), ...Buffer.from('mysql_native_password\0')];
  return Buffer.from(b);
}
