// Answers that belong to no transaction: malformed messages (400/413 with a Warning saying why, or
// dropped when nothing to answer can be salvaged) and requests we do not serve statefully. Counted,
// so the endpoint's stats show how much junk arrives.
import { newTag, tagOf } from './dialog.js';
import { headerValue, type SipHeader } from './message.js';
import { parseSipMessage, type Salvage } from './parser.js';
import { buildResponse, responseTarget, type ResponseOptions } from './response.js';
import { serializeSipMessage } from './serializer.js';
import type { Peer } from './transport.js';

export class StatelessResponder {
  readonly counters = { malformedAnswered: 0, malformedDropped: 0 };

  constructor(private readonly send: (peer: Peer, data: Buffer) => void) {}

  /** A stream frame the transport could not delimit (too large, bad Content-Length): answer from its head. */
  receiveUnframeable(head: Buffer, reason: string, source: Peer): void {
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) {
      this.counters.malformedDropped += 1;
      return;
    }
    const parsed = parseSipMessage(head.subarray(0, end + 4), { contentLengthRequired: false });
    const salvage = parsed.ok
      ? (parsed.message.kind === 'request' ? { method: parsed.message.method, headers: parsed.message.headers } : null)
      : parsed.salvage;
    this.answerMalformed(salvage, source, reason.includes('large') ? 413 : 400, reason);
  }

  /** A request we could salvage headers from gets its error; responses and ACKs are never answered. */
  answerMalformed(salvage: Salvage | null, source: Peer, status: number, reason: string): void {
    if (salvage === null || salvage.method === 'ACK') {
      this.counters.malformedDropped += 1;
      return;
    }
    this.counters.malformedAnswered += 1;
    this.respond(salvage, source, {
      status, headers: [{ name: 'Warning', value: `399 delegate-network "${reason.replace(/"/g, '')}"` }],
      reason: `${status === 400 ? 'Bad Request' : status === 413 ? 'Request Entity Too Large' : 'Error'} (${reason})`,
    });
  }

  respond(request: { headers: readonly SipHeader[] }, source: Peer, options: ResponseOptions): void {
    const toTag = tagOf(headerValue(request, 'To')) === null ? newTag() : undefined;
    const response = buildResponse(request, source, { ...options, ...(toTag === undefined ? {} : { toTag }) });
    this.send(responseTarget(request, source), serializeSipMessage(response));
  }
}
