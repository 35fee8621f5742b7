// What the endpoint sees of a transport: frames in (one SIP message each, not yet parsed) and bytes
// out to a peer. UDP and TCP implement it; the endpoint never touches sockets.

export type TransportName = 'udp' | 'tcp';

export interface Peer {
  readonly transport: TransportName;
  readonly address: string;
  readonly port: number;
}

export type FrameHandler = (frame: Buffer, peer: Peer) => void;

/** A stream that can no longer be framed; the transport closes the connection after `onUnframeable`. */
export type UnframeableHandler = (head: Buffer, reason: string, peer: Peer) => void;

export interface SipTransport {
  readonly name: TransportName;
  readonly port: number;
  send(peer: Peer, data: Buffer): void;
  close(): Promise<void>;
}

export function peerKey(peer: Peer): string {
  return `${peer.transport}:${peer.address}:${peer.port}`;
}
