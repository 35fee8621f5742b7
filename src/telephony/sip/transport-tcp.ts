// SIP over TCP: messages framed by Content-Length (RFC 3261 §18.3). Responses go back on the
// connection the request came in on; requests we originate reuse an open connection to the peer or
// open one. Connections and their buffers are bounded; a stream that cannot be framed is closed.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../../config/logger.js';
import { frameLength } from './parser.js';
import { tcpBufferBytesMax, tcpConnectionsMax, tcpIdleTimeoutMs } from './limits.js';
import { peerKey, type FrameHandler, type Peer, type SipTransport, type UnframeableHandler } from './transport.js';
import { listening } from '../net-wait.js';

export class TcpTransport implements SipTransport {
  readonly name = 'tcp';
  private readonly connections = new Map<string, Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly handlers: { onFrame: FrameHandler; onUnframeable: UnframeableHandler },
    private readonly logger: Logger,
  ) {}

  static async listen(options: {
    host: string; port: number; logger: Logger; onFrame: FrameHandler; onUnframeable: UnframeableHandler;
  }): Promise<TcpTransport> {
    const server = createServer();
    const ready = listening(server);
    server.listen(options.port, options.host);
    await ready;
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : options.port;
    const transport = new TcpTransport(server, port, options, options.logger);
    server.on('error', (error) => options.logger.warn({ err: error }, 'sip tcp server error'));
    server.on('connection', (socket) => transport.adopt(socket));
    return transport;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  private closed = false;

  send(peer: Peer, data: Buffer): void {
    if (this.closed) return;
    const existing = this.connections.get(peerKey(peer));
    if (existing !== undefined && !existing.destroyed) {
      existing.write(data);
      return;
    }
    if (this.connections.size >= tcpConnectionsMax) {
      this.logger.warn({ peer }, 'sip tcp connection limit reached; message dropped');
      return;
    }
    const socket = connect({ host: peer.address, port: peer.port });
    this.adopt(socket, peer);
    socket.write(data);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const socket of this.connections.values()) socket.destroy();
    this.connections.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private adopt(socket: Socket, known?: Peer): void {
    if (this.connections.size >= tcpConnectionsMax) {
      socket.destroy();
      return;
    }
    const peer: Peer = known ?? { transport: 'tcp', address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    const key = peerKey(peer);
    this.connections.set(key, socket);
    socket.setTimeout(tcpIdleTimeoutMs, () => socket.destroy());
    socket.on('error', (error) => this.logger.debug({ err: error, peer }, 'sip tcp connection error'));
    socket.on('close', () => {
      if (this.connections.get(key) === socket) this.connections.delete(key);
    });
    let buffer: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      buffer = this.drain(buffer, socket, peer);
    });
  }

  /** Hands every complete frame to the endpoint; returns the bytes still waiting for the rest of a message. */
  private drain(input: Buffer, socket: Socket, peer: Peer): Buffer {
    let buffer = input;
    // Bounded: every iteration consumes at least one byte or returns.
    for (;;) {
      let skip = 0;
      while (skip + 1 < buffer.length && buffer[skip] === 0x0d && buffer[skip + 1] === 0x0a) skip += 2;
      if (skip > 0) buffer = buffer.subarray(skip);
      if (buffer.length === 0) return buffer;
      const length = frameLength(buffer);
      if (typeof length !== 'number') {
        this.handlers.onUnframeable(buffer, length.reason, peer);
        socket.end();
        return Buffer.alloc(0);
      }
      if (length === 0) {
        if (buffer.length > tcpBufferBytesMax) {
          socket.destroy();
          return Buffer.alloc(0);
        }
        return buffer;
      }
      this.handlers.onFrame(Buffer.from(buffer.subarray(0, length)), peer);
      buffer = buffer.subarray(length);
    }
  }
}
