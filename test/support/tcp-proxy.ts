import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePortSync } from '../../scripts/lib/process';
import { commandName, MessageFramer, reply } from './wire';

/** Commands of the connection handshake, which a failing backend still answers. */
const HANDSHAKE = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'saslStart',
  'saslContinue',
  'endSessions',
]);

/**
 * A loopback TCP proxy in front of the database: stopping it is an outage as
 * the service sees one (refused connections, cut sockets), without touching
 * the engine that other test files share. It can also fault the database
 * while connections stay up:
 * - stall(): a black hole, as a frozen server or a silent partition looks to a
 *   client. Nothing is forwarded and nothing is closed; bytes are held, as a
 *   frozen server's kernel holds them, and delivered by restore(), so requests
 *   sent during the stall are executed after it, answered or not.
 * - fail(): a server that crashes mid-request. Requests still reach the
 *   database (so writes may be applied), but every connection is reset as its
 *   reply arrives, and so is every new connection at its first reply.
 * - answerWith(error): an engine whose storage backend is failing. The
 *   connection stays up and the handshake works, but every other command is
 *   answered with `error` by the proxy itself, without reaching the database.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly sent: Buffer[] = [];
  private fault: 'none' | 'stalled' | 'failing' | 'answering' = 'none';
  private answer: Record<string, unknown> = {};
  /** What a stall holds back, in the order it arrived. */
  private held: (() => void)[] = [];
  /** Messages sent to the database are kept for `sentCount` while this is on. */
  recording = false;

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
    /** Added to every chunk sent to the database: a slow network or a slow engine. */
    private readonly delayMs = 0,
    /**
     * What flows through: MongoDB wire messages (framed, so that a fault can
     * answer them), or any other protocol, forwarded as it arrives.
     */
    private readonly protocol: 'mongodb' | 'bytes' = 'mongodb',
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
      const framer = new MessageFramer();
      client.on('data', (chunk: Buffer) => {
        const messages =
          this.protocol === 'mongodb' ? framer.push(chunk) : [chunk];
        for (const message of messages) {
          if (this.fault === 'answering' && this.protocol === 'mongodb') {
            const command = commandName(message);
            if (command && !HANDSHAKE.has(command)) {
              write(client, reply(message, this.answer));
              continue;
            }
          }
          if (this.recording) this.sent.push(message);
          this.deliver(() =>
            this.delayMs === 0
              ? write(upstream, message)
              : setTimeout(() => write(upstream, message), this.delayMs),
          );
        }
      });
      upstream.on('data', (chunk: Buffer) => {
        if (this.fault === 'failing') {
          client.resetAndDestroy();
          upstream.destroy();
          return;
        }
        this.deliver(() => write(client, chunk));
      });
      // A side that closes lets the other finish what it was sent first.
      client.on('end', () => this.deliver(() => upstream.end()));
      upstream.on('end', () => this.deliver(() => client.end()));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** Stops forwarding in both directions without closing anything. */
  stall(): void {
    this.fault = 'stalled';
  }

  /** Resets every connection as the database's reply arrives. */
  fail(): void {
    this.fault = 'failing';
  }

  /** Answers every command but the handshake with `error` (e.g. `{ ok: 0, code, errmsg }`). */
  answerWith(error: Record<string, unknown>): void {
    this.answer = error;
    this.fault = 'answering';
  }

  /** Ends the fault; a stall's held bytes are delivered now, in order. */
  restore(): void {
    this.fault = 'none';
    const held = this.held;
    this.held = [];
    for (const send of held) send();
  }

  private deliver(send: () => void): void {
    if (this.fault === 'stalled') this.held.push(send);
    else send();
  }

  /** How many recorded messages sent to the database contain `marker` (e.g. a command name). */
  sentCount(marker: string): number {
    return this.sent.filter((chunk) => chunk.includes(marker)).length;
  }

  async stop(): Promise<void> {
    this.fault = 'none';
    this.held = [];
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    this.server = undefined;
  }
}

function write(socket: Socket, chunk: Buffer): void {
  if (!socket.destroyed) socket.write(chunk);
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

/** A loopback port that is free now, found synchronously. */
export const freePort = freePortSync;
