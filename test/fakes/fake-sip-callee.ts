// A FAKE phone behind the SIP trunk, on the network side of the fake drachtio-server (at `address`):
// receives the app's outbound INVITE, rings (180), then answers 200 with an SDP answer or refuses
// with a status; answers BYE with 200. Enough of a SIP UA to test the call-back's outbound call.
import type { FakeDrachtioServer } from './fake-drachtio-server.js';
import { responseTo } from './fake-drachtio-server.js';
import { first, formatSipText, methodOf, parseSipText, token, type SipText } from './sip-text.js';

export interface CalleeBehaviour {
  /** 200 answers; anything else (486, 603 ...) refuses. */
  readonly status: number;
  readonly answerAfterMs: number;
}

export class FakeSipCallee {
  readonly invites: SipText[] = [];
  readonly received: SipText[] = [];
  private readonly toTag = token();
  private ringing: NodeJS.Timeout | null = null;
  /** CANCELs received (the app gave up ringing). */
  cancels = 0;
  private byeResolve: () => void = () => undefined;
  /** Resolves when the app hangs up (BYE). */
  readonly byeReceived = new Promise<void>((resolve) => { this.byeResolve = resolve; });

  constructor(
    private readonly drachtio: FakeDrachtioServer, readonly address: string, public behaviour: CalleeBehaviour,
  ) {
    drachtio.addPeer(address, (raw) => this.onSip(raw));
  }

  private send(message: SipText): void {
    this.drachtio.fromNetwork(this.address, formatSipText(message));
  }

  private onSip(raw: string): void {
    const message = parseSipText(raw);
    this.received.push(message);
    const method = methodOf(message);
    if (message.startLine.startsWith('SIP/2.0')) return;
    if (method === 'INVITE') {
      this.invites.push(message);
      this.send(responseTo(message, 180, 'Ringing', this.toTag));
      this.ringing = setTimeout(() => { this.ringing = null; this.answer(message); }, this.behaviour.answerAfterMs);
    } else if (method === 'CANCEL') {
      // RFC 3261 §9.2: 200 to the CANCEL, then 487 to the INVITE it cancels (if it still rings).
      this.cancels += 1;
      this.send(responseTo(message, 200, 'OK', null));
      const invite = this.invites.at(-1);
      if (this.ringing !== null && invite !== undefined) {
        clearTimeout(this.ringing);
        this.ringing = null;
        this.send(responseTo(invite, 487, 'Request Terminated', this.toTag));
      }
    } else if (method === 'BYE') {
      this.send(responseTo(message, 200, 'OK', null));
      this.byeResolve();
    }
    // ACK needs nothing.
  }

  private answer(invite: SipText): void {
    const { status } = this.behaviour;
    if (status !== 200) {
      this.send(responseTo(invite, status, status === 486 ? 'Busy Here' : 'Declined', this.toTag));
      return;
    }
    const ok = responseTo(invite, 200, 'OK', this.toTag);
    ok.headers.set('contact', [`<sip:callee@${this.address}>`]);
    ok.headers.set('content-type', ['application/sdp']);
    ok.body = ['v=0', 'o=callee 7 7 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
      'm=audio 41000 RTP/AVP 0 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', ''].join('\r\n');
    this.send(ok);
  }

  /** The Call-ID of the last INVITE received. */
  get callId(): string {
    return first(this.invites.at(-1) ?? { startLine: '', headers: new Map(), body: '' }, 'call-id') ?? '';
  }
}
