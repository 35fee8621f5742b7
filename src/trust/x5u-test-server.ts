// A local HTTPS server that serves x5u certificate chains for tests, the benchmark and operators
// trying their setup. Listens on 127.0.0.1 only, with a self-signed certificate from test-pki.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTlsCertificate, type PkiMember } from './test-pki.js';

export type X5uHandler = (request: IncomingMessage, response: ServerResponse) => void;

export class X5uTestServer {
  private readonly routes = new Map<string, X5uHandler>();
  private readonly hitCounts = new Map<string, number>();

  private constructor(private readonly server: Server, readonly tls: PkiMember, readonly port: number) {}

  static async start(): Promise<X5uTestServer> {
    const tls = await createTlsCertificate();
    const server = createServer({ cert: tls.certificatePem, key: tls.privateKeyPem });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const instance = new X5uTestServer(server, tls, (server.address() as AddressInfo).port);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => instance.handle(request, response));
    return instance;
  }

  url(path: string): string {
    return `https://127.0.0.1:${this.port}${path}`;
  }

  /** Serves a PEM chain; Cache-Control is sent only when given. */
  serve(path: string, body: string, options: { cacheControl?: string } = {}): string {
    this.route(path, (_request, response) => {
      const headers: Record<string, string> = { 'content-type': 'application/pem-certificate-chain' };
      if (options.cacheControl !== undefined) headers['cache-control'] = options.cacheControl;
      response.writeHead(200, headers).end(body);
    });
    return this.url(path);
  }

  route(path: string, handler: X5uHandler): string {
    this.routes.set(path, handler);
    return this.url(path);
  }

  hits(path: string): number {
    return this.hitCounts.get(path) ?? 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? '/', 'https://127.0.0.1').pathname;
    this.hitCounts.set(path, this.hits(path) + 1);
    const handler = this.routes.get(path);
    if (handler === undefined) response.writeHead(404).end();
    else handler(request, response);
  }
}
