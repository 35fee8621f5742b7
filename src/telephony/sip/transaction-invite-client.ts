// INVITE client transactions (RFC 3261 §17.1.1), for calls we place: the INVITE is retransmitted over
// UDP at T1, 2·T1, … (timer A) until any response; with no response at all after 64·T1 (timer B) it
// times out. Provisional responses are reported as they come; the first final response settles it.
// ACK for a non-2xx final is the caller's job (it reuses the INVITE's branch, RFC 3261 §17.1.1.3).
import type { SipTimers } from './limits.js';
import type { SipResponse } from './message.js';
import type { Peer } from './transport.js';

export type InviteOutcome = { kind: 'final'; response: SipResponse } | { kind: 'timeout' };

export class InviteClientTransaction {
  private retransmitTimer: NodeJS.Timeout | null = null;
  private timeoutTimer: NodeJS.Timeout | null = null;
  private settled = false;
  readonly outcome: Promise<InviteOutcome>;
  private settle: (outcome: InviteOutcome) => void = () => undefined;

  constructor(
    readonly branch: string,
    private readonly options: {
      readonly peer: Peer;
      readonly data: Buffer;
      readonly timers: SipTimers;
      readonly send: (peer: Peer, data: Buffer) => void;
      readonly onProvisional: (response: SipResponse) => void;
    },
  ) {
    this.outcome = new Promise((resolve) => { this.settle = resolve; });
    options.send(options.peer, options.data);
    if (options.peer.transport === 'udp') this.retransmit(options.timers.t1Ms);
    this.timeoutTimer = setTimeout(() => this.finish({ kind: 'timeout' }), 64 * options.timers.t1Ms);
  }

  receive(response: SipResponse): void {
    if (this.settled) return;
    this.stopRetransmitting();
    if (response.status < 200) {
      // Timer B only guards against silence; once the far end answers, the ring timeout takes over.
      if (this.timeoutTimer !== null) clearTimeout(this.timeoutTimer);
      this.timeoutTimer = null;
      this.options.onProvisional(response);
      return;
    }
    this.finish({ kind: 'final', response });
  }

  /** Ends the transaction without a response (endpoint shutdown). */
  abandon(): void {
    this.finish({ kind: 'timeout' });
  }

  private retransmit(intervalMs: number): void {
    this.retransmitTimer = setTimeout(() => {
      if (this.settled) return;
      this.options.send(this.options.peer, this.options.data);
      this.retransmit(intervalMs * 2);
    }, intervalMs);
  }

  private stopRetransmitting(): void {
    if (this.retransmitTimer !== null) clearTimeout(this.retransmitTimer);
    this.retransmitTimer = null;
  }

  private finish(outcome: InviteOutcome): void {
    if (this.settled) return;
    this.settled = true;
    this.stopRetransmitting();
    if (this.timeoutTimer !== null) clearTimeout(this.timeoutTimer);
    this.settle(outcome);
  }
}
