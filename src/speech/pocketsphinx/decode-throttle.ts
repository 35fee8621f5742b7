// Which decode calls go first when the cores are short. Every decode is a koffi async call on a libuv pool
// thread (16 of them on 2 cores), and libuv runs them in the order they were made. With many calls, the
// decodes a caller is waiting for (the end of an answer: its last audio, the utterance's end, the lattice, an
// answer decoded whole) shared the cores with the decodes of everyone still speaking, which only keep a
// streamed decoder up with its audio and can fall behind a little at no cost: the next call takes every
// chunk queued meanwhile (PocketsphinxSession.scheduleDecode), and the end of the answer makes what is left urgent.
//
// So a call that may lag starts only while fewer decode calls than there are cores run; one a caller is
// waiting for starts at once and counts against the cores, so the lagging ones yield to it. Off unless
// POCKETSPHINX_BACKGROUND_DECODES asks for it: with few callers it made names slower (pocketsphinx-recognizer.ts).

interface Waiter {
  readonly urgent: () => boolean;
  readonly start: () => void;
}

export class DecodeThrottle {
  private running = 0;
  private waiting: Waiter[] = [];

  constructor(
    /** Decode calls that may lag run only while fewer than this many decode calls run (the machine's cores). */
    readonly cores: number) {
    if (!Number.isInteger(cores) || cores < 1) {
      throw new RangeError(`background decodes ${cores} is not a whole number from 1`);
    }
  }

  /** Decode calls running now (tests, logs). */
  get runningNow(): number {
    return this.running;
  }

  /** Calls waiting for a core. */
  get waitingNow(): number {
    return this.waiting.length;
  }

  /**
   * Runs `work` now when `urgent()` (someone waits for its result), otherwise once fewer than `cores` decode
   * calls run or it has become urgent (wake()).
   */
  async run<T>(urgent: () => boolean, work: () => Promise<T>): Promise<T> {
    if (urgent() || this.running < this.cores) this.running += 1;
    // Counted as running by wake() when it is let go.
    else await new Promise<void>((start) => { this.waiting.push({ urgent, start }); });
    try {
      return await work();
    } finally {
      this.running -= 1;
      this.wake();
    }
  }

  /**
   * Starts waiting calls that have become urgent since they were queued (their caller stopped speaking), and
   * lagging ones while fewer than `cores` calls run.
   */
  wake(): void {
    if (this.waiting.length === 0) return;
    const still: Waiter[] = [];
    for (const waiter of this.waiting) {
      if (waiter.urgent() || this.running < this.cores) {
        this.running += 1;
        waiter.start();
      } else {
        still.push(waiter);
      }
    }
    this.waiting = still;
  }
}
