// A call as the dialog sees it: the CallChannel port over one RTP session. Signaling (BYE) is the
// endpoint's business; this class only asks it to hang up. Keys typed at any time are kept
// (bounded) for the next collectDigits, so a caller who answers before the prompt ends loses nothing.
import type {
  CallChannel, CallEnd, CallEndReason, CallFacts, CollectDigitsOptions, CollectedDigits, PlayOptions, PlayResult,
} from '../ivr/call-channel.js';
import { assert, ChannelBusyError } from './errors.js';
import type { RtpSession } from './rtp/session.js';

const typeAheadDigitsMax = 32;
const collectTimeoutMsMax = 10 * 60_000;

/** What a call needs from its media: the embedded RTP session, or a FreeSWITCH endpoint (drachtio). */
export type CallMedia = Pick<RtpSession, 'play' | 'stopPlayback' | 'onAudio' | 'sendDigits' | 'close'>;

export interface CallSignaling<Media extends CallMedia = RtpSession> {
  /** Ends the dialog from our side (BYE); resolves when the far end answered or could not be reached. */
  hangup(call: SipCall<Media>): Promise<void>;
}

export class SipCall<Media extends CallMedia = RtpSession> implements CallChannel {
  readonly ended: Promise<CallEnd>;
  private resolveEnded: (end: CallEnd) => void = () => undefined;
  private endReason: CallEndReason | null = null;
  private readonly typeAhead: string[] = [];
  private readonly digitListeners = new Set<(digit: string) => void>();
  private interruptPlayback: (() => void) | null = null;
  private collecting = false;

  constructor(
    readonly callId: string,
    readonly facts: CallFacts,
    readonly media: Media,
    private readonly signaling: CallSignaling<Media>,
  ) {
    this.ended = new Promise((resolve) => { this.resolveEnded = resolve; });
  }

  get isEnded(): boolean {
    return this.endReason !== null;
  }

  /** Called by the endpoint when the dialog is over, whoever ended it. Idempotent. */
  end(reason: CallEndReason): void {
    if (this.endReason !== null) return;
    this.endReason = reason;
    this.media.close();
    this.digitListeners.clear();
    this.resolveEnded({ reason });
  }

  /** Called by the media session for each RFC 4733 key. */
  receiveDigit(digit: string): void {
    if (this.endReason !== null) return;
    if (this.typeAhead.length >= typeAheadDigitsMax) this.typeAhead.shift();
    this.typeAhead.push(digit);
    this.interruptPlayback?.();
    for (const listener of this.digitListeners) listener(digit);
  }

  async play(audio: Int16Array, options: PlayOptions = {}): Promise<PlayResult> {
    if (this.endReason !== null) return 'hangup';
    if (options.signal?.aborted === true) return 'interrupted';
    if (options.interruptible === true && this.typeAhead.length > 0) return 'interrupted';
    let interrupted = false;
    const interrupt = (): void => {
      interrupted = true;
      this.media.stopPlayback();
    };
    const onAbort = (): void => interrupt();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.interruptible === true) this.interruptPlayback = interrupt;
    try {
      const result = await Promise.race([this.media.play(audio), this.ended.then(() => 'hangup' as const)]);
      if (this.endReason !== null || result === 'hangup') return 'hangup';
      return result === 'completed' && !interrupted ? 'completed' : 'interrupted';
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      if (this.interruptPlayback === interrupt) this.interruptPlayback = null;
    }
  }

  collectDigits(options: CollectDigitsOptions): Promise<CollectedDigits> {
    assert(Number.isInteger(options.maxDigits) && options.maxDigits >= 1, 'maxDigits must be a positive integer');
    assert(options.timeoutMs > 0 && options.timeoutMs <= collectTimeoutMsMax, 'timeoutMs out of range');
    assert(options.interDigitTimeoutMs > 0 && options.interDigitTimeoutMs <= collectTimeoutMsMax, 'interDigitTimeoutMs out of range');
    if (this.collecting) return Promise.reject(new ChannelBusyError('collectDigits'));
    if (this.endReason !== null) return Promise.resolve({ digits: '', reason: 'hangup' });
    this.collecting = true;
    const terminators = options.terminators ?? '';
    return new Promise<CollectedDigits>((resolve) => {
      let digits = '';
      let timer: NodeJS.Timeout | null = null;
      const finish = (reason: CollectedDigits['reason']): void => {
        if (timer !== null) clearTimeout(timer);
        unsubscribe();
        this.collecting = false;
        resolve({ digits, reason });
      };
      const arm = (delayMs: number): void => {
        if (timer !== null) clearTimeout(timer);
        timer = setTimeout(() => finish('timeout'), delayMs);
      };
      // Returns true when the collection is complete.
      const take = (digit: string): boolean => {
        if (terminators.includes(digit)) {
          finish('terminator');
          return true;
        }
        digits += digit;
        if (digits.length >= options.maxDigits) {
          finish('max');
          return true;
        }
        arm(options.interDigitTimeoutMs);
        return false;
      };
      const onDigit = (): void => {
        const digit = this.typeAhead.shift();
        if (digit !== undefined) take(digit);
      };
      this.digitListeners.add(onDigit);
      const onEnded = (): void => finish('hangup');
      const onAbort = (): void => finish('aborted');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const unsubscribe = (): void => {
        this.digitListeners.delete(onDigit);
        options.signal?.removeEventListener('abort', onAbort);
        endedListener.cancelled = true;
      };
      const endedListener = { cancelled: false };
      void this.ended.then(() => { if (!endedListener.cancelled) onEnded(); });
      if (options.signal?.aborted === true) {
        finish('aborted');
        return;
      }
      arm(options.timeoutMs);
      // Type-ahead first; bounded by typeAheadDigitsMax.
      while (this.typeAhead.length > 0) {
        const digit = this.typeAhead.shift() ?? '';
        if (take(digit)) return;
      }
    });
  }

  onAudio(listener: (frame: Int16Array) => void): () => void {
    return this.media.onAudio(listener);
  }

  onDigit(listener: (digit: string) => void): () => void {
    // Registered behind any running collection so the collector consumes the type-ahead first.
    const wrapped = (digit: string): void => listener(digit);
    this.digitListeners.add(wrapped);
    return () => this.digitListeners.delete(wrapped);
  }

  sendDigits(digits: string): Promise<void> {
    if (this.endReason !== null) return Promise.resolve();
    return this.media.sendDigits(digits);
  }

  async hangup(): Promise<void> {
    if (this.endReason !== null) return;
    await this.signaling.hangup(this);
  }
}
