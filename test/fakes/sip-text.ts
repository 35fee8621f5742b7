// Lenient SIP text handling for the fakes: drachtio-srf sends partial messages (an INVITE with only
// the headers the app set; drachtio-server fills in Via, From, To, Call-ID, CSeq), so the fakes read
// any "Name: value" lines and write complete messages with Content-Length computed.
import { randomBytes } from 'node:crypto';

export interface SipText {
  /** `INVITE sip:x@y SIP/2.0` or `SIP/2.0 200 OK`. */
  startLine: string;
  /** Lower-case name → values in order. */
  headers: Map<string, string[]>;
  body: string;
}

const compact: Record<string, string> = { i: 'call-id', m: 'contact', l: 'content-length', c: 'content-type', f: 'from', t: 'to', v: 'via' };

export function parseSipText(raw: string): SipText {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split + 4);
  const [startLine = '', ...lines] = head.split('\r\n');
  const headers = new Map<string, string[]>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const rawName = line.slice(0, colon).trim().toLowerCase();
    const name = compact[rawName] ?? rawName;
    if (name === 'content-length') continue;
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return { startLine, headers, body };
}

export function first(message: SipText, name: string): string | undefined {
  return message.headers.get(name)?.[0];
}

const displayNames: Record<string, string> = {
  'call-id': 'Call-ID', cseq: 'CSeq', 'www-authenticate': 'WWW-Authenticate', 'p-asserted-identity': 'P-Asserted-Identity',
};

function displayName(name: string): string {
  return displayNames[name] ?? name.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('-');
}

export function formatSipText(message: SipText): string {
  const lines = [message.startLine];
  for (const [name, values] of message.headers) for (const value of values) lines.push(`${displayName(name)}: ${value}`);
  lines.push(`Content-Length: ${Buffer.byteLength(message.body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${message.body}`;
}

export function isResponse(message: SipText): boolean {
  return message.startLine.startsWith('SIP/2.0 ');
}

export function statusOf(message: SipText): number {
  return Number(message.startLine.split(' ')[1]);
}

export function methodOf(message: SipText): string {
  return isResponse(message) ? (first(message, 'cseq') ?? '').split(/\s+/)[1] ?? '' : message.startLine.split(' ')[0] ?? '';
}

export function requestUri(message: SipText): string {
  return message.startLine.split(' ')[1] ?? '';
}

export function tagOf(value: string | undefined): string | null {
  return /;\s*tag=([^;>\s]+)/i.exec(value ?? '')?.[1] ?? null;
}

/** `host:port` of a SIP URI (port 5060 when absent). */
export function hostPortOf(uri: string): string {
  const match = /sips?:(?:[^@;>]*@)?(\[[^\]]+\]|[^:;>]+)(?::(\d+))?/.exec(uri);
  return match === null ? '' : `${match[1]}:${match[2] ?? '5060'}`;
}

export function uriOf(nameAddr: string): string {
  return /<([^>]+)>/.exec(nameAddr)?.[1] ?? nameAddr.split(';')[0] ?? nameAddr;
}

export const token = (bytes = 6): string => randomBytes(bytes).toString('hex');
