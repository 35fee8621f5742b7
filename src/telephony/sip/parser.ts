// A strict SIP message parser (RFC 3261 §7, §25). No npm SIP parser was both maintained and strict
// about limits, so this one enforces ours: message size, header count, header line length, UTF-8,
// no bare CR/LF, single-valued headers, Content-Length. It never throws on input: it returns either
// the message or the reason it failed, plus the headers needed to answer 400 when they are intact.
import { SipParseError } from '../errors.js';
import { parseCSeq, parseNameAddr, parseVia, splitCommaList } from './header-values.js';
import { headerCountMax, headerLineBytesMax, messageBytesMax, startLineBytesMax } from './limits.js';
import { canonicalHeaderName, headerValue, headerValues, type SipHeader, type SipMessage } from './message.js';

/** Headers that carry one value; two different values make the message ambiguous (RFC 3261 §7.3). */
const singleValuedHeaders = ['From', 'To', 'Call-ID', 'CSeq', 'Max-Forwards', 'Content-Length', 'Content-Type'];
const requestLinePattern = /^([A-Za-z0-9.!%*_+`'~-]+) (\S+) (SIP\/\d+\.\d+)$/;
const statusLinePattern = /^(SIP\/\d+\.\d+) ([1-6]\d\d) ([^\r\n]*)$/;
const headerNamePattern = /^[A-Za-z0-9.!%*_+`'~-]+$/;
const uriSchemePattern = /^(sips?|tel):[^\s]+$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const headEnd = Buffer.from('\r\n\r\n');

/** What the endpoint needs to answer a broken request: the headers a response copies. */
export interface Salvage {
  readonly method: string;
  readonly headers: readonly SipHeader[];
}

export type ParseResult =
  | { readonly ok: true; readonly message: SipMessage }
  | { readonly ok: false; readonly error: SipParseError; readonly salvage: Salvage | null };

export interface ParseOptions {
  /** Stream transports frame by Content-Length, so it must be present (RFC 3261 §18.3). */
  readonly contentLengthRequired: boolean;
}

export function parseSipMessage(data: Buffer, options: ParseOptions): ParseResult {
  if (data.length > messageBytesMax) return failure(new SipParseError('message too large', 413), null);
  const headLength = data.indexOf(headEnd);
  if (headLength < 0) return failure(new SipParseError('no empty line after the headers'), null);
  let head: string;
  try {
    head = utf8.decode(data.subarray(0, headLength));
  } catch {
    return failure(new SipParseError('headers are not valid UTF-8'), null);
  }
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(head)) return failure(new SipParseError('control character in headers'), null);
  const lines = head.split('\r\n');
  if (lines.some((line) => line.includes('\r') || line.includes('\n'))) {
    return failure(new SipParseError('bare CR or LF in headers'), null);
  }
  const startLine = lines[0] ?? '';
  const { headers, error: headerError } = parseHeaderLines(lines.slice(1));
  const salvage = salvageOf(startLine, headers);
  const start = parseStartLine(startLine);
  if (start instanceof SipParseError) return failure(start, salvage);
  if (headerError !== null) return failure(headerError, salvage);
  const checked = checkHeaders(start, headers);
  if (checked !== null) return failure(checked, salvage);
  const body = readBody(data.subarray(headLength + headEnd.length), headers, options);
  if (body instanceof SipParseError) return failure(body, salvage);
  const message: SipMessage = start.kind === 'request'
    ? { kind: 'request', method: start.method, uri: start.uri, headers, body }
    : { kind: 'response', status: start.status, reason: start.reason, headers, body };
  return { ok: true, message };
}

function failure(error: SipParseError, salvage: Salvage | null): ParseResult {
  return { ok: false, error, salvage };
}

/**
 * Unfolds and splits header lines. A line that breaks a limit or the grammar makes the message fail,
 * but the other headers are still returned so the request can be answered with 400.
 */
function parseHeaderLines(lines: readonly string[]): { headers: SipHeader[]; error: SipParseError | null } {
  const unfolded: string[] = [];
  let error: SipParseError | null = null;
  for (const line of lines) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      // RFC 3261 §7.3.1 line folding: a continuation joins the previous header with one space.
      const previous = unfolded.pop();
      if (previous === undefined) error ??= new SipParseError('continuation line before any header');
      else unfolded.push(`${previous} ${line.trim()}`);
    } else unfolded.push(line);
  }
  if (unfolded.length > headerCountMax) error ??= new SipParseError('too many headers');
  const headers: SipHeader[] = [];
  for (const line of unfolded.slice(0, headerCountMax)) {
    if (Buffer.byteLength(line) > headerLineBytesMax) {
      error ??= new SipParseError('header line too long');
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon <= 0 ? '' : line.slice(0, colon).trim();
    if (!headerNamePattern.test(name)) {
      error ??= new SipParseError(colon <= 0 ? 'header line without a name and colon' : 'invalid header name');
      continue;
    }
    headers.push({ name: canonicalHeaderName(name), value: line.slice(colon + 1).trim() });
  }
  return { headers, error };
}

type StartLine =
  | { kind: 'request'; method: string; uri: string }
  | { kind: 'response'; status: number; reason: string };

function parseStartLine(line: string): StartLine | SipParseError {
  if (Buffer.byteLength(line) > startLineBytesMax) return new SipParseError('start line too long', 414);
  const request = requestLinePattern.exec(line);
  if (request !== null) {
    if (request[3] !== 'SIP/2.0') return new SipParseError('only SIP/2.0 is supported', 505);
    const uri = request[2] ?? '';
    if (!uriSchemePattern.test(uri)) return new SipParseError('Request-URI must be a sip:, sips: or tel: URI');
    return { kind: 'request', method: request[1] ?? '', uri };
  }
  const status = statusLinePattern.exec(line);
  if (status !== null) {
    if (status[1] !== 'SIP/2.0') return new SipParseError('only SIP/2.0 is supported', 505);
    return { kind: 'response', status: Number(status[2]), reason: status[3] ?? '' };
  }
  return new SipParseError('malformed start line');
}

/** The headers a response must copy are all present and readable: enough to send 400 back. */
function salvageOf(startLine: string, headers: readonly SipHeader[]): Salvage | null {
  if (startLine.startsWith('SIP/')) return null; // never answer a response
  const message = { headers };
  const via = headerValues(message, 'Via').flatMap(splitCommaList);
  const cseq = parseCSeq(headerValue(message, 'CSeq') ?? '');
  const callId = headerValue(message, 'Call-ID');
  const from = headerValue(message, 'From');
  const to = headerValue(message, 'To');
  if (via.length === 0 || via.some((value) => parseVia(value) === null)) return null;
  if (cseq === null || callId === undefined || callId.length === 0) return null;
  if (from === undefined || to === undefined) return null;
  if (parseNameAddr(from) === null || parseNameAddr(to) === null) return null;
  return { method: cseq.method, headers };
}

function checkHeaders(start: StartLine, headers: readonly SipHeader[]): SipParseError | null {
  const message = { headers };
  for (const name of singleValuedHeaders) {
    if (new Set(headerValues(message, name)).size > 1) return new SipParseError(`more than one ${name} header`);
  }
  const required = ['Via', 'From', 'To', 'Call-ID', 'CSeq'];
  if (start.kind === 'request') required.push('Max-Forwards');
  for (const name of required) {
    if (headerValue(message, name) === undefined) return new SipParseError(`missing ${name} header`);
  }
  const vias = headerValues(message, 'Via').flatMap(splitCommaList);
  if (vias.length === 0 || vias.some((value) => parseVia(value) === null)) return new SipParseError('malformed Via header');
  const cseq = parseCSeq(headerValue(message, 'CSeq') ?? '');
  if (cseq === null) return new SipParseError('malformed CSeq header');
  if (start.kind === 'request' && cseq.method !== start.method) return new SipParseError('CSeq method differs from the request method');
  const from = parseNameAddr(headerValue(message, 'From') ?? '');
  const to = parseNameAddr(headerValue(message, 'To') ?? '');
  if (from === null) return new SipParseError('malformed From header');
  if (to === null) return new SipParseError('malformed To header');
  if (start.kind === 'request' && !from.params.has('tag')) return new SipParseError('From header has no tag');
  if ((headerValue(message, 'Call-ID') ?? '').length === 0) return new SipParseError('empty Call-ID header');
  const maxForwards = headerValue(message, 'Max-Forwards');
  if (maxForwards !== undefined && !/^\d{1,3}$/.test(maxForwards)) return new SipParseError('malformed Max-Forwards header');
  return null;
}

function readBody(rest: Buffer, headers: readonly SipHeader[], options: ParseOptions): Buffer | SipParseError {
  const declared = headerValue({ headers }, 'Content-Length');
  if (declared === undefined) {
    if (options.contentLengthRequired) return new SipParseError('missing Content-Length header');
    return rest;
  }
  if (!/^\d{1,10}$/.test(declared)) return new SipParseError('malformed Content-Length header');
  const length = Number(declared);
  if (length > messageBytesMax) return new SipParseError('Content-Length too large', 413);
  if (rest.length < length) return new SipParseError('body shorter than Content-Length');
  // RFC 3261 §18.3: bytes beyond Content-Length in a datagram are discarded.
  return rest.subarray(0, length);
}

/**
 * For stream transports: the length of the first complete message in `buffer`, 0 when more bytes are
 * needed, or an error when the stream can no longer be framed (the connection must then be closed).
 */
export function frameLength(buffer: Buffer): number | SipParseError {
  // The caller strips RFC 5626 CRLF keep-alives first, so the buffer starts with a start line.
  const offset = 0;
  const headLength = buffer.indexOf(headEnd, offset);
  if (headLength < 0) {
    if (buffer.length - offset > messageBytesMax) return new SipParseError('headers too large', 413);
    return 0;
  }
  const head = buffer.subarray(offset, headLength).toString('latin1');
  const match = /\r\n(?:Content-Length|l)[ \t]*:[ \t]*(\d{1,10})[ \t]*(?=\r\n|$)/i.exec(head);
  if (match === null) return new SipParseError('missing Content-Length header');
  const total = headLength + headEnd.length + Number(match[1]);
  if (total - offset > messageBytesMax) return new SipParseError('message too large', 413);
  return buffer.length >= total ? total : 0;
}
