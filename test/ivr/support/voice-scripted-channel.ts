// A call whose far end answers from a script and speaks real audio frames for spoken turns, for dialog
// tests in process with a real recognizer (name-by-voice, bill-by-voice).
import type {
  CallChannel, CallEnd, CallFacts, CollectDigitsOptions, CollectedDigits, PlayResult,
} from '../../../src/ivr/call-channel.js';
import { silence } from '../../speech/support/telephone-tts.js';

/** Keys, or words the caller says (8 kHz PCM) when the dialog listens. */
export type Turn = string | { readonly say: Int16Array };

/**
 * TEST DOUBLE (named as such): a call whose far end answers from a script, speaking real audio frames
 * for spoken turns (the SIP/RTP media path has its own tests in test/telephony and test/ivr sipp suites).
 */
export class VoiceScriptedChannel implements CallChannel {
  readonly facts: CallFacts = { from: 'sip:caller@127.0.0.1', to: 'sip:5550001@127.0.0.1', identityHeaders: [],
    sourceAddress: '127.0.0.1:5060' };
  readonly ended = new Promise<CallEnd>(() => undefined);
  private readonly audioListeners = new Set<(frame: Int16Array) => void>();

  constructor(readonly callId: string, private readonly script: Turn[]) {}

  async play(): Promise<PlayResult> {
    return 'completed';
  }

  async collectDigits(options: CollectDigitsOptions): Promise<CollectedDigits> {
    const turn = this.script.shift();
    if (turn === undefined) return { digits: '', reason: 'hangup' };
    if (turn === '#') return { digits: '', reason: 'terminator' };
    if (typeof turn === 'string') {
      return { digits: turn, reason: turn.length === options.maxDigits ? 'max' : 'timeout' };
    }
    void this.talk(turn.say);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ digits: '', reason: 'timeout' }), 20_000);
      options.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve({ digits: '', reason: 'aborted' });
      }, { once: true });
    });
  }

  onAudio(listener: (frame: Int16Array) => void): () => void {
    this.audioListeners.add(listener);
    return () => this.audioListeners.delete(listener);
  }

  onDigit(): () => void {
    return () => undefined;
  }

  async sendDigits(): Promise<void> {}
  async hangup(): Promise<void> {}

  private async talk(speech: Int16Array): Promise<void> {
    for (const part of [silence(300), speech, silence(1_500)]) {
      for (let offset = 0; offset < part.length; offset += 160) {
        for (const listener of this.audioListeners) listener(part.subarray(offset, offset + 160));
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }
}
