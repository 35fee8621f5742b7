// A FAKE caller on the network side of the fake drachtio-server (its carrier trunk, at `address`):
// sends a complete INVITE with an SDP offer, ACKs the 2xx, answers our BYE with 200 and can hang up
// with its own BYE. Enough of a SIP UA to drive the app through the drachtio wire protocol.
import type { FakeDrachtioServer } from './fake-drachtio-server.js';
import { responseTo } from './fake-drachtio-server.js';
import { first, formatSipText, methodOf, parseSipText, statusOf, token, isResponse, type SipText } from './sip-text.js';

export interface InviteOptions {
  readonly from: string;
  readonly to: string;
  readonly headers?: Record<string, string>;
}

export class FakeSipCaller {
  readonly callId = `${token(10)}@fake-caller`;
  readonly received: SipText[] = [];
  private readonly fromTag = token();
  private toHeader = '';
  private finalResolve: (status: number) => void = () => undefined;
  readonly finalStatus = new Promise<number>((resolve) => { this.finalResolve = resolve; });
  private endedResolve: (by: 'app' | 'caller') => void = () => undefined;
  /** Who ended the call. */
  readonly ended = new Promise<'app' | 'caller'>((resolve) => { this.endedResolve = resolve; });

  constructor(private readonly drachtio: FakeDrachtioServer, readonly address: string) {
    drachtio.addPeer(address, (raw) => this.onSip(raw));
  }

  invite(options: InviteOptions): void {
    const invite: SipText = { startLine: `INVITE sip:${options.to}@${this.drachtio.sipAddress} SIP/2.0`, headers: new Map(), body: '' };
    invite.headers.set('via', [`SIP/2.0/UDP ${this.address};branch=z9hG4bK${token()}`]);
    invite.headers.set('max-forwards', ['70']);
    invite.headers.set('from', [`<sip:${options.from}@${this.address.split(':')[0] ?? ''}>;tag=${this.fromTag}`]);
    invite.headers.set('to', [`<sip:${options.to}@${this.drachtio.sipAddress}>`]);
    invite.headers.set('call-id', [this.callId]);
    invite.headers.set('cseq', ['1 INVITE']);
    invite.headers.set('contact', [`<sip:caller@${this.address}>`]);
    for (const [name, value] of Object.entries(options.headers ?? {})) invite.headers.set(name.toLowerCase(), [value]);
    invite.headers.set('content-type', ['application/sdp']);
    invite.body = ['v=0', 'o=caller 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
      'm=audio 40000 RTP/AVP 0 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', ''].join('\r\n');
    this.drachtio.fromNetwork(this.address, formatSipText(invite));
  }

  hangUp(): void {
    const bye: SipText = { startLine: `BYE sip:app@${this.drachtio.sipAddress} SIP/2.0`, headers: new Map(), body: '' };
    bye.headers.set('via', [`SIP/2.0/UDP ${this.address};branch=z9hG4bK${token()}`]);
    bye.headers.set('from', [`<sip:caller@${this.address}>;tag=${this.fromTag}`]);
    bye.headers.set('to', [this.toHeader]);
    bye.headers.set('call-id', [this.callId]);
    bye.headers.set('cseq', ['2 BYE']);
    this.drachtio.fromNetwork(this.address, formatSipText(bye));
    this.endedResolve('caller');
  }

  private onSip(raw: string): void {
    const message = parseSipText(raw);
    this.received.push(message);
    if (isResponse(message)) {
      const status = statusOf(message);
      if (methodOf(message) !== 'INVITE' || status < 200) return;
      this.toHeader = first(message, 'to') ?? '';
      if (status < 300) {
        const ack: SipText = { startLine: `ACK sip:app@${this.drachtio.sipAddress} SIP/2.0`, headers: new Map(), body: '' };
        ack.headers.set('via', [`SIP/2.0/UDP ${this.address};branch=z9hG4bK${token()}`]);
        ack.headers.set('from', [first(message, 'from') ?? '']);
        ack.headers.set('to', [this.toHeader]);
        ack.headers.set('call-id', [this.callId]);
        ack.headers.set('cseq', ['1 ACK']);
        this.drachtio.fromNetwork(this.address, formatSipText(ack));
      }
      this.finalResolve(status);
      return;
    }
    if (methodOf(message) === 'BYE') {
      this.drachtio.fromNetwork(this.address, formatSipText(responseTo(message, 200, 'OK', null)));
      this.endedResolve('app');
    }
  }
}
