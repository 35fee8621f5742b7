// A TCP proxy in front of a real redis-server that can lose one reply, as a primary dying between a
// commit and its reply does: when armed, the next client command whose bytes contain `marker` is
// passed to Redis (which runs it), and the connection is cut when Redis answers, before the reply
// reaches the client. ioredis then reconnects and sends the unanswered command again.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export class ReplyDroppingProxy {
  private marker: string | null = null;
  dropped = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  /** Listens on 127.0.0.1, a free port, forwarding to the redis-server's unix socket. */
  static async start(redisSocketPath: string): Promise<ReplyDroppingProxy> {
    const server = createServer();
    const proxy = new ReplyDroppingProxy(server);
    server.on('connection', (client) => proxy.pair(client, createConnection(redisSocketPath)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy not listening');
    return `redis://127.0.0.1:${address.port}`;
  }

  /** Loses the reply to the next command containing `marker`. */
  dropReplyTo(marker: string): void {
    this.marker = marker;
  }

  private pair(client: Socket, redis: Socket): void {
    for (const socket of [client, redis]) {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      socket.on('error', () => { client.destroy(); redis.destroy(); });
    }
    let cutAtReply = false;
    client.on('data', (chunk: Buffer) => {
      if (this.marker !== null && chunk.includes(this.marker)) {
        this.marker = null;
        cutAtReply = true;
      }
      redis.write(chunk);
    });
    redis.on('data', (chunk: Buffer) => {
      if (cutAtReply) {
        this.dropped += 1;
        client.destroy();
        redis.destroy();
        return;
      }
      client.write(chunk);
    });
    client.once('close', () => redis.destroy());
    redis.once('close', () => client.destroy());
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
