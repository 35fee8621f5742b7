// A dialog created by an INVITE we answered (RFC 3261 §12.1.1): identified by Call-ID and both tags;
// the route set is the INVITE's Record-Route in order, the remote target its Contact. Requests we
// send inside it (BYE) follow the route set; their CSeq grows from a random start.
import { randomBytes, randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import { assert } from '../errors.js';
import { cseqSequenceMax, parseCSeq, parseNameAddr, parseSipUri, splitCommaList } from './header-values.js';
import { headerValue, headerValues, type SipHeader, type SipRequest, type SipResponse } from './message.js';
import type { Peer, TransportName } from './transport.js';

export interface Dialog {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  /** Our side as the far end addressed us: the INVITE's To, plus our tag. */
  readonly localParty: string;
  /** The INVITE's From, with its tag. */
  readonly remoteParty: string;
  remoteTarget: string;
  readonly routeSet: readonly string[];
  localSequence: number;
  remoteSequence: number;
  /** Where the INVITE came from: the fallback next hop when a URI is not an IP literal (no DNS here). */
  readonly source: Peer;
}

export function newTag(): string {
  return randomBytes(8).toString('hex');
}

export function dialogKey(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}\u0000${localTag}\u0000${remoteTag}`;
}

export function tagOf(value: string | undefined): string | null {
  if (value === undefined) return null;
  const tag = parseNameAddr(value)?.params.get('tag');
  return tag === undefined || tag === null ? null : tag;
}

export function createUasDialog(request: SipRequest, localTag: string, source: Peer): Dialog {
  const remoteTag = tagOf(headerValue(request, 'From'));
  const cseq = parseCSeq(headerValue(request, 'CSeq') ?? '');
  assert(remoteTag !== null && cseq !== null, 'a parsed INVITE has a From tag and a CSeq');
  const contact = parseNameAddr(splitCommaList(headerValue(request, 'Contact') ?? '')[0] ?? '');
  return {
    callId: headerValue(request, 'Call-ID') ?? '',
    localTag,
    remoteTag,
    localParty: `${headerValue(request, 'To') ?? ''};tag=${localTag}`,
    remoteParty: headerValue(request, 'From') ?? '',
    remoteTarget: contact?.uri ?? request.uri,
    routeSet: headerValues(request, 'Record-Route').flatMap(splitCommaList),
    localSequence: randomInt(1, 2 ** 20),
    remoteSequence: cseq.sequence,
    source,
  };
}

export interface InDialogRequestOptions {
  readonly method: string;
  readonly via: string;
  readonly headers?: readonly SipHeader[];
  readonly body?: Buffer;
}

export function buildInDialogRequest(dialog: Dialog, options: InDialogRequestOptions): SipRequest {
  dialog.localSequence = dialog.localSequence >= cseqSequenceMax ? 1 : dialog.localSequence + 1;
  const headers: SipHeader[] = [
    { name: 'Via', value: options.via },
    { name: 'Max-Forwards', value: '70' },
    ...dialog.routeSet.map((value) => ({ name: 'Route', value })),
    { name: 'From', value: dialog.localParty },
    { name: 'To', value: dialog.remoteParty },
    { name: 'Call-ID', value: dialog.callId },
    { name: 'CSeq', value: `${dialog.localSequence} ${options.method}` },
    ...(options.headers ?? []),
  ];
  return { kind: 'request', method: options.method, uri: dialog.remoteTarget, headers, body: options.body ?? Buffer.alloc(0) };
}

/** First Route if any, else the remote target; IP literals only (no RFC 3263 DNS), else the INVITE's source. */
export function nextHop(dialog: Dialog): Peer {
  const first = dialog.routeSet[0];
  const uriText = first === undefined ? dialog.remoteTarget : parseNameAddr(first)?.uri ?? '';
  const uri = parseSipUri(uriText);
  if (uri === null || uri.scheme === 'tel' || isIP(uri.host.replace(/^\[|\]$/g, '')) === 0) return dialog.source;
  const transportParam = uri.params.get('transport')?.toLowerCase();
  const transport: TransportName = transportParam === 'tcp' ? 'tcp' : transportParam === 'udp' ? 'udp' : dialog.source.transport;
  return { transport, address: uri.host.replace(/^\[|\]$/g, ''), port: uri.port ?? 5060 };
}

/** A dialog created by our INVITE and its 2xx (RFC 3261 §12.1.2): route set is the 2xx's Record-Route reversed. */
export function createUacDialog(invite: SipRequest, response: SipResponse, destination: Peer): Dialog | null {
  const localTag = tagOf(headerValue(invite, 'From'));
  const remoteTag = tagOf(headerValue(response, 'To'));
  const cseq = parseCSeq(headerValue(invite, 'CSeq') ?? '');
  const contact = parseNameAddr(splitCommaList(headerValue(response, 'Contact') ?? '')[0] ?? '');
  if (localTag === null || remoteTag === null || cseq === null || contact === null) return null;
  return {
    callId: headerValue(invite, 'Call-ID') ?? '',
    localTag,
    remoteTag,
    localParty: headerValue(invite, 'From') ?? '',
    remoteParty: headerValue(response, 'To') ?? '',
    remoteTarget: contact.uri,
    routeSet: headerValues(response, 'Record-Route').flatMap(splitCommaList).reverse(),
    localSequence: cseq.sequence,
    remoteSequence: 0,
    source: destination,
  };
}
