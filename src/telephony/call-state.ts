// The state of one call, from its INVITE to the end of its dialog. Inbound: what the endpoint needs to
// answer it, retransmit its 200 and match its CANCEL, ACK and BYE. Outbound: the dialog we created and
// the ACK to resend when the far end retransmits its 200.
import { networkInterfaces } from 'node:os';
import type { CallFacts } from '../ivr/call-channel.js';
import type { SipCall } from './call.js';
import type { BoundRtpSocket } from './rtp/port-pool.js';
import type { MediaParameters } from './rtp/session.js';
import { defaultTelephoneEventPayloadType, type NegotiatedAudio, type SessionDescription } from './sdp.js';
import { dialogKey, type Dialog } from './sip/dialog.js';
import type { Placed } from './outbound-call.js';
import { nanpNumber, parseNameAddr, parseSipUri, parseVia, splitCommaList } from './sip/header-values.js';
import { headerValue, headerValues, type SipHeader, type SipRequest } from './sip/message.js';
import type { Reliable2xx } from './sip/reliable-2xx.js';
import type { ServerTransaction } from './sip/transaction-server.js';
import type { Peer } from './sip/transport.js';

export type CallStateName = 'ringing' | 'answered' | 'ended';

export interface CallState {
  readonly direction: 'inbound' | 'outbound';
  state: CallStateName;
  readonly dialog: Dialog;
  readonly key: string;
  readonly inviteKey: string;
  readonly invite: SipRequest;
  /** Inbound only: the server transaction of the INVITE (for 487 after CANCEL). */
  readonly inviteTransaction: ServerTransaction | null;
  /** Outbound only: our ACK for the 200, resent when the 200 is retransmitted (RFC 3261 §13.2.2.4). */
  ack: { peer: Peer; data: Buffer } | null;
  readonly source: Peer;
  offer: SessionDescription;
  audio: NegotiatedAudio;
  binding: BoundRtpSocket | null;
  readonly sessionId: string;
  sessionVersion: number;
  answerSdp: string;
  reliable: Reliable2xx | null;
  channel: SipCall | null;
  ringTimer: NodeJS.Timeout | null;
  /** Delayed offer: our 200 carries the offer and the ACK must bring the answer. */
  awaitingAnswer: boolean;
}

/**
 * Media for a delayed-offer INVITE until its ACK brings the answer: nothing to send to (address
 * 0.0.0.0 makes the RTP session hold its packets), codecs to be replaced by the answer.
 */
export function delayedOfferPlaceholder(): { offer: SessionDescription; audio: NegotiatedAudio } {
  return {
    offer: { origin: '-', connection: null, direction: null, media: [] },
    audio: {
      codec: 'PCMU', payloadType: 0, telephoneEventPayloadType: defaultTelephoneEventPayloadType,
      remoteAddress: '0.0.0.0', remotePort: 0, direction: 'sendrecv', mediaIndex: 0,
    },
  };
}

const verstatPattern = /;verstat=([A-Za-z0-9-]{1,64})/i;

/** The caller facts the trust decision needs (SPEC §2), from the INVITE as received. */
export function callFacts(invite: SipRequest, source: Peer): CallFacts {
  const from = parseNameAddr(headerValue(invite, 'From') ?? '')?.uri ?? '';
  const to = parseNameAddr(headerValue(invite, 'To') ?? '')?.uri ?? '';
  const fromNumber = nanpNumber(parseSipUri(from)?.user ?? null);
  const toNumber = nanpNumber(parseSipUri(to)?.user ?? null) ?? nanpNumber(parseSipUri(invite.uri)?.user ?? null);
  let paiNumber: string | null = null;
  for (const value of headerValues(invite, 'P-Asserted-Identity')) {
    const uri = parseNameAddr(value)?.uri;
    paiNumber ??= nanpNumber(uri === undefined ? null : parseSipUri(uri)?.user?.split(';')[0] ?? null);
  }
  const verstat = verstatPattern.exec(headerValues(invite, 'P-Asserted-Identity').join(' '))?.[1]
    ?? verstatPattern.exec(headerValue(invite, 'From') ?? '')?.[1];
  return {
    from, to,
    ...(fromNumber === null ? {} : { fromNumber }),
    ...(toNumber === null ? {} : { toNumber }),
    identityHeaders: headerValues(invite, 'Identity'),
    sourceAddress: `${source.address}:${source.port}`,
    ...(paiNumber === null ? {} : { paiNumber }),
    ...(verstat === undefined ? {} : { verstat }),
  };
}

/** Re-reads the state after an await (TypeScript keeps the narrowing from before it). */
export function hasEnded(inbound: CallState): boolean {
  return inbound.state === 'ended';
}

export function mediaParameters(audio: NegotiatedAudio): MediaParameters {
  return {
    codec: audio.codec, payloadType: audio.payloadType, telephoneEventPayloadType: audio.telephoneEventPayloadType,
    remoteAddress: audio.remoteAddress, remotePort: audio.remotePort,
    sending: audio.direction === 'sendrecv' || audio.direction === 'sendonly',
  };
}

export function advertisedAddressFor(host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return host;
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  return '127.0.0.1';
}

/** Our Contact for a dialog with `source`: the advertised address and port, and TCP when the peer used it. */
export function contactFor(advertised: string, port: number, source: Peer): SipHeader {
  const transport = source.transport === 'tcp' ? ';transport=tcp' : '';
  const host = advertised.includes(':') ? `[${advertised}]` : advertised;
  return { name: 'Contact', value: `<sip:delegate-network@${host}:${port}${transport}>` };
}

/** The state of a call we placed once it is answered (its dialog, our offer and ACK, the trunk hop). */
export function outboundCallState(placed: Extract<Placed, { kind: 'answered' }>, trunk: Peer, binding: BoundRtpSocket): CallState {
  return {
    direction: 'outbound', state: 'answered', dialog: placed.dialog,
    key: dialogKey(placed.dialog.callId, placed.dialog.localTag, placed.dialog.remoteTag), inviteKey: '',
    invite: placed.invite, inviteTransaction: null, source: trunk, offer: placed.answer, audio: placed.audio, binding,
    sessionId: placed.sessionId, sessionVersion: 1, answerSdp: placed.offerSdp, reliable: null, channel: null,
    ringTimer: null, awaitingAnswer: false, ack: placed.ack,
  };
}

/** The branch of a message's top Via (how a response finds its client transaction), or null. */
export function topViaBranch(message: { headers: readonly SipHeader[] }): string | null {
  const top = parseVia(splitCommaList(headerValue(message, 'Via') ?? '')[0] ?? '');
  return top?.params.get('branch') ?? null;
}
