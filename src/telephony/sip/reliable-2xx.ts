// The UAS core's 2xx retransmission (RFC 3261 §13.3.1.4): the 200 to an INVITE is resent at T1,
// doubling to T2, until the ACK arrives; after 64·T1 without it the dialog is ended with a BYE.
import { assert } from '../errors.js';
import type { SipTimers } from './limits.js';

export class Reliable2xx {
  private timer: NodeJS.Timeout | null = null;
  private deadline: NodeJS.Timeout | null = null;
  private settled = false;
  readonly acknowledged: Promise<boolean>;
  private settle: (acked: boolean) => void = () => undefined;

  constructor(private readonly resend: () => void, timers: SipTimers, onTimeout: () => void) {
    assert(timers.t1Ms > 0 && timers.t2Ms >= timers.t1Ms, 'SIP timers must satisfy 0 < T1 <= T2');
    this.acknowledged = new Promise((resolve) => { this.settle = resolve; });
    this.arm(timers.t1Ms, timers.t2Ms);
    this.deadline = setTimeout(() => {
      this.stop(false);
      onTimeout();
    }, 64 * timers.t1Ms);
  }

  get pending(): boolean {
    return !this.settled;
  }

  ack(): void {
    this.stop(true);
  }

  stop(acked: boolean): void {
    if (this.settled) return;
    this.settled = true;
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.deadline !== null) clearTimeout(this.deadline);
    this.settle(acked);
  }

  private arm(intervalMs: number, capMs: number): void {
    this.timer = setTimeout(() => {
      if (this.settled) return;
      this.resend();
      this.arm(Math.min(intervalMs * 2, capMs), capMs);
    }, intervalMs);
  }
}
