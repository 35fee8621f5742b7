// Responses to requests (RFC 3261 §8.2.6, §18.2.2) and where to send them. The top Via gets
// `received` when the packet came from elsewhere than its sent-by, and `rport` filled in (RFC 3581),
// so responses find their way back through NAT and trunks.
import { formatVia, parseVia, splitCommaList } from './header-values.js';
import { headerValue, headerValues, reasonPhrases, type SipHeader, type SipResponse } from './message.js';
import type { Peer } from './transport.js';

export const serverName = 'delegate-network';

export interface ResponseOptions {
  readonly status: number;
  readonly reason?: string;
  /** Our tag for To, added when the request's To has none (every response but 100). */
  readonly toTag?: string;
  readonly headers?: readonly SipHeader[];
  /** Record-Route is copied into responses that create or refresh a dialog. */
  readonly copyRecordRoute?: boolean;
  readonly body?: Buffer;
  readonly contentType?: string;
}

export function buildResponse(
  request: { headers: readonly SipHeader[] }, source: Peer, options: ResponseOptions,
): SipResponse {
  const headers: SipHeader[] = [];
  const vias = headerValues(request, 'Via').flatMap(splitCommaList);
  vias.forEach((value, index) => headers.push({ name: 'Via', value: index === 0 ? stampVia(value, source) : value }));
  if (options.copyRecordRoute === true) {
    for (const value of headerValues(request, 'Record-Route')) headers.push({ name: 'Record-Route', value });
  }
  headers.push({ name: 'From', value: headerValue(request, 'From') ?? '' });
  let to = headerValue(request, 'To') ?? '';
  if (options.toTag !== undefined && options.status > 100 && !/;\s*tag=/i.test(to)) to = `${to};tag=${options.toTag}`;
  headers.push({ name: 'To', value: to });
  headers.push({ name: 'Call-ID', value: headerValue(request, 'Call-ID') ?? '' });
  headers.push({ name: 'CSeq', value: headerValue(request, 'CSeq') ?? '' });
  headers.push({ name: 'Server', value: serverName });
  headers.push(...(options.headers ?? []));
  const body = options.body ?? Buffer.alloc(0);
  if (body.length > 0) headers.push({ name: 'Content-Type', value: options.contentType ?? 'application/sdp' });
  return {
    kind: 'response', status: options.status, reason: options.reason ?? reasonPhrases[options.status] ?? 'Unknown', headers, body,
  };
}

function stampVia(value: string, source: Peer): string {
  const via = parseVia(value);
  if (via === null) return value;
  const params = new Map(via.params);
  if (via.host !== source.address) params.set('received', source.address);
  if (params.has('rport')) {
    params.set('received', source.address);
    params.set('rport', String(source.port));
  }
  return formatVia({ ...via, params });
}

/** RFC 3261 §18.2.2 with RFC 3581: TCP answers on the connection; UDP to the source address, and to
 * the source port when the client asked for rport, else to its sent-by port. */
export function responseTarget(request: { headers: readonly SipHeader[] }, source: Peer): Peer {
  if (source.transport === 'tcp') return source;
  const top = parseVia(splitCommaList(headerValue(request, 'Via') ?? '')[0] ?? '');
  if (top === null || top.params.has('rport')) return source;
  return { ...source, port: top.port ?? 5060 };
}
