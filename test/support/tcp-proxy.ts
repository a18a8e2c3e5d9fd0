import { spawnSync } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of the database: stopping it is an outage as
 * the service sees one (refused connections, cut sockets), without touching
 * the engine that other test files share.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly sent: Buffer[] = [];
  /** Chunks sent to the database are kept for `sentCount` while this is on. */
  recording = false;

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
    /** Added to every chunk sent to the database: a slow network or a slow engine. */
    private readonly delayMs = 0,
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.on('data', (chunk: Buffer) => {
        if (this.recording) this.sent.push(chunk);
      });
      if (this.delayMs > 0) {
        client.on('data', (chunk) => {
          setTimeout(
            () => upstream.destroyed || upstream.write(chunk),
            this.delayMs,
          );
        });
      } else {
        client.pipe(upstream);
      }
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** How many recorded chunks sent to the database contain `marker` (e.g. a command name). */
  sentCount(marker: string): number {
    return this.sent.filter((chunk) => chunk.includes(marker)).length;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    this.server = undefined;
  }
}

/** The proxy port and target for a test file, chosen before the app reads its configuration. */
export function proxyFor(databaseUri: string): {
  port: number;
  uri: string;
  target: { host: string; port: number };
} {
  const url = new URL(databaseUri);
  const target = { host: url.hostname, port: Number(url.port || 27017) };
  const port = freePort();
  url.host = `127.0.0.1:${port}`;
  return { port, uri: url.toString(), target };
}

/**
 * A loopback port that is free now, found synchronously (configuration is read
 * at import time), below the kernel's ephemeral range so that no outgoing
 * connection takes it meanwhile.
 */
export function freePort(): number {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    const probe = spawnSync(process.execPath, [
      '-e',
      `require('node:net').createServer().once('error', () => process.exit(1)).listen(${port}, '127.0.0.1', () => process.exit(0))`,
    ]);
    if (probe.status === 0) return port;
  }
  throw new Error('no free loopback port found for the database proxy');
}
