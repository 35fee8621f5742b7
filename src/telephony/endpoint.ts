// The embedded SIP/RTP endpoint (SPEC §11, one-machine deployment): SIP over UDP and TCP on one port,
// inbound calls answered with G.711 + RFC 4733, each call handed to the application as a CallChannel.
// Bounded everywhere: message size (parser), transactions, calls (maxCalls, the RTP port range).
import { EventEmitter } from 'node:events';
import type {
  CallChannel, CallEndReason, DialFailure, DialOptions, OutboundDialer,
} from '../ivr/call-channel.js';
import { SipCall } from './call.js';
import type { EndpointStats, ScreenVerdict, SipEndpointOptions } from './endpoint-options.js';
import { NoTrunkError, RtpPortsExhaustedError, SdpParseError } from './errors.js';
import { dialOutcome, placeCall, type Placed } from './outbound-call.js';
import {
  advertisedAddressFor, callFacts, contactFor, delayedOfferPlaceholder, hasEnded, mediaParameters, outboundCallState,
  topViaBranch, type CallState,
} from './call-state.js';
import { RtpPortPool } from './rtp/port-pool.js';
import { RtpSession } from './rtp/session.js';
import {
  buildAnswer, buildOffer, negotiateAudio, parseSdp, type NegotiatedAudio, type SessionDescription,
} from './sdp.js';
import { buildInDialogRequest, createUasDialog, dialogKey, newTag, nextHop, tagOf } from './sip/dialog.js';
import { acceptableBody, allowHeader, methodSupported, noRequiredExtensions } from './sip/edge-steps.js';
import { parseCSeq, parseNameAddr, splitCommaList } from './sip/header-values.js';
import { defaultSipTimers, type SipTimers } from './sip/limits.js';
import { headerValue, type SipHeader, type SipRequest, type SipResponse } from './sip/message.js';
import { compose, type Middleware, type RequestContext } from './sip/middleware.js';
import { parseSipMessage } from './sip/parser.js';
import { Reliable2xx } from './sip/reliable-2xx.js';
import { StatelessResponder } from './sip/stateless-responder.js';
import { buildResponse, responseTarget, type ResponseOptions } from './sip/response.js';
import { serializeSipMessage } from './sip/serializer.js';
import { ClientTransactions, newBranch } from './sip/transaction-client.js';
import { InviteClientTransaction } from './sip/transaction-invite-client.js';
import { ServerTransactions, serverTransactionKey } from './sip/transaction-server.js';
import { listenUdpAndTcp } from './sip/transport-pair.js';
import { TrunkNotFoundError, trunkHops } from './sip/trunk-locator.js';
import type { TcpTransport } from './sip/transport-tcp.js';
import type { UdpTransport } from './sip/transport-udp.js';
import type { Peer } from './sip/transport.js';

const mediaTimeoutMsDefault = 60_000;

export type { EndpointStats, ScreenVerdict, SipEndpointOptions };

export class SipEndpoint extends EventEmitter<{ call: [CallChannel] }> implements OutboundDialer {
  private udp: UdpTransport | null = null;
  private tcp: TcpTransport | null = null;
  private readonly timers: SipTimers;
  private readonly pool: RtpPortPool;
  private readonly serverTransactions: ServerTransactions;
  private readonly clientTransactions: ClientTransactions;
  private readonly calls = new Map<string, CallState>();
  private readonly callsByInvite = new Map<string, CallState>();
  private readonly inviteClients = new Map<string, InviteClientTransaction>();
  private readonly handle: (context: RequestContext) => Promise<void>;
  private readonly advertised: string;
  private readonly maxCalls: number;
  private closed = false;
  private readonly stateless: StatelessResponder;

  constructor(private readonly options: SipEndpointOptions) {
    super();
    this.timers = options.timers ?? defaultSipTimers;
    this.pool = new RtpPortPool(options.host === '0.0.0.0' ? '0.0.0.0' : options.host, options.rtpPortMin, options.rtpPortMax);
    this.maxCalls = Math.min(options.maxCalls ?? this.pool.capacity, this.pool.capacity);
    const send = (peer: Peer, data: Buffer): void => this.sendRaw(peer, data);
    this.serverTransactions = new ServerTransactions(send, this.timers);
    this.clientTransactions = new ClientTransactions(send, this.timers);
    this.stateless = new StatelessResponder(send);
    this.advertised = options.advertisedAddress ?? advertisedAddressFor(options.host);
    const dispatch: Middleware = (context) => this.dispatch(context);
    this.handle = compose([methodSupported, noRequiredExtensions, acceptableBody, dispatch]);
  }

  get port(): number {
    return this.udp?.port ?? 0;
  }

  get stats(): EndpointStats {
    return {
      calls: this.callCount(),
      serverTransactions: this.serverTransactions.size,
      clientTransactions: this.clientTransactions.size,
      rtpPortsInUse: this.pool.used,
      ...this.stateless.counters,
    };
  }

  async start(): Promise<void> {
    const handlers = {
      onFrame: (frame: Buffer, peer: Peer) => this.guard(() => this.receive(frame, peer)),
      onUnframeable: (head: Buffer, reason: string, peer: Peer) => {
        this.guard(() => this.stateless.receiveUnframeable(head, reason, peer));
      },
    };
    const { host, port, logger } = this.options;
    ({ udp: this.udp, tcp: this.tcp } = await listenUdpAndTcp({ host, port, logger, ...handlers }));
  }

  /** Ends every call (BYE, not awaited beyond the transaction timers' first shot) and stops listening. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const byes: Array<Promise<void>> = [];
    for (const transaction of this.inviteClients.values()) transaction.abandon();
    for (const inbound of new Set([...this.callsByInvite.values(), ...this.calls.values()])) {
      if (inbound.state === 'answered') byes.push(this.endAndBye(inbound, 'shutdown', false));
      else this.finish(inbound, 'shutdown');
    }
    let grace: NodeJS.Timeout | null = null;
    const graceOver = new Promise((resolve) => { grace = setTimeout(resolve, this.timers.t1Ms); });
    await Promise.race([Promise.all(byes), graceOver]);
    if (grace !== null) clearTimeout(grace);
    this.serverTransactions.close();
    this.clientTransactions.close();
    await Promise.all([this.udp?.close(), this.tcp?.close()]);
  }

  /** Last line of defence: a bug while handling one message is logged, never a crash of the process. */
  private guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.options.logger.error({ err: error }, 'sip message handling failed');
    }
  }

  private sendRaw(peer: Peer, data: Buffer): void {
    if (peer.transport === 'tcp') this.tcp?.send(peer, data);
    else this.udp?.send(peer, data);
  }

  private receive(frame: Buffer, source: Peer): void {
    const parsed = parseSipMessage(frame, { contentLengthRequired: source.transport === 'tcp' });
    if (!parsed.ok) {
      this.stateless.answerMalformed(parsed.salvage, source, parsed.error.status, parsed.error.reason);
      return;
    }
    const { message } = parsed;
    if (message.kind === 'response') {
      if (!this.clientTransactions.receive(message)) this.receiveInviteResponse(message);
      return;
    }
    const transactionKey = serverTransactionKey(message);
    if (message.method === 'ACK') {
      this.receiveAck(message, transactionKey);
      return;
    }
    if (transactionKey === null) {
      // RFC 2543 clients (no magic cookie) cannot be matched to transactions; we do not serve them.
      this.stateless.respond(message, source, { status: 400, reason: 'Via branch must start with z9hG4bK' });
      return;
    }
    if (this.serverTransactions.absorb(transactionKey)) return;
    const transaction = this.serverTransactions.create(transactionKey, message.method);
    const context: RequestContext = {
      request: message, source, transactionKey,
      respond: (options) => {
        const response = serializeSipMessage(buildResponse(message, source, options));
        this.serverTransactions.respond(transaction, responseTarget(message, source), response, options.status);
      },
    };
    this.handle(context).catch((error: unknown) => {
      this.options.logger.error({ err: error, callId: headerValue(message, 'Call-ID') }, 'sip request handling failed');
      this.guard(() => context.respond({ status: 500 }));
    });
  }

  private receiveAck(ack: SipRequest, transactionKey: string | null): void {
    if (transactionKey !== null && this.serverTransactions.acknowledge(transactionKey)) return;
    const inbound = this.findDialog(ack);
    if (inbound === undefined) return;
    const first = inbound.reliable?.pending === true;
    inbound.reliable?.ack();
    if (first && inbound.awaitingAnswer) this.acceptDelayedAnswer(inbound, ack);
  }

  /** Delayed offer (RFC 3264 §5 via RFC 3261 §13.2.1): our 200 carried the offer, the ACK the answer. */
  private acceptDelayedAnswer(inbound: CallState, ack: SipRequest): void {
    inbound.awaitingAnswer = false;
    let audio: NegotiatedAudio | null = null;
    try {
      audio = ack.body.length === 0 ? null : negotiateAudio(parseSdp(ack.body.toString('utf8')));
    } catch (error) {
      if (!(error instanceof SdpParseError)) throw error;
    }
    if (audio === null || inbound.channel === null) {
      // No usable answer: the session cannot start, and RFC 3261 §13.2.1 says to end it with BYE.
      void this.endAndBye(inbound, 'error', false);
      return;
    }
    inbound.audio = audio;
    inbound.channel.media.update(mediaParameters(audio));
    this.emit('call', inbound.channel);
  }

  private findDialog(request: SipRequest): CallState | undefined {
    const localTag = tagOf(headerValue(request, 'To'));
    const remoteTag = tagOf(headerValue(request, 'From'));
    if (localTag === null || remoteTag === null) return undefined;
    return this.calls.get(dialogKey(headerValue(request, 'Call-ID') ?? '', localTag, remoteTag));
  }

  private async dispatch(context: RequestContext): Promise<void> {
    const { request } = context;
    const inDialog = tagOf(headerValue(request, 'To')) !== null;
    if (request.method === 'CANCEL') return this.receiveCancel(context);
    if (request.method === 'OPTIONS' && !inDialog) return this.answerOptions(context);
    if (!inDialog) {
      if (request.method === 'INVITE') return this.receiveInvite(context);
      context.respond({ status: 481 }); // BYE outside a dialog
      return;
    }
    const inbound = this.findDialog(request);
    if (inbound === undefined || inbound.state === 'ended') {
      context.respond({ status: 481 });
      return;
    }
    const cseq = parseCSeq(headerValue(request, 'CSeq') ?? '');
    if (cseq === null || cseq.sequence <= inbound.dialog.remoteSequence) {
      context.respond({ status: 500, reason: 'CSeq out of order' }); // RFC 3261 §12.2.2
      return;
    }
    inbound.dialog.remoteSequence = cseq.sequence;
    if (request.method === 'BYE') {
      context.respond({ status: 200 });
      this.finish(inbound, 'remote-hangup');
    } else if (request.method === 'OPTIONS') this.answerOptions(context);
    else if (request.method === 'INVITE') this.receiveReinvite(context, inbound);
  }

  private answerOptions(context: RequestContext): void {
    context.respond({
      status: 200, toTag: newTag(),
      headers: [allowHeader, { name: 'Accept', value: 'application/sdp' }, { name: 'Accept-Encoding', value: 'identity' }],
    });
  }

  /** Reads the SDP offer of an INVITE; answers 400/488 and returns null when it cannot be served. */
  private readOffer(context: RequestContext): { offer: SessionDescription; audio: NegotiatedAudio } | null {
    const { request } = context;
    let offer: SessionDescription;
    try {
      offer = parseSdp(request.body.toString('utf8'));
    } catch (error) {
      if (!(error instanceof SdpParseError)) throw error;
      context.respond({ status: 400, reason: `Bad Request (malformed SDP: ${error.reason})`, toTag: newTag() });
      return null;
    }
    const audio = negotiateAudio(offer);
    if (audio === null) {
      context.respond({ status: 488, toTag: newTag(), headers: [{ name: 'Warning', value: '305 delegate-network "Incompatible media format"' }] });
      return null;
    }
    return { offer, audio };
  }

  private async receiveInvite(context: RequestContext): Promise<void> {
    const { request, source } = context;
    // No body: a delayed offer; we offer in the 200 and take the answer from the ACK.
    const read = request.body.length === 0 ? delayedOfferPlaceholder() : this.readOffer(context);
    if (read === null) return;
    if (this.closed || this.callCount() >= this.maxCalls) {
      context.respond({ status: 503, toTag: newTag(), headers: [{ name: 'Retry-After', value: '5' }] });
      return;
    }
    context.respond({ status: 100 });
    const localTag = newTag();
    const dialog = createUasDialog(request, localTag, source);
    const inviteKey = context.transactionKey ?? '';
    const transaction = this.serverTransactions.get(inviteKey);
    if (transaction === undefined) return;
    const inbound: CallState = {
      direction: 'inbound', ack: null, state: 'ringing', dialog, key: dialogKey(dialog.callId, localTag, dialog.remoteTag), inviteKey, invite: request,
      inviteTransaction: transaction, source, offer: read.offer, audio: read.audio, binding: null,
      awaitingAnswer: request.body.length === 0,
      sessionId: String(Date.now()), sessionVersion: 1, answerSdp: '', reliable: null, channel: null, ringTimer: null,
    };
    this.callsByInvite.set(inviteKey, inbound);
    if (this.options.screen !== undefined) {
      const verdict = await this.screenInvite(inbound);
      if (inbound.state !== 'ringing') return; // cancelled while being screened
      if (!verdict.accept) {
        this.callsByInvite.delete(inviteKey);
        context.respond({ status: verdict.status, reason: verdict.reason, toTag: localTag,
          headers: verdict.retryAfterSeconds === undefined ? [] : [{ name: 'Retry-After', value: String(verdict.retryAfterSeconds) }] });
        return;
      }
    }
    try {
      inbound.binding = await this.pool.allocate();
    } catch (error) {
      if (!(error instanceof RtpPortsExhaustedError)) throw error;
      this.callsByInvite.delete(inviteKey);
      if (inbound.state === 'ringing') context.respond({ status: 503, toTag: localTag, headers: [{ name: 'Retry-After', value: '5' }] });
      return;
    }
    if (inbound.state !== 'ringing') {
      inbound.binding.release(); // cancelled while we were getting a port
      return;
    }
    context.respond({ status: 180, toTag: localTag, copyRecordRoute: true, headers: [this.contactHeader(source)] });
    inbound.ringTimer = setTimeout(() => this.answer(context, inbound), this.options.ringingMs ?? 0);
  }

  private async screenInvite(inbound: CallState): Promise<ScreenVerdict> {
    const screen = this.options.screen;
    if (screen === undefined) return { accept: true };
    try {
      return await screen({ callId: inbound.dialog.callId, facts: callFacts(inbound.invite, inbound.source) });
    } catch (error) {
      this.options.logger.error({ err: error, callId: inbound.dialog.callId }, 'screening the call failed');
      return { accept: false, status: 503, reason: 'Service Unavailable', retryAfterSeconds: 5 };
    }
  }

  private answer(context: RequestContext, inbound: CallState): void {
    inbound.ringTimer = null;
    const binding = inbound.binding;
    if (inbound.state !== 'ringing' || binding === null) return;
    inbound.state = 'answered';
    const local = {
      localAddress: this.advertised, localPort: binding.port, sessionId: inbound.sessionId, sessionVersion: 1,
    };
    inbound.answerSdp = inbound.awaitingAnswer
      ? buildOffer(local)
      : buildAnswer({ ...local, offer: inbound.offer, audio: inbound.audio });
    this.calls.set(inbound.key, inbound);
    const media = new RtpSession({
      binding, media: mediaParameters(inbound.audio), logger: this.options.logger,
      mediaTimeoutMs: this.options.mediaTimeoutMs ?? mediaTimeoutMsDefault,
      onDigit: (digit) => inbound.channel?.receiveDigit(digit),
      onMediaTimeout: () => { void this.endAndBye(inbound, 'media-timeout', true); },
    });
    inbound.channel = new SipCall(inbound.dialog.callId, callFacts(inbound.invite, inbound.source), media, {
      hangup: () => this.endAndBye(inbound, 'local-hangup', true),
    });
    this.sendOk(context, inbound);
    // With a delayed offer the app gets the call once the ACK brings the answer (media known).
    if (!inbound.awaitingAnswer) this.emit('call', inbound.channel);
  }

  /** 200 with our SDP, retransmitted until ACK (§13.3.1.4); no ACK in 64·T1 ends the call with a BYE. */
  private sendOk(context: RequestContext, inbound: CallState): void {
    const options: ResponseOptions = {
      status: 200, toTag: inbound.dialog.localTag, copyRecordRoute: true, body: Buffer.from(inbound.answerSdp),
      headers: [this.contactHeader(inbound.source), allowHeader],
    };
    context.respond(options);
    const data = serializeSipMessage(buildResponse(context.request, context.source, options));
    const target = responseTarget(context.request, context.source);
    inbound.reliable = new Reliable2xx(() => this.sendRaw(target, data), this.timers, () => {
      void this.endAndBye(inbound, 'ack-timeout', false);
    });
  }

  private receiveReinvite(context: RequestContext, inbound: CallState): void {
    if (inbound.reliable?.pending === true) {
      context.respond({ status: 500, headers: [{ name: 'Retry-After', value: '1' }] }); // §14.2: one INVITE at a time
      return;
    }
    const contact = parseNameAddr(splitCommaList(headerValue(context.request, 'Contact') ?? '')[0] ?? '');
    if (context.request.body.length > 0) {
      const read = this.readOffer(context);
      if (read === null) return; // the call continues with its current media (RFC 3261 §14.2)
      const changed = read.audio.remoteAddress !== inbound.audio.remoteAddress
        || read.audio.remotePort !== inbound.audio.remotePort
        || read.audio.codec !== inbound.audio.codec || read.audio.direction !== inbound.audio.direction;
      inbound.offer = read.offer;
      inbound.audio = read.audio;
      if (changed) inbound.sessionVersion += 1;
      inbound.answerSdp = buildAnswer({
        offer: read.offer, audio: read.audio, localAddress: this.advertised, localPort: inbound.binding?.port ?? 0,
        sessionId: inbound.sessionId, sessionVersion: inbound.sessionVersion,
      });
      inbound.channel?.media.update(mediaParameters(read.audio));
    }
    if (contact !== null) inbound.dialog.remoteTarget = contact.uri; // target refresh (§12.2.2)
    this.sendOk(context, inbound);
  }

  private receiveCancel(context: RequestContext): void {
    const inviteKey = (context.transactionKey ?? '').replace(/\|CANCEL$/, '|INVITE');
    const inbound = this.callsByInvite.get(inviteKey);
    if (inbound === undefined) {
      context.respond({ status: 481, toTag: newTag() });
      return;
    }
    context.respond({ status: 200, toTag: inbound.dialog.localTag });
    if (inbound.state !== 'ringing') return; // already answered: CANCEL has no effect (§9.2)
    const response = buildResponse(inbound.invite, inbound.source, { status: 487, toTag: inbound.dialog.localTag });
    if (inbound.inviteTransaction !== null) {
      this.serverTransactions.respond(inbound.inviteTransaction, responseTarget(inbound.invite, inbound.source),
        serializeSipMessage(response), 487);
    }
    this.finish(inbound, 'remote-hangup');
  }

  /** Ends the call on our side, then sends BYE; waits for the ACK first if the 200 is unacknowledged. */
  private async endAndBye(inbound: CallState, reason: CallEndReason, waitForAck: boolean): Promise<void> {
    if (inbound.state === 'ended') return;
    if (waitForAck && inbound.reliable !== null) await inbound.reliable.acknowledged;
    if (hasEnded(inbound)) return; // the far end hung up while we waited for its ACK
    this.finish(inbound, reason);
    const hop = nextHop(inbound.dialog);
    const branch = newBranch();
    const via = `SIP/2.0/${hop.transport.toUpperCase()} ${this.advertised}:${this.port};branch=${branch};rport`;
    const bye = buildInDialogRequest(inbound.dialog, { method: 'BYE', via, headers: [{ name: 'Reason', value: `SIP;cause=200;text="${reason}"` }] });
    const outcome = await this.clientTransactions.request(branch, 'BYE', hop, serializeSipMessage(bye));
    if (outcome.kind !== 'response') this.options.logger.info({ callId: inbound.dialog.callId, outcome: outcome.kind }, 'BYE not answered');
  }

  /** Releases everything the call holds. Idempotent. */
  private finish(inbound: CallState, reason: CallEndReason): void {
    if (inbound.state === 'ended') return;
    inbound.state = 'ended';
    if (inbound.ringTimer !== null) clearTimeout(inbound.ringTimer);
    inbound.reliable?.stop(false);
    if (inbound.channel !== null) inbound.channel.end(reason); // closes media and releases the port
    else inbound.binding?.release();
    this.calls.delete(inbound.key);
    this.callsByInvite.delete(inbound.inviteKey);
    this.options.logger.info({ callId: inbound.dialog.callId, reason }, 'call ended');
  }

  /** Inbound calls ringing or answered, outbound calls answered, outbound INVITEs in progress. */
  private callCount(): number {
    let outbound = 0;
    for (const call of this.calls.values()) if (call.direction === 'outbound') outbound += 1;
    return this.callsByInvite.size + outbound + this.inviteClients.size;
  }

  /** Places a call through the trunk (call-back, SPEC §2); the next DNS target only if one never answered. */
  async call(to: string, options: DialOptions): Promise<CallChannel | { failed: DialFailure; status?: number }> {
    const configured = this.options.trunk;
    if (configured === undefined) throw new NoTrunkError();
    if (!/^\d{10}$/.test(to) || !/^\d{10}$/.test(options.from)) throw new RangeError('to and from must be 10-digit numbers');
    if (this.closed || this.callCount() >= this.maxCalls) return { failed: 'rejected', status: 503 };
    const hops = await trunkHops(configured).catch((error: unknown) => {
      if (!(error instanceof TrunkNotFoundError)) throw error;
      this.options.logger.warn({ err: error }, 'the SIP trunk could not be located');
      return null;
    });
    if (hops === null) return { failed: 'timeout' };
    let placed: Placed = { kind: 'failed', failed: 'timeout' };
    let trunk = hops.targets[0] as Peer;
    const binding = await this.pool.allocate();
    for (const target of hops.targets) {
      trunk = target;
      placed = await placeCall({
        to: `sip:+1${to}@${hops.uriHost}`, from: options.from, trunk, binding, timers: this.timers,
        ringTimeoutMs: options.ringTimeoutMs, advertised: this.advertised, contact: this.contactHeader(trunk),
        port: this.port,
        send: (peer, data) => this.sendRaw(peer, data),
        register: (transaction) => this.inviteClients.set(transaction.branch, transaction),
        unregister: (transaction) => this.inviteClients.delete(transaction.branch),
        request: (branch, method, peer, data) => this.clientTransactions.request(branch, method, peer, data),
      });
      if (placed.kind !== 'failed' || placed.failed !== 'timeout' || this.closed) break;
    }
    if (placed.kind === 'failed') {
      binding.release();
      return dialOutcome(placed);
    }
    const call = outboundCallState(placed, trunk, binding);
    this.calls.set(call.key, call);
    const media = new RtpSession({
      binding, media: mediaParameters(placed.audio), logger: this.options.logger,
      mediaTimeoutMs: this.options.mediaTimeoutMs ?? mediaTimeoutMsDefault,
      onDigit: (digit) => call.channel?.receiveDigit(digit),
      onMediaTimeout: () => { void this.endAndBye(call, 'media-timeout', false); },
    });
    call.channel = new SipCall(placed.dialog.callId, callFacts(placed.invite, trunk), media, {
      hangup: () => this.endAndBye(call, 'local-hangup', false),
    });
    return call.channel;
  }

  /** Responses to INVITEs we sent: to their transaction, or (a retransmitted 200) re-ACKed. */
  private receiveInviteResponse(response: SipResponse): void {
    const branch = topViaBranch(response);
    const transaction = branch === null ? undefined : this.inviteClients.get(branch);
    if (transaction !== undefined) {
      transaction.receive(response);
      return;
    }
    if (response.status < 200 || response.status >= 300) return;
    const localTag = tagOf(headerValue(response, 'From'));
    const remoteTag = tagOf(headerValue(response, 'To'));
    if (localTag === null || remoteTag === null) return;
    const call = this.calls.get(dialogKey(headerValue(response, 'Call-ID') ?? '', localTag, remoteTag));
    if (call?.ack != null) this.sendRaw(call.ack.peer, call.ack.data);
  }

  private contactHeader(source: Peer): SipHeader {
    return contactFor(this.advertised, this.port, source);
  }
}
