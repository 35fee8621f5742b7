// The call-back port of the trust layer (OutboundCaller, src/trust/call-back.ts) on a real
// OutboundDialer: the embedded endpoint places the call through the SIP trunk, speaks the prompt
// and collects the code the person keys.
import type { OutboundCaller } from '../trust/call-back.js';
import type { CallChannel, DialFailure, OutboundDialer } from './call-channel.js';

/** Long enough for a phone in a pocket; the caller is waiting on their other call. */
export const callBackRingTimeoutMs = 30_000;
/** Once the first key came, the rest of a short code follows quickly. */
export const callBackInterDigitTimeoutMs = 5_000;
/** At least this long for the first key, even when ringing used up most of the overall timeout. */
export const callBackFirstKeyTimeoutMinMs = 3_000;

type CallOutcome = Awaited<ReturnType<OutboundCaller['callAndCollectDigits']>>;

function failureOutcome(failure: DialFailure): CallOutcome {
  if (failure === 'busy') return { outcome: 'busy' };
  if (failure === 'no-answer' || failure === 'timeout') return { outcome: 'no-answer' };
  return { outcome: 'failed' };
}

export class DialerOutboundCaller implements OutboundCaller {
  constructor(private readonly options: {
    dialer: OutboundDialer;
    /** Calling number we present, 10 digits: the number the voter dialed. */
    from: string;
    /** Text to 8 kHz audio (the prompt synthesizer). */
    speak: (text: string) => Promise<Int16Array>;
    ringTimeoutMs?: number;
  }) {
    if (!/^\d{10}$/.test(options.from)) throw new RangeError('the presented number must be 10 digits');
  }

  async callAndCollectDigits(request: { to: string; prompt: string; digitsExpected: number; timeoutMs: number }):
    Promise<CallOutcome> {
    if (!/^\d{10}$/.test(request.to)) throw new RangeError('call-back goes to a 10-digit number');
    if (!Number.isInteger(request.digitsExpected) || request.digitsExpected < 1) throw new RangeError('bad digit count');
    const started = Date.now();
    const ringTimeoutMs = Math.min(this.options.ringTimeoutMs ?? callBackRingTimeoutMs, request.timeoutMs);
    const prompt = await this.options.speak(request.prompt);
    const dialed = await this.options.dialer.call(request.to, { from: this.options.from, ringTimeoutMs });
    if ('failed' in dialed) return failureOutcome(dialed.failed);
    try {
      return await this.collect(dialed, prompt, request, started);
    } finally {
      await dialed.hangup();
    }
  }

  private async collect(
    call: CallChannel, prompt: Int16Array, request: { digitsExpected: number; timeoutMs: number }, started: number,
  ): Promise<CallOutcome> {
    // Keys pressed during the prompt count (type-ahead), so the prompt may be interrupted.
    const played = await call.play(prompt, { interruptible: true });
    if (played === 'hangup') return { outcome: 'answered', digits: '' };
    const left = Math.max(callBackFirstKeyTimeoutMinMs, request.timeoutMs - (Date.now() - started));
    const collected = await call.collectDigits({
      maxDigits: request.digitsExpected, timeoutMs: left, interDigitTimeoutMs: callBackInterDigitTimeoutMs,
    });
    return { outcome: 'answered', digits: collected.digits };
  }
}
