// Which decode calls go first when the cores are short. Every decode is a koffi async call on a libuv pool
// thread (16 of them on 2 cores), and libuv runs them in the order they were made. With many calls, the
// decodes a caller is waiting for (the end of an answer: its last audio, the utterance's end, the lattice, an
// answer decoded whole) shared the cores with the decodes of everyone still speaking, which only keep a
// streamed decoder up with its audio and can fall behind a little at no cost: the next call takes every
// chunk queued meanwhile (PocketsphinxSession.scheduleDecode), and the end of the answer makes what is left urgent.
//
// So while more calls are being heard than there are cores, a call that may lag starts only while fewer
// decode calls than there are cores run; one a caller is waiting for starts at once and counts against the
// cores, so the lagging ones yield to it. With as many calls as cores or fewer, nothing waits: one caller's
// name streams more passes than there are cores (pass 1, the fallback finder, the city passes), and holding
// them back only made that caller wait longer after the end of speech (pocketsphinx-recognizer.ts).

interface Waiter {
  readonly urgent: () => boolean;
  readonly start: () => void;
}

export class DecodeThrottle {
  private running = 0;
  private waiting: Waiter[] = [];
  /** Calls with an utterance being heard (listen()), each with how many of its utterances. */
  private readonly calls = new Map<object, number>();

  constructor(
    /** The machine's cores: while more calls than this are heard, decodes that may lag keep to this many. */
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

  /** More calls are heard than there are cores: decodes that may lag, or be thrown away, give way. */
  get crowded(): boolean {
    return this.calls.size > this.cores;
  }

  /** Calls with an utterance being heard now. */
  get callsHeardNow(): number {
    return this.calls.size;
  }

  /**
   * Counts an utterance of `call` (one object per phone call: every pass over its answers) as heard until the
   * returned function is called (more than once is harmless).
   */
  listen(call: object): () => void {
    this.calls.set(call, (this.calls.get(call) ?? 0) + 1);
    let heard = true;
    return () => {
      if (!heard) return;
      heard = false;
      const left = (this.calls.get(call) ?? 1) - 1;
      if (left === 0) this.calls.delete(call);
      else this.calls.set(call, left);
      this.wake();
    };
  }

  /**
   * Runs `work` now when `urgent()` (someone waits for its result) or the cores are not crowded, otherwise once
   * they are not or it has become urgent (wake()).
   */
  async run<T>(urgent: () => boolean, work: () => Promise<T>): Promise<T> {
    if (this.mayStart(urgent)) this.running += 1;
    // Counted as running by wake() when it is let go.
    else await new Promise<void>((start) => { this.waiting.push({ urgent, start }); });
    try {
      return await work();
    } finally {
      this.running -= 1;
      this.wake();
    }
  }

  /** Starts the waiting calls that may start now: urgent since queued (their caller stopped speaking), or room. */
  wake(): void {
    if (this.waiting.length === 0) return;
    const still: Waiter[] = [];
    for (const waiter of this.waiting) {
      if (this.mayStart(waiter.urgent)) {
        this.running += 1;
        waiter.start();
      } else {
        still.push(waiter);
      }
    }
    this.waiting = still;
  }

  private mayStart(urgent: () => boolean): boolean {
    return !this.crowded || this.running < this.cores || urgent();
  }
}
