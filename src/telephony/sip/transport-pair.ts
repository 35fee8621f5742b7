// SIP listens on UDP and TCP on the same port number (RFC 3261 §18: a UA must do both). With port 0
// UDP picks the number first; if TCP finds it taken by someone else, both are tried again.
import type { Logger } from '../../config/logger.js';
import type { FrameHandler, UnframeableHandler } from './transport.js';
import { TcpTransport } from './transport-tcp.js';
import { UdpTransport } from './transport-udp.js';

const listenAttemptsMax = 10;

export interface TransportPair {
  readonly udp: UdpTransport;
  readonly tcp: TcpTransport;
}

export async function listenUdpAndTcp(options: {
  host: string; port: number; logger: Logger; onFrame: FrameHandler; onUnframeable: UnframeableHandler;
}): Promise<TransportPair> {
  for (let attempt = 1; ; attempt += 1) {
    const udp = await UdpTransport.listen(options);
    try {
      const tcp = await TcpTransport.listen({ ...options, port: udp.port });
      return { udp, tcp };
    } catch (error) {
      await udp.close();
      if (options.port !== 0 || attempt >= listenAttemptsMax) throw error;
    }
  }
}
