// RTP ports from the configured range: even ports only (RFC 3550 §11: RTP even, RTCP the next odd
// one). A port is taken by binding a UDP socket to it, so a port held by another process is skipped;
// the search is bounded by the size of the range.
import { createSocket, type Socket } from 'node:dgram';
import { assert, RtpPortsExhaustedError } from '../errors.js';
import { listening } from '../net-wait.js';

export interface BoundRtpSocket {
  readonly socket: Socket;
  readonly port: number;
  release(): void;
}

export class RtpPortPool {
  private readonly inUse = new Set<number>();
  private cursor: number;

  constructor(private readonly host: string, private readonly portMin: number, private readonly portMax: number) {
    assert(Number.isInteger(portMin) && Number.isInteger(portMax), 'RTP port range must be integers');
    assert(portMin >= 1024 && portMax <= 65535 && portMin < portMax, 'RTP port range must be 1024-65535, min < max');
    this.cursor = this.firstEven;
  }

  private get firstEven(): number {
    return this.portMin % 2 === 0 ? this.portMin : this.portMin + 1;
  }

  get capacity(): number {
    return Math.floor((this.portMax - this.firstEven) / 2) + 1;
  }

  get used(): number {
    return this.inUse.size;
  }

  async allocate(): Promise<BoundRtpSocket> {
    for (let attempt = 0; attempt < this.capacity; attempt += 1) {
      const port = this.cursor;
      this.cursor = port + 2 > this.portMax ? this.firstEven : port + 2;
      if (this.inUse.has(port)) continue;
      this.inUse.add(port);
      const socket = await this.tryBind(port);
      if (socket === null) {
        this.inUse.delete(port);
        continue;
      }
      let released = false;
      return {
        socket, port,
        release: () => {
          if (released) return;
          released = true;
          socket.close();
          this.inUse.delete(port);
        },
      };
    }
    throw new RtpPortsExhaustedError(this.portMin, this.portMax);
  }

  private async tryBind(port: number): Promise<Socket | null> {
    const socket = createSocket(this.host.includes(':') ? 'udp6' : 'udp4');
    try {
      const ready = listening(socket);
      socket.bind(port, this.host);
      await ready;
      return socket;
    } catch {
      // A failed bind leaves the socket unbound; closing it only releases the handle.
      try { socket.close(); } catch { /* already closed */ }
      return null;
    }
  }
}
