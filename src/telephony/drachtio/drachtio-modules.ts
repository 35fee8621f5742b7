// The parts of drachtio-srf and drachtio-fsmrf (CommonJS, loosely typed) that the adapter uses,
// typed here once. Everything else in src/telephony/drachtio/ works against these interfaces.
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';

export interface SrfRequest extends EventEmitter {
  readonly method: string;
  readonly uri: string;
  readonly raw: string;
  readonly body: string;
  readonly source_address: string;
  readonly source_port: number;
  get(name: string): string | undefined;
}

export interface SrfResponse {
  send(status: number, options?: { headers?: Record<string, string> }): void;
}

export interface SrfDialog extends EventEmitter {
  readonly sip: { callId: string };
  readonly remote: { sdp: string };
  /** False once the dialog ended (BYE either way); drachtio-srf emits 'destroy' only at that moment. */
  readonly connected: boolean;
  destroy(): Promise<void>;
}

/** The request drachtio-srf hands back while an outbound INVITE is pending (to CANCEL it). */
export interface SrfOutboundRequest {
  cancel(): void;
}

export interface SrfUacOptions {
  localSdp?: string;
  callingNumber?: string;
  headers?: Record<string, string>;
}

export interface SrfUacProgress {
  cbRequest?: (error: Error | null, req: SrfOutboundRequest) => void;
  cbProvisional?: (res: { status: number }) => void;
}

/** drachtio-srf rejects a failed createUAC with a SipError carrying the final status. */
export interface SrfSipError extends Error {
  readonly status?: number;
}

export interface SrfConnectOptions {
  host: string;
  port: number;
  secret: string;
  reconnect: { retryMaxDelay: number };
}

export interface Srf extends EventEmitter {
  connect(options: SrfConnectOptions): void;
  disconnect(): void;
  invite(handler: (req: SrfRequest, res: SrfResponse) => void): void;
  createUAS(req: SrfRequest, res: SrfResponse, options: { localSdp: string }): Promise<SrfDialog>;
  createUAC(uri: string, options: SrfUacOptions, progress: SrfUacProgress): Promise<SrfDialog>;
}

export interface DtmfEvent {
  readonly dtmf: string;
}

export interface EslEvent {
  getHeader(name: string): string | undefined;
  getBody(): string;
}

export interface FsEndpoint extends EventEmitter {
  readonly uuid: string;
  readonly local: { sdp: string };
  play(file: string): Promise<{ playbackMilliseconds?: string }>;
  api(command: string, args: string): Promise<EslEvent>;
  execute(app: string, arg: string): Promise<EslEvent>;
  /** Gives FreeSWITCH the far end's SDP answer (a re-INVITE toward it): the 3pcc outbound case. */
  modify(sdp: string): Promise<void>;
  destroy(): Promise<void>;
}

export interface MediaServer extends EventEmitter {
  /** With remoteSdp: an endpoint answering that offer; without: FreeSWITCH's own offer in local.sdp (3pcc). */
  createEndpoint(options?: { remoteSdp?: string }): Promise<FsEndpoint>;
  connectCaller(req: SrfRequest, res: SrfResponse): Promise<{ endpoint: FsEndpoint; dialog: SrfDialog }>;
  disconnect(): void;
}

export interface MrfConnectOptions {
  address: string;
  port: number;
  secret: string;
  /** Where FreeSWITCH's outbound event socket connects back to us (its dialplan's `socket` app). */
  listenAddress: string;
  listenPort: number;
  advertisedAddress?: string;
  profile?: string;
}

export interface Mrf {
  connect(options: MrfConnectOptions): Promise<MediaServer>;
}

const require = createRequire(import.meta.url);

export function createSrf(): Srf {
  const SrfClass = require('drachtio-srf') as new () => Srf;
  return new SrfClass();
}

export function createMrf(srf: Srf): Mrf {
  const MrfClass = require('drachtio-fsmrf') as new (srf: Srf) => Mrf;
  return new MrfClass(srf);
}
