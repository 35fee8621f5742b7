// The SIP message model: a start line, an ordered header list (names in canonical form, values as
// received) and a body. Header values are parsed on demand by sip/header-values.ts.

export interface SipHeader {
  readonly name: string;
  readonly value: string;
}

export interface SipRequest {
  readonly kind: 'request';
  readonly method: string;
  readonly uri: string;
  readonly headers: readonly SipHeader[];
  readonly body: Buffer;
}

export interface SipResponse {
  readonly kind: 'response';
  readonly status: number;
  readonly reason: string;
  readonly headers: readonly SipHeader[];
  readonly body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;

/** RFC 3261 §7.3.3 compact forms (and RFC 8224's `y` for Identity), plus canonical spelling of the headers
 * we read or write. */
const compactForms: Readonly<Record<string, string>> = {
  i: 'Call-ID', m: 'Contact', e: 'Content-Encoding', l: 'Content-Length', c: 'Content-Type',
  f: 'From', s: 'Subject', k: 'Supported', t: 'To', v: 'Via', y: 'Identity',
};

const canonicalNames: ReadonlyMap<string, string> = new Map([
  'Via', 'From', 'To', 'Call-ID', 'CSeq', 'Contact', 'Max-Forwards', 'Content-Length', 'Content-Type',
  'Record-Route', 'Route', 'Allow', 'Accept', 'Supported', 'Require', 'Unsupported', 'User-Agent',
  'Server', 'Identity', 'P-Asserted-Identity', 'Warning', 'Retry-After', 'Reason', 'Subject',
  'Content-Encoding', 'Expires', 'Proxy-Require',
].map((name) => [name.toLowerCase(), name]));

export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  const expanded = compactForms[lower];
  if (expanded !== undefined) return expanded;
  return canonicalNames.get(lower) ?? name;
}

/** First value of a header, or undefined. Names compare case-insensitively (RFC 3261 §7.3.1). */
export function headerValue(message: { headers: readonly SipHeader[] }, name: string): string | undefined {
  const wanted = canonicalHeaderName(name).toLowerCase();
  for (const header of message.headers) if (header.name.toLowerCase() === wanted) return header.value;
  return undefined;
}

export function headerValues(message: { headers: readonly SipHeader[] }, name: string): string[] {
  const wanted = canonicalHeaderName(name).toLowerCase();
  return message.headers.filter((header) => header.name.toLowerCase() === wanted).map((header) => header.value);
}

/** The SIP methods RFC 3261 and its extensions define; unknown ones get 501, these get 405 if unsupported. */
export const knownMethods: ReadonlySet<string> = new Set([
  'INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH',
  'INFO', 'REFER', 'MESSAGE', 'UPDATE',
]);

export const supportedMethods: readonly string[] = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS'];

export const reasonPhrases: Readonly<Record<number, string>> = {
  100: 'Trying', 180: 'Ringing', 200: 'OK', 400: 'Bad Request', 405: 'Method Not Allowed',
  408: 'Request Timeout', 413: 'Request Entity Too Large', 414: 'Request-URI Too Long',
  415: 'Unsupported Media Type', 420: 'Bad Extension', 481: 'Call/Transaction Does Not Exist',
  483: 'Too Many Hops', 487: 'Request Terminated', 488: 'Not Acceptable Here', 500: 'Server Internal Error',
  501: 'Not Implemented', 503: 'Service Unavailable', 505: 'Version Not Supported',
};
