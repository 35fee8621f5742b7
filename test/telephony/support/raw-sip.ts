// A bare SIP client over UDP or TCP for malformed-message and fuzz tests: sends bytes, gathers what
// comes back for a while, and reports the status lines.
import { createSocket, type Socket } from 'node:dgram';
import { connect } from 'node:net';

export interface RawReply {
  readonly status: number;
  readonly text: string;
}

function statusOf(text: string): RawReply {
  const match = /^SIP\/2\.0 (\d{3}) /.exec(text);
  return { status: match === null ? -1 : Number(match[1]), text };
}

export class UdpSipClient {
  private readonly replies: RawReply[] = [];
  private constructor(private readonly socket: Socket, readonly port: number) {
    socket.on('message', (data, remote) => {
      const reply = statusOf(data.toString('latin1'));
      this.replies.push(reply);
      // Like a real client, acknowledge failures of INVITE so the server stops retransmitting them.
      if (reply.status >= 300 && /^CSeq: \d+ INVITE$/m.test(reply.text)) this.send(remote.port, ackFor(reply.text));
      // And answer the endpoint's BYE, as a phone would.
      if (reply.text.startsWith('BYE ')) this.send(remote.port, okFor(reply.text));
    });
  }

  static async open(): Promise<UdpSipClient> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new UdpSipClient(socket, socket.address().port);
  }

  send(targetPort: number, data: Buffer | string): void {
    this.socket.send(typeof data === 'string' ? Buffer.from(data, 'latin1') : data, targetPort, '127.0.0.1');
  }

  /** Sends and returns every reply that arrived within `waitMs` (or as soon as one final reply came). */
  async exchange(targetPort: number, data: Buffer | string, waitMs = 300): Promise<RawReply[]> {
    this.replies.length = 0;
    const text = typeof data === 'string' ? data : data.toString('latin1');
    const callId = /^Call-ID: (.*)$/m.exec(text)?.[1];
    const mine = (reply: RawReply): boolean => callId === undefined || reply.text.includes(`Call-ID: ${callId}\r\n`);
    this.send(targetPort, data);
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline && !this.replies.some((reply) => reply.status >= 200 && mine(reply))) await delay(5);
    return this.replies.splice(0).filter(mine);
  }

  drain(): RawReply[] {
    return this.replies.splice(0);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}

/** Sends bytes on a fresh TCP connection; returns what came back and whether the server closed it. */
export async function tcpExchange(
  port: number, data: Buffer | string, waitMs = 500,
): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    let closed = false;
    socket.on('data', (chunk) => { text += chunk.toString('latin1'); });
    socket.on('error', reject);
    socket.on('close', () => { closed = true; });
    socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
    setTimeout(() => {
      socket.destroy();
      resolve({ text, closed });
    }, waitMs);
  });
}

function ackFor(response: string): string {
  const header = (name: string): string => new RegExp(`^${name}: .*$`, 'm').exec(response)?.[0] ?? '';
  const cseq = /^CSeq: (\d+) INVITE$/m.exec(response)?.[1] ?? '1';
  return ['ACK sip:5550001@127.0.0.1 SIP/2.0', header('Via'), 'Max-Forwards: 70', header('From'), header('To'), header('Call-ID'),
    `CSeq: ${cseq} ACK`, 'Content-Length: 0', '', ''].join('\r\n');
}

function okFor(request: string): string {
  const headers = ['Via', 'From', 'To', 'Call-ID', 'CSeq'].map((name) => new RegExp(`^${name}: .*$`, 'm').exec(request)?.[0] ?? '');
  return ['SIP/2.0 200 OK', ...headers, 'Content-Length: 0', '', ''].join('\r\n');
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let sequence = 0;

/** A valid request; `overrides` replace or (with null) remove headers by name. */
export function request(method: string, options: {
  clientPort: number; overrides?: Record<string, string | null>; body?: string; startLine?: string; extra?: string[];
}): string {
  sequence += 1;
  const headers: Record<string, string | null> = {
    Via: `SIP/2.0/UDP 127.0.0.1:${options.clientPort};branch=z9hG4bK-raw-${process.pid}-${sequence};rport`,
    'Max-Forwards': '70',
    From: `<sip:+17125551234@127.0.0.1>;tag=raw${sequence}`,
    To: '<sip:5550001@127.0.0.1>',
    'Call-ID': `raw-${process.pid}-${sequence}@127.0.0.1`,
    CSeq: `1 ${method}`,
    Contact: `<sip:raw@127.0.0.1:${options.clientPort}>`,
    ...(options.body === undefined ? {} : { 'Content-Type': 'application/sdp' }),
    'Content-Length': String(Buffer.byteLength(options.body ?? '')),
    ...options.overrides,
  };
  const lines = [options.startLine ?? `${method} sip:5550001@127.0.0.1 SIP/2.0`];
  for (const [name, value] of Object.entries(headers)) if (value !== null) lines.push(`${name}: ${value}`);
  lines.push(...(options.extra ?? []));
  return `${lines.join('\r\n')}\r\n\r\n${options.body ?? ''}`;
}

export function offer(mediaPort: number, formats = '0 101'): string {
  return ['v=0', 'o=raw 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${mediaPort} RTP/AVP ${formats}`,
    'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', ''].join('\r\n');
}
