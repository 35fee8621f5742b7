// Placing a call (UAC, RFC 3261 §13.2): INVITE with our offer through the trunk, CANCEL when it rings
// too long (only after a provisional response, §9.1), ACK for every final response, and the dialog
// the 2xx creates. The endpoint turns an answered call into a CallChannel like an inbound one.
import { randomBytes } from 'node:crypto';
import type { DialFailure } from '../ivr/call-channel.js';
import { SdpParseError } from './errors.js';
import type { BoundRtpSocket } from './rtp/port-pool.js';
import { buildOffer, negotiateAudio, parseSdp, type NegotiatedAudio, type SessionDescription } from './sdp.js';
import { buildInDialogRequest, createUacDialog, newTag, nextHop, type Dialog } from './sip/dialog.js';
import { allowHeader } from './sip/edge-steps.js';
import type { SipTimers } from './sip/limits.js';
import { headerValue, type SipHeader, type SipRequest, type SipResponse } from './sip/message.js';
import { serializeSipMessage } from './sip/serializer.js';
import { newBranch, type ClientOutcome } from './sip/transaction-client.js';
import { InviteClientTransaction } from './sip/transaction-invite-client.js';
import type { Peer } from './sip/transport.js';

export interface PlaceCallOptions {
  /** Request-URI, e.g. sip:+17125551234@trunk:5060. */
  readonly to: string;
  /** Calling number, 10 digits. */
  readonly from: string;
  readonly trunk: Peer;
  readonly binding: BoundRtpSocket;
  readonly timers: SipTimers;
  readonly ringTimeoutMs: number;
  readonly advertised: string;
  readonly contact: SipHeader;
  readonly port: number;
  readonly send: (peer: Peer, data: Buffer) => void;
  readonly register: (transaction: InviteClientTransaction) => void;
  readonly unregister: (transaction: InviteClientTransaction) => void;
  readonly request: (branch: string, method: string, peer: Peer, data: Buffer) => Promise<ClientOutcome>;
}

export type Placed =
  | {
    readonly kind: 'answered'; readonly dialog: Dialog; readonly invite: SipRequest; readonly answer: SessionDescription;
    readonly audio: NegotiatedAudio; readonly offerSdp: string; readonly sessionId: string;
    readonly ack: { peer: Peer; data: Buffer };
  }
  | { readonly kind: 'failed'; readonly failed: DialFailure; readonly status?: number };

export function dialOutcome(placed: Extract<Placed, { kind: 'failed' }>): { failed: DialFailure; status?: number } {
  return placed.status === undefined ? { failed: placed.failed } : { failed: placed.failed, status: placed.status };
}

export async function placeCall(options: PlaceCallOptions): Promise<Placed> {
  const branch = newBranch();
  const sessionId = String(Date.now());
  const offerSdp = buildOffer({
    localAddress: options.advertised, localPort: options.binding.port, sessionId, sessionVersion: 1,
  });
  const via = `SIP/2.0/${options.trunk.transport.toUpperCase()} ${options.advertised}:${options.port};branch=${branch};rport`;
  const host = options.advertised.includes(':') ? `[${options.advertised}]` : options.advertised;
  const invite: SipRequest = {
    kind: 'request', method: 'INVITE', uri: options.to, body: Buffer.from(offerSdp),
    headers: [
      { name: 'Via', value: via }, { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: `<sip:+1${options.from}@${host}>;tag=${newTag()}` }, { name: 'To', value: `<${options.to}>` },
      { name: 'Call-ID', value: `${randomBytes(12).toString('hex')}@${host}` }, { name: 'CSeq', value: '1 INVITE' },
      options.contact, allowHeader, { name: 'Content-Type', value: 'application/sdp' },
    ],
  };
  let provisional = false;
  let ringTimedOut = false;
  const sendCancel = (): void => {
    const cancel = sameTransactionRequest(invite, 'CANCEL', null);
    void options.request(branch, 'CANCEL', options.trunk, serializeSipMessage(cancel));
  };
  const transaction = new InviteClientTransaction(branch, {
    peer: options.trunk, data: serializeSipMessage(invite), timers: options.timers, send: options.send,
    onProvisional: () => {
      if (!provisional && ringTimedOut) sendCancel();
      provisional = true;
    },
  });
  options.register(transaction);
  const ringTimer = setTimeout(() => {
    ringTimedOut = true;
    if (provisional) sendCancel();
  }, options.ringTimeoutMs);
  const outcome = await transaction.outcome;
  clearTimeout(ringTimer);
  options.unregister(transaction);
  if (outcome.kind === 'timeout') return { kind: 'failed', failed: ringTimedOut ? 'no-answer' : 'timeout' };
  const response = outcome.response;
  if (response.status >= 300) {
    options.send(options.trunk, serializeSipMessage(sameTransactionRequest(invite, 'ACK', response)));
    return { kind: 'failed', failed: failureOf(response.status), status: response.status };
  }
  return answered(options, { invite, response, offerSdp, sessionId, ringTimedOut });
}

function answered(
  options: PlaceCallOptions,
  state: { invite: SipRequest; response: SipResponse; offerSdp: string; sessionId: string; ringTimedOut: boolean },
): Placed {
  const dialog = createUacDialog(state.invite, state.response, options.trunk);
  if (dialog === null) return { kind: 'failed', failed: 'rejected', status: state.response.status };
  const ackBranch = newBranch();
  const viaFor = (branch: string): string =>
    `SIP/2.0/${nextHop(dialog).transport.toUpperCase()} ${options.advertised}:${options.port};branch=${branch};rport`;
  const ackRequest = buildInDialogRequest(dialog, { method: 'ACK', via: viaFor(ackBranch) });
  // ACK carries the INVITE's CSeq number (§13.2.2.4); buildInDialogRequest advanced it, so put it back.
  dialog.localSequence -= 1;
  const ack = { peer: nextHop(dialog), data: serializeSipMessage(withCSeq(ackRequest, `${dialog.localSequence} ACK`)) };
  options.send(ack.peer, ack.data);
  let answer: SessionDescription | null = null;
  try {
    answer = parseSdp(state.response.body.toString('utf8'));
  } catch (error) {
    if (!(error instanceof SdpParseError)) throw error;
  }
  const audio = answer === null ? null : negotiateAudio(answer);
  if (answer === null || audio === null || state.ringTimedOut) {
    // Answered with nothing we can use (or after we gave up): end the dialog at once.
    const byeBranch = newBranch();
    const bye = buildInDialogRequest(dialog, { method: 'BYE', via: viaFor(byeBranch) });
    void options.request(byeBranch, 'BYE', nextHop(dialog), serializeSipMessage(bye));
    return { kind: 'failed', failed: state.ringTimedOut ? 'no-answer' : 'rejected', status: 488 };
  }
  return { kind: 'answered', dialog, invite: state.invite, answer, audio, offerSdp: state.offerSdp, sessionId: state.sessionId, ack };
}

/** CANCEL, or ACK for a non-2xx: same Request-URI, Via (branch), From, Call-ID and CSeq number (§9.1, §17.1.1.3). */
function sameTransactionRequest(invite: SipRequest, method: 'CANCEL' | 'ACK', response: SipResponse | null): SipRequest {
  const cseq = (headerValue(invite, 'CSeq') ?? '1 INVITE').split(/\s+/)[0] ?? '1';
  return {
    kind: 'request', method, uri: invite.uri, body: Buffer.alloc(0),
    headers: [
      { name: 'Via', value: headerValue(invite, 'Via') ?? '' }, { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: headerValue(invite, 'From') ?? '' },
      { name: 'To', value: response === null ? headerValue(invite, 'To') ?? '' : headerValue(response, 'To') ?? '' },
      { name: 'Call-ID', value: headerValue(invite, 'Call-ID') ?? '' }, { name: 'CSeq', value: `${cseq} ${method}` },
    ],
  };
}

function withCSeq(request: SipRequest, cseq: string): SipRequest {
  return { ...request, headers: request.headers.map((item) => (item.name === 'CSeq' ? { name: 'CSeq', value: cseq } : item)) };
}

function failureOf(status: number): DialFailure {
  if (status === 486 || status === 600) return 'busy';
  if (status === 408 || status === 480 || status === 487) return 'no-answer';
  return 'rejected';
}
