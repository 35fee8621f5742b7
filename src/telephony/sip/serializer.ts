// Writes SIP messages. Content-Length is always computed from the body, never copied, so a message we
// send is framed correctly on TCP whatever the caller put in the header list.
import type { SipHeader, SipMessage } from './message.js';

export function serializeSipMessage(message: SipMessage): Buffer {
  const startLine = message.kind === 'request'
    ? `${message.method} ${message.uri} SIP/2.0`
    : `SIP/2.0 ${message.status} ${message.reason}`;
  const lines = [startLine];
  for (const header of message.headers) {
    if (header.name.toLowerCase() === 'content-length') continue;
    lines.push(`${header.name}: ${header.value}`);
  }
  lines.push(`Content-Length: ${message.body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), message.body]);
}

export function header(name: string, value: string): SipHeader {
  return { name, value };
}
