// FAKE drachtio-server, for tests only (the real one is a C++ build that does not exist on these
// machines). Toward the app it speaks drachtio's real TCP wire protocol, as drachtio-srf's
// lib/wire-protocol.js and lib/drachtio-agent.js expect it and drachtio-server's
// src/client-controller.cpp produces it: `<byte length>#<msgid>|<type>|...`, `authenticate`, `route`,
// `ping`, `sip|<txn>|<dialog>` carrying SIP in both directions, `response|<rid>|OK|application|...`
// echoing what was sent, transaction and dialog ids. Toward the "network" it does what sofia-sip does
// for drachtio: completes the app's partial messages (Via, From/To tags, Call-ID, CSeq, Contact),
// keeps transactions and dialogs, answers 100 Trying, ACKs failed INVITEs. The network here is
// in-process: peers (the fake FreeSWITCH, a fake caller) registered by host:port exchange complete
// SIP text; there is no UDP and no retransmission.
import { createServer, type Server, type Socket } from 'node:net';
import {
  first, formatSipText, hostPortOf, isResponse, methodOf, parseSipText, requestUri, statusOf, tagOf, token,
  uriOf, type SipText,
} from './sip-text.js';

export type SipPeer = (raw: string) => void;

interface ServerTransaction {
  readonly request: SipText;
  readonly peer: string;
  toTag: string | null;
}

interface ClientTransaction {
  readonly txnId: string;
  readonly request: SipText;
  readonly peer: string;
}

interface Dialog {
  readonly id: string;
  readonly callId: string;
  readonly peer: string;
  readonly local: string;
  readonly remote: string;
  readonly remoteTarget: string;
  cseq: number;
  readonly inviteCseq: number;
}

/** Every wire message the app and the fake exchanged, for tests that check the protocol itself. */
export interface WireRecord {
  readonly direction: 'to-app' | 'from-app';
  readonly text: string;
}

/** The time drachtio-server puts in a message's leader: UTC `HH:MM:SS.micro` (drachtio.cpp SipMsgData_t). */
function wireTime(now = Date.now()): string {
  const date = new Date(now);
  const two = (value: number): string => String(value).padStart(2, '0');
  return `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.`
    + `${String(date.getUTCMilliseconds() * 1000).padStart(6, '0')}`;
}

export class FakeDrachtioServer {
  readonly wire: WireRecord[] = [];
  /** Application socket(s) that authenticated and asked for INVITEs. */
  private readonly apps = new Set<Socket>();
  private readonly routes = new Map<Socket, Set<string>>();
  private readonly peers = new Map<string, SipPeer>();
  private readonly serverTxns = new Map<string, ServerTransaction>();
  private readonly clientTxns = new Map<string, ClientTransaction>();
  private readonly dialogs = new Map<string, Dialog>();
  private server: Server | null = null;
  readonly sipAddress: string;

  /** Delay before a 2xx to an INVITE is confirmed to the app: a busy server or a slow link (tests of races). */
  answerEchoDelayMs: number;
  /**
   * Holds the confirmation of a 2xx to an INVITE, and what follows it, until the caller's BYE, then
   * writes them all at once: one TCP read in the app holds the answer and the hangup (a race to test).
   */
  answerEchoCoalescedWithBye = false;
  private readonly held = new Map<Socket, string[]>();

  constructor(readonly secret: string, options: { sipAddress?: string; answerEchoDelayMs?: number } = {}) {
    this.sipAddress = options.sipAddress ?? '127.0.0.1:5060';
    this.answerEchoDelayMs = options.answerEchoDelayMs ?? 0;
  }

  async listen(): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  }

  /** Drops every app connection (as a restarted drachtio-server would); the app must reconnect. */
  dropConnections(): void {
    for (const socket of this.apps) socket.destroy();
  }

  get connectedApps(): number {
    return [...this.routes.values()].filter((verbs) => verbs.has('invite')).length;
  }

  async close(): Promise<void> {
    this.dropConnections();
    const server = this.server;
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A network element at `hostPort` that receives the SIP we send there. */
  addPeer(hostPort: string, peer: SipPeer): void {
    this.peers.set(hostPort, peer);
  }

  // ---- wire protocol toward the app ----

  private accept(socket: Socket): void {
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const hash = buffer.indexOf('#');
        if (hash <= 0) return;
        const length = Number(buffer.subarray(0, hash).toString());
        if (!Number.isInteger(length) || length <= 0) { socket.destroy(); return; }
        if (buffer.length < hash + 1 + length) return;
        const text = buffer.subarray(hash + 1, hash + 1 + length).toString('utf8');
        buffer = buffer.subarray(hash + 1 + length);
        this.wire.push({ direction: 'from-app', text });
        this.onAppMessage(socket, text);
      }
    });
    socket.on('close', () => { this.apps.delete(socket); this.routes.delete(socket); });
    socket.on('error', () => undefined);
  }

  private send(socket: Socket, text: string): void {
    const message = `${token(16)}|${text}`;
    this.wire.push({ direction: 'to-app', text: message });
    const framed = `${Buffer.byteLength(message)}#${message}`;
    const held = this.held.get(socket);
    if (held === undefined) {
      socket.write(framed);
      return;
    }
    held.push(framed);
    if (!/^sip\|network\|[^\r]*\r\nBYE /.test(text)) return;
    this.held.delete(socket);
    socket.write(held.join(''));
  }

  private respond(socket: Socket, rid: string, fields: string[], sip = ''): void {
    this.send(socket, `response|${rid}|${fields.join('|')}${sip === '' ? '' : `\r\n${sip}`}`);
  }

  private onAppMessage(socket: Socket, text: string): void {
    const crlf = text.indexOf('\r\n');
    const leader = crlf < 0 ? text : text.slice(0, crlf);
    const [rid = '', type = '', ...args] = leader.split('|');
    const authenticated = this.apps.has(socket);
    if (type === 'authenticate') {
      const ok = args[0] === this.secret;
      if (ok) { this.apps.add(socket); this.routes.set(socket, new Set()); }
      this.respond(socket, rid, ok ? ['OK', `udp/${this.sipAddress}`, 'v0.9.6-fake', `udp/${this.sipAddress}`] : ['NO', 'incorrect secret']);
      if (!ok) socket.end();
      return;
    }
    if (!authenticated) { socket.destroy(); return; }
    if (type === 'route') {
      this.routes.get(socket)?.add((args[0] ?? '').toLowerCase());
      this.respond(socket, rid, ['OK']);
    } else if (type === 'ping') {
      this.respond(socket, rid, ['OK', 'pong']);
    } else if (type === 'sip') {
      this.fromApp(socket, rid, args[0] ?? '', args[1] ?? '', parseSipText(text.slice(crlf + 2)));
    } else {
      this.respond(socket, rid, ['NO', `unknown command ${type}`]);
    }
  }

  /**
   * What drachtio-server answers a `sip` command with (sip-dialog-controller.cpp): `OK|application|<bytes>|
   * <proto>|<address>|<port>|<time>|` then, for a request, `<txn>|Msg sent:|`, for a response,
   * `<txn>|<dialog>||Msg sent:|`; then the message as sent.
   */
  private echo(socket: Socket, rid: string, sent: string, peer: string, txnId: string, dialogId: string | null): void {
    const [host = '', port = ''] = splitHostPort(peer);
    const ids = dialogId === null ? [txnId, 'Msg sent:', ''] : [txnId, dialogId, '', 'Msg sent:', ''];
    this.respond(socket, rid, ['OK', 'application', String(Buffer.byteLength(sent)), 'udp', host, port,
      wireTime(), ...ids], sent);
  }

  private toApp(raw: string, peer: string, txnId: string, dialogId: string): void {
    const socket = [...this.routes].find(([, verbs]) => verbs.has('invite'))?.[0] ?? [...this.apps][0];
    if (socket === undefined) return;
    const [host = '', port = ''] = splitHostPort(peer);
    // client.cpp: `<txn>|<dialog>|` in a dialog; outside one `<txn>||<received-on address>|<port>|`.
    const [localHost = '', localPort = ''] = splitHostPort(this.sipAddress);
    const ids = dialogId === '' ? `${txnId}||${localHost}|${localPort}|` : `${txnId}|${dialogId}|`;
    // The recorded server leaves the transport empty on a relayed ACK (it has no incoming transaction).
    const transport = raw.startsWith('ACK ') ? '' : 'udp';
    this.send(socket, `sip|network|${Buffer.byteLength(raw)}|${transport}|${host}|${port}|${wireTime()}|${ids}\r\n${raw}`);
  }

  private toPeer(peer: string, raw: string): void {
    const deliver = this.peers.get(peer);
    // Nothing answers there: a real server would time out; tell the app 408 as the stack would.
    if (deliver === undefined) {
      const request = parseSipText(raw);
      if (!isResponse(request) && methodOf(request) !== 'ACK') setImmediate(() => this.fromNetwork(peer, formatSipText(responseTo(request, 408, 'Request Timeout', null))));
      return;
    }
    setImmediate(() => deliver(raw));
  }

  // ---- the app sends SIP ----

  private fromApp(socket: Socket, rid: string, txnId: string, dialogId: string, message: SipText): void {
    if (isResponse(message)) {
      const txn = this.serverTxns.get(txnId);
      if (txn === undefined) { this.respond(socket, rid, ['NO', 'unknown transaction']); return; }
      this.sendResponse(socket, rid, txnId, txn, message);
    } else if (methodOf(message) === 'CANCEL') {
      this.sendCancel(socket, rid, txnId);
    } else if (dialogId !== '') {
      const dialog = this.dialogs.get(dialogId);
      if (dialog === undefined) { this.respond(socket, rid, ['NO', 'unable to find dialog']); return; }
      this.sendInDialog(socket, rid, dialog, message);
    } else {
      this.sendNewRequest(socket, rid, message);
    }
  }

  private sendResponse(socket: Socket, rid: string, txnId: string, txn: ServerTransaction, app: SipText): void {
    const status = statusOf(app);
    const method = methodOf(txn.request);
    if (txn.toTag === null && tagOf(first(txn.request, 'to')) === null) txn.toTag = token();
    const response = responseTo(txn.request, status, app.startLine.split(' ').slice(2).join(' '), txn.toTag);
    response.headers.set('contact', [`<sip:${this.sipAddress}>`]);
    for (const [name, values] of app.headers) if (!['via', 'from', 'to', 'call-id', 'cseq'].includes(name)) response.headers.set(name, values);
    response.body = app.body;
    let dialogId = '';
    const callId = first(txn.request, 'call-id') ?? '';
    if (method === 'INVITE' && status >= 200 && status < 300) {
      dialogId = `${callId};from-tag=${tagOf(first(txn.request, 'from')) ?? ''}`;
      this.dialogs.set(dialogId, {
        id: dialogId, callId, peer: txn.peer, local: first(response, 'to') ?? '', remote: first(txn.request, 'from') ?? '',
        remoteTarget: uriOf(first(txn.request, 'contact') ?? first(txn.request, 'from') ?? ''), cseq: 0,
        inviteCseq: Number((first(txn.request, 'cseq') ?? '1').split(/\s+/)[0]),
      });
    } else {
      dialogId = this.dialogByCallId(callId)?.id ?? '';
    }
    if (status >= 200) this.serverTxns.delete(txnId);
    if (method === 'BYE' && status >= 200) this.dialogs.delete(dialogId);
    const raw = formatSipText(response);
    this.toPeer(txn.peer, raw);
    if (method === 'INVITE' && status >= 200 && status < 300 && this.answerEchoCoalescedWithBye) this.held.set(socket, []);
    if (method === 'INVITE' && status >= 200 && status < 300 && this.answerEchoDelayMs > 0) {
      setTimeout(() => this.echo(socket, rid, raw, txn.peer, txnId, dialogId), this.answerEchoDelayMs);
    } else {
      this.echo(socket, rid, raw, txn.peer, txnId, dialogId);
    }
  }

  private sendNewRequest(socket: Socket, rid: string, app: SipText): void {
    const method = app.startLine.split(' ')[0] ?? '';
    const uri = requestUri(app);
    const request: SipText = { startLine: `${method} ${uri} SIP/2.0`, headers: new Map(), body: app.body };
    request.headers.set('via', [`SIP/2.0/UDP ${this.sipAddress};rport;branch=z9hG4bK${token()}`]);
    request.headers.set('max-forwards', ['70']);
    const from = first(app, 'from') ?? `<sip:drachtio@${this.sipAddress}>`;
    request.headers.set('from', [tagOf(from) === null ? `${from};tag=${token()}` : from]);
    request.headers.set('to', [first(app, 'to') ?? `<${uri}>`]);
    request.headers.set('call-id', [token(12)]);
    request.headers.set('cseq', [`1 ${method}`]);
    request.headers.set('contact', [`<sip:${this.sipAddress}>`]);
    for (const [name, values] of app.headers) if (!['via', 'from', 'to', 'call-id', 'cseq', 'max-forwards'].includes(name)) request.headers.set(name, values);
    this.startClientTransaction(socket, rid, request, hostPortOf(uri));
  }

  private sendInDialog(socket: Socket, rid: string, dialog: Dialog, app: SipText): void {
    const method = app.startLine.split(' ')[0] ?? '';
    const request: SipText = { startLine: `${method} ${dialog.remoteTarget} SIP/2.0`, headers: new Map(), body: app.body };
    request.headers.set('via', [`SIP/2.0/UDP ${this.sipAddress};rport;branch=z9hG4bK${token()}`]);
    request.headers.set('max-forwards', ['70']);
    request.headers.set('from', [dialog.local]);
    request.headers.set('to', [dialog.remote]);
    request.headers.set('call-id', [dialog.callId]);
    if (method === 'ACK') request.headers.set('cseq', [`${dialog.inviteCseq} ACK`]);
    else { dialog.cseq = Math.max(dialog.cseq, dialog.inviteCseq) + 1; request.headers.set('cseq', [`${dialog.cseq} ${method}`]); }
    for (const [name, values] of app.headers) if (!['via', 'from', 'to', 'call-id', 'cseq', 'max-forwards'].includes(name)) request.headers.set(name, values);
    if (method === 'ACK') {
      const raw = formatSipText(request);
      this.echo(socket, rid, raw, dialog.peer, token(8), null);
      this.toPeer(dialog.peer, raw);
      return;
    }
    this.startClientTransaction(socket, rid, request, dialog.peer);
  }

  private startClientTransaction(socket: Socket, rid: string, request: SipText, peer: string): void {
    const txnId = token(8);
    const branch = /branch=([^;\s]+)/.exec(first(request, 'via') ?? '')?.[1] ?? '';
    this.clientTxns.set(`${branch} ${methodOf(request)}`, { txnId, request, peer });
    const raw = formatSipText(request);
    this.echo(socket, rid, raw, peer, txnId, null);
    this.toPeer(peer, raw);
  }

  /** CANCEL of a pending INVITE (the app names the INVITE's transaction): same Via, Call-ID, From, To, CSeq number. */
  private sendCancel(socket: Socket, rid: string, inviteTxnId: string): void {
    const invite = [...this.clientTxns.values()].find((txn) => txn.txnId === inviteTxnId && methodOf(txn.request) === 'INVITE');
    if (invite === undefined) { this.respond(socket, rid, ['NO', 'unknown transaction']); return; }
    const cancel: SipText = { startLine: `CANCEL ${requestUri(invite.request)} SIP/2.0`, headers: new Map(), body: '' };
    for (const name of ['via', 'from', 'to', 'call-id']) cancel.headers.set(name, [first(invite.request, name) ?? '']);
    cancel.headers.set('max-forwards', ['70']);
    cancel.headers.set('cseq', [`${(first(invite.request, 'cseq') ?? '1').split(/\s+/)[0] ?? '1'} CANCEL`]);
    const txnId = token(8);
    const branch = /branch=([^;\s]+)/.exec(first(cancel, 'via') ?? '')?.[1] ?? '';
    this.clientTxns.set(`${branch} CANCEL`, { txnId, request: cancel, peer: invite.peer });
    const raw = formatSipText(cancel);
    this.echo(socket, rid, raw, invite.peer, txnId, null);
    this.toPeer(invite.peer, raw);
  }

  private dialogByCallId(callId: string): Dialog | undefined {
    return [...this.dialogs.values()].find((dialog) => dialog.callId === callId);
  }

  // ---- the network sends SIP ----

  /** A SIP message arriving from the network element at `peer` (host:port). */
  fromNetwork(peer: string, raw: string): void {
    const message = parseSipText(raw);
    const callId = first(message, 'call-id') ?? '';
    if (isResponse(message)) {
      const branch = /branch=([^;\s]+)/.exec(first(message, 'via') ?? '')?.[1] ?? '';
      const key = `${branch} ${methodOf(message)}`;
      const txn = this.clientTxns.get(key);
      if (txn === undefined) return;
      const status = statusOf(message);
      const method = methodOf(txn.request);
      // The recorded server relays every response to the app's INVITE (the 180 too) with the dialog id
      // it will have: `<call-id>;from-tag=<our tag>`.
      const dialogId = method === 'INVITE' ? `${callId};from-tag=${tagOf(first(txn.request, 'from')) ?? ''}`
        : this.dialogByCallId(callId)?.id ?? '';
      if (method === 'INVITE' && status >= 200 && status < 300) {
        this.dialogs.set(dialogId, {
          id: dialogId, callId, peer: txn.peer, local: first(txn.request, 'from') ?? '', remote: first(message, 'to') ?? '',
          remoteTarget: uriOf(first(message, 'contact') ?? requestUri(txn.request)), cseq: 1, inviteCseq: 1,
        });
      }
      if (method === 'INVITE' && status >= 300) this.toPeer(txn.peer, formatSipText(ackFor(txn.request, message)));
      if (status >= 200) this.clientTxns.delete(key);
      if (method === 'BYE' && status >= 200) this.dialogs.delete(dialogId);
      if (status === 100) return;
      this.toApp(raw, peer, txn.txnId, dialogId);
      return;
    }
    const method = methodOf(message);
    const dialog = tagOf(first(message, 'to')) === null ? undefined : this.dialogByCallId(callId);
    if (method === 'ACK') {
      if (dialog !== undefined) this.toApp(raw, peer, token(8), dialog.id);
      return;
    }
    if (tagOf(first(message, 'to')) !== null && dialog === undefined) {
      this.toPeer(peer, formatSipText(responseTo(message, 481, 'Call/Transaction Does Not Exist', null)));
      return;
    }
    const txnId = token(8);
    this.serverTxns.set(txnId, { request: message, peer, toTag: null });
    if (method === 'INVITE') this.toPeer(peer, formatSipText(responseTo(message, 100, 'Trying', null)));
    this.toApp(raw, peer, txnId, dialog?.id ?? '');
  }
}

function splitHostPort(hostPort: string): [string, string] {
  const colon = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, colon), hostPort.slice(colon + 1)];
}

/** A response to `request` with its Via, From, To (+ tag), Call-ID and CSeq. */
export function responseTo(request: SipText, status: number, reason: string, toTag: string | null): SipText {
  const response: SipText = { startLine: `SIP/2.0 ${status} ${reason}`, headers: new Map(), body: '' };
  for (const name of ['via', 'from', 'to', 'call-id', 'cseq']) response.headers.set(name, [...(request.headers.get(name) ?? [])]);
  const to = first(request, 'to') ?? '';
  if (toTag !== null && tagOf(to) === null && status > 100) response.headers.set('to', [`${to};tag=${toTag}`]);
  return response;
}

function ackFor(request: SipText, response: SipText): SipText {
  const ack: SipText = { startLine: `ACK ${requestUri(request)} SIP/2.0`, headers: new Map(), body: '' };
  ack.headers.set('via', [first(request, 'via') ?? '']);
  ack.headers.set('from', [first(request, 'from') ?? '']);
  ack.headers.set('to', [first(response, 'to') ?? '']);
  ack.headers.set('call-id', [first(request, 'call-id') ?? '']);
  ack.headers.set('cseq', [`${(first(request, 'cseq') ?? '1').split(/\s+/)[0]} ACK`]);
  return ack;
}
