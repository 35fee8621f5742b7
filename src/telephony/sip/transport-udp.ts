// SIP over UDP: one socket, one datagram per message (RFC 3261 §18.1). Oversized datagrams are dropped
// before parsing; the parser checks everything else.
import { createSocket, type Socket } from 'node:dgram';
import type { Logger } from '../../config/logger.js';
import { messageBytesMax } from './limits.js';
import type { FrameHandler, Peer, SipTransport } from './transport.js';
import { listening } from '../net-wait.js';

export class UdpTransport implements SipTransport {
  readonly name = 'udp';
  private constructor(private readonly socket: Socket, readonly port: number, private readonly logger: Logger) {}

  static async listen(
    options: { host: string; port: number; logger: Logger; onFrame: FrameHandler },
  ): Promise<UdpTransport> {
    const socket = createSocket({ type: options.host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    const ready = listening(socket);
    socket.bind(options.port, options.host);
    await ready;
    const transport = new UdpTransport(socket, socket.address().port, options.logger);
    socket.on('error', (error) => options.logger.warn({ err: error }, 'sip udp socket error'));
    socket.on('message', (data, remote) => {
      if (data.length > messageBytesMax) return; // too large to be ours; nothing safe to answer
      options.onFrame(data, { transport: 'udp', address: remote.address, port: remote.port });
    });
    return transport;
  }

  private closed = false;

  send(peer: Peer, data: Buffer): void {
    // A timer may fire after close (a BYE after shutdown): dgram would throw synchronously.
    if (this.closed) return;
    this.socket.send(data, peer.port, peer.address, (error) => {
      if (error) this.logger.warn({ err: error, peer }, 'sip udp send failed');
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
