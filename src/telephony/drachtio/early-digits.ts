// Keys FreeSWITCH reports before the call object exists. The endpoint is live (and the caller may
// already be keying) one drachtio round trip before the 200 OK to the caller is confirmed and the
// call is built; keys in that window are held here (bounded, oldest dropped) and handed over in
// order, after which they flow straight through. The call keeps its own type-ahead for the next listen.
export const earlyDigitsMax = 32;

export class EarlyDigits {
  private readonly pending: string[] = [];
  private target: ((digit: string) => void) | null = null;
  /** Keys dropped because more than `max` came before the call was ready. */
  dropped = 0;

  constructor(private readonly max = earlyDigitsMax) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('the early-digit bound must be a positive integer');
  }

  push(digit: string): void {
    if (!/^[0-9*#A-D]$/.test(digit)) return;
    if (this.target !== null) {
      this.target(digit);
      return;
    }
    if (this.pending.length >= this.max) {
      this.pending.shift();
      this.dropped += 1;
    }
    this.pending.push(digit);
  }

  /** From now on keys go to `target`; the held ones first, in the order they were pressed. */
  deliverTo(target: (digit: string) => void): void {
    this.target = target;
    for (const digit of this.pending.splice(0)) target(digit);
  }

  get held(): number {
    return this.pending.length;
  }
}
