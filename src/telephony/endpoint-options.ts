// What the embedded endpoint is built with (addresses, ports, timers, the screening hook) and what it
// reports about itself.
import type { Logger } from '../config/logger.js';
import type { CallFacts } from '../ivr/call-channel.js';
import type { SipTimers } from './sip/limits.js';
import type { TrunkSetting } from './sip/trunk-locator.js';

export interface SipEndpointOptions {
  readonly host: string;
  /** 0 picks a free port (tests); UDP and TCP share it. */
  readonly port: number;
  /** Address put in Contact and SDP; defaults to the listen host, or the first non-loopback IPv4. */
  readonly advertisedAddress?: string;
  readonly rtpPortMin: number;
  readonly rtpPortMax: number;
  readonly logger: Logger;
  readonly timers?: SipTimers;
  /** Time between 180 Ringing and 200 OK. */
  readonly ringingMs?: number;
  readonly mediaTimeoutMs?: number;
  readonly maxCalls?: number;
  /**
   * Where calls we place go (the SIP trunk): a fixed address, or a locator that looks the trunk's domain
   * up in DNS for each call (RFC 3263). Without it `call()` throws NoTrunkError.
   */
  readonly trunk?: TrunkSetting;
  /** Decides before ringing whether to take an INVITE (caller trust, rate limits); throwing means 503. */
  readonly screen?: (invite: { callId: string; facts: CallFacts }) => Promise<ScreenVerdict>;
}

/** What `screen` decided: take the call, or refuse it with a SIP status (and optional Retry-After). */
export type ScreenVerdict =
  | { readonly accept: true }
  | { readonly accept: false; readonly status: number; readonly reason: string; readonly retryAfterSeconds?: number };

export interface EndpointStats {
  calls: number;
  serverTransactions: number;
  clientTransactions: number;
  rtpPortsInUse: number;
  malformedAnswered: number;
  malformedDropped: number;
}
