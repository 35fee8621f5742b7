// Parsers for the header values the endpoint reads: Via, name-addr (From/To/Contact/Route), CSeq and
// SIP URIs. Each returns null for a value it cannot read, so callers decide between 400 and ignoring.

export type Parameters = Map<string, string | null>;

const tokenPattern = /^[A-Za-z0-9.!%*_+`'~-]+$/;
const hostPattern = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)$/;

export function isToken(text: string): boolean {
  return tokenPattern.test(text);
}

/** Splits a header value on commas that are outside quotes and angle brackets (RFC 3261 §7.3.1). */
export function splitCommaList(value: string): string[] {
  const parts: string[] = [];
  let depthAngle = 0;
  let quoted = false;
  let start = 0;
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index];
    if (quoted) {
      if (char === '\\') index += 1;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === '<') depthAngle += 1;
    else if (char === '>') depthAngle = Math.max(0, depthAngle - 1);
    else if (char === ',' && depthAngle === 0) {
      parts.push(value.slice(start, index).trim());
      start = index + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts.filter((part) => part.length > 0);
}

/** `;a=b;c` → Map{a: 'b', c: null}; names lower-cased; null when a name is not a token. */
export function parseParameters(text: string): Parameters | null {
  const parameters: Parameters = new Map();
  if (text.trim() === '') return parameters;
  if (!text.trimStart().startsWith(';')) return null;
  for (const raw of text.trim().slice(1).split(';')) {
    const part = raw.trim();
    const equals = part.indexOf('=');
    const name = (equals < 0 ? part : part.slice(0, equals)).trim().toLowerCase();
    if (!isToken(name)) return null;
    const value = equals < 0 ? null : part.slice(equals + 1).trim();
    if (value !== null && value.length === 0) return null;
    parameters.set(name, value);
  }
  return parameters;
}

export interface Via {
  readonly transport: string;
  readonly host: string;
  readonly port: number | null;
  readonly params: Parameters;
}

export const branchMagicCookie = 'z9hG4bK';

/** One via-parm: `SIP/2.0/UDP host[:port];params`. */
export function parseVia(value: string): Via | null {
  const match = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+([^;\s]+)\s*(;.*)?$/.exec(value.trim());
  if (match === null) return null;
  const sentBy = parseHostPort(match[2] ?? '');
  const params = parseParameters(match[3] ?? '');
  if (sentBy === null || params === null) return null;
  return { transport: (match[1] ?? '').toUpperCase(), host: sentBy.host, port: sentBy.port, params };
}

export function formatVia(via: Via): string {
  const port = via.port === null ? '' : `:${via.port}`;
  return `SIP/2.0/${via.transport} ${via.host}${port}${formatParameters(via.params)}`;
}

export function formatParameters(params: Parameters): string {
  let text = '';
  for (const [name, value] of params) text += value === null ? `;${name}` : `;${name}=${value}`;
  return text;
}

export function parseHostPort(text: string): { host: string; port: number | null } | null {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(text);
  if (match === null) return null;
  const port = match[2] === undefined ? null : Number(match[2]);
  if (port !== null && (port < 1 || port > 65535)) return null;
  return { host: match[1] ?? '', port };
}

export interface NameAddr {
  readonly display: string | null;
  readonly uri: string;
  readonly params: Parameters;
}

/** name-addr or addr-spec with header parameters (From, To, Contact, Route, Record-Route, PAI). */
export function parseNameAddr(value: string): NameAddr | null {
  const text = value.trim();
  const open = text.indexOf('<');
  if (open >= 0) {
    const close = text.indexOf('>', open);
    if (close < 0) return null;
    const display = text.slice(0, open).trim().replace(/^"(.*)"$/, '$1');
    const uri = text.slice(open + 1, close).trim();
    const params = parseParameters(text.slice(close + 1));
    if (uri.length === 0 || /\s/.test(uri) || params === null) return null;
    return { display: display.length > 0 ? display : null, uri, params };
  }
  // addr-spec: any ';' belongs to the header, not the URI (RFC 3261 §20.10).
  const semicolon = text.indexOf(';');
  const uri = semicolon < 0 ? text : text.slice(0, semicolon);
  const params = parseParameters(semicolon < 0 ? '' : text.slice(semicolon));
  if (uri.length === 0 || /[\s<>"]/.test(uri) || params === null) return null;
  return { display: null, uri, params };
}

export function formatNameAddr(nameAddr: NameAddr): string {
  const display = nameAddr.display === null ? '' : `"${nameAddr.display.replace(/["\\]/g, '')}" `;
  return `${display}<${nameAddr.uri}>${formatParameters(nameAddr.params)}`;
}

export interface CSeq {
  readonly sequence: number;
  readonly method: string;
}

export const cseqSequenceMax = 2 ** 31 - 1;

export function parseCSeq(value: string): CSeq | null {
  const match = /^(\d{1,10})\s+([A-Za-z0-9.!%*_+`'~-]+)$/.exec(value.trim());
  if (match === null) return null;
  const sequence = Number(match[1]);
  if (sequence > cseqSequenceMax) return null;
  return { sequence, method: match[2] ?? '' };
}

export interface SipUri {
  readonly scheme: 'sip' | 'sips' | 'tel';
  readonly user: string | null;
  readonly host: string;
  readonly port: number | null;
  readonly params: Parameters;
}

export function parseSipUri(uri: string): SipUri | null {
  const tel = /^tel:([^;]+)(;.*)?$/i.exec(uri);
  if (tel !== null) {
    const params = parseParameters(tel[2] ?? '');
    if (params === null) return null;
    return { scheme: 'tel', user: tel[1] ?? '', host: '', port: null, params };
  }
  const match = /^(sips?):(?:([^@?]+)@)?([^;?@]+?)(;[^?@]*)?(\?.*)?$/i.exec(uri);
  if (match === null) return null;
  const hostPort = parseHostPort(match[3] ?? '');
  const params = parseParameters(match[4] ?? '');
  if (hostPort === null || params === null || !hostPattern.test(hostPort.host)) return null;
  const scheme = (match[1] ?? '').toLowerCase() === 'sips' ? 'sips' : 'sip';
  // User parameters (`;verstat=…`, `;npdi`) and a password are not part of the user name.
  const user = match[2] === undefined ? null : match[2].split(/[;:]/)[0] ?? null;
  return { scheme, user, host: hostPort.host, port: hostPort.port, params };
}

/** Ten-digit North American number from a URI user part: `+17125551234`, `7125551234`, `1-712-…`. */
export function nanpNumber(user: string | null): string | null {
  if (user === null) return null;
  const digits = user.replace(/[-.()\s]/g, '').replace(/^\+/, '');
  if (/^1\d{10}$/.test(digits)) return digits.slice(1);
  if (/^\d{10}$/.test(digits)) return digits;
  return null;
}
