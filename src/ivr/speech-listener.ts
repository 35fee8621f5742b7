// Speech or keypad for one prompt (SPEC §6): the prompt plays while the caller's audio streams to the
// recognizer; speech stops the prompt (barge-in) and a key stops both the prompt and the recognizer,
// so whichever the caller uses answers. When the recognizer cannot start (no engine, every ASR worker
// down) the prompt falls back to the keypad: the dialog never depends on speech to work.
import type { GrammarContext, Recognition, Recognizer } from '../speech/recognizer.js';
import type { CallChannel, CollectedDigits } from './call-channel.js';
import { heardFromKeys, KeypadListener, type Heard, type ListenRequest, type Listener } from './listener.js';

/** A caller may talk this long in one answer ("John Quincy Doe on Main Street in Polk County" fits). */
export const speechAnswerMaxMs = 12_000;
export const hypothesesMax = 5;
/**
 * Short answers end sooner: a caller who said "yes" should not wait out the pause that names and
 * numbers need between words (those keep the engine's default hangover).
 */
export const endSilenceMsByContext: Partial<Record<GrammarContext, number>> = { yesno: 400, command: 400, vote: 400 };

const commandWords: Readonly<Record<string, 'menu' | 'help'>> = {
  menu: 'menu', 'main menu': 'menu', help: 'help',
};

/** "menu" and "help" are commands at every prompt, whatever the grammar of the question. */
export function heardFromRecognition(recognition: Recognition): Heard {
  const best = recognition.hypotheses[0];
  if (best === undefined) return { kind: 'speech', hypotheses: [] };
  const command = Object.hasOwn(commandWords, best.text) ? commandWords[best.text] : undefined;
  if (command !== undefined) return { kind: 'command', command };
  return { kind: 'speech', hypotheses: recognition.hypotheses };
}

export interface SpeechListenerOptions {
  readonly logger?: { warn(object: object, message: string): void };
  readonly maxSpeechMs?: number;
  readonly nBest?: number;
}

export class SpeechListener implements Listener {
  readonly speaks = true;
  private readonly keypad: KeypadListener;

  constructor(
    private readonly channel: CallChannel,
    private readonly recognizer: Recognizer,
    private readonly options: SpeechListenerOptions = {},
  ) {
    this.keypad = new KeypadListener(channel);
  }

  async listen(request: ListenRequest): Promise<Heard> {
    if (request.speech === undefined) return this.keypad.listen(request);
    const promptMs = request.prompt === undefined ? 0 : Math.ceil(request.prompt.length / 8);
    const endSilenceMs = endSilenceMsByContext[request.speech.context];
    let stream;
    try {
      stream = this.recognizer.start({
        context: request.speech.context,
        ...(request.speech.grammarKey === undefined ? {} : { grammarKey: request.speech.grammarKey }),
        noSpeechTimeoutMs: promptMs + request.firstTimeoutMs,
        maxSpeechMs: this.options.maxSpeechMs ?? speechAnswerMaxMs,
        nBest: this.options.nBest ?? hypothesesMax,
        ...(endSilenceMs === undefined ? {} : { endSilenceMs }),
      });
    } catch (error) {
      this.options.logger?.warn({ err: error, callId: this.channel.callId }, 'the recognizer could not start; keypad only');
      return this.keypad.listen(request);
    }
    const bargeIn = new AbortController();
    const spokenAnswer = new AbortController();
    let speaking = false;
    stream.onSpeechStart(() => {
      speaking = true;
      bargeIn.abort();
    });
    const stopAudio = this.channel.onAudio((frame) => stream.write(frame));
    // A key means a keypad answer: the recognizer stops listening at once.
    const stopKeys = this.channel.onDigit(() => stream.cancel());
    try {
      if (request.prompt !== undefined) {
        const played = await this.channel.play(request.prompt, { interruptible: true, signal: bargeIn.signal });
        if (played === 'hangup') return { kind: 'hangup' };
      }
      const keys = this.channel.collectDigits({
        maxDigits: request.maxKeys, timeoutMs: request.firstTimeoutMs, interDigitTimeoutMs: request.interKeyTimeoutMs,
        signal: spokenAnswer.signal,
        ...(request.terminators === undefined ? {} : { terminators: request.terminators }),
      });
      // A recognizer that fails mid-utterance (every ASR worker gone) leaves the keypad to answer.
      const recognized = stream.result.then((recognition) => recognition, (error: unknown) => {
        this.options.logger?.warn({ err: error, callId: this.channel.callId }, 'the recognizer failed; keypad only');
        return null;
      });
      const first = await Promise.race([
        keys.then((collected) => ({ collected })),
        recognized.then((recognition) => ({ recognition })),
      ]);
      if ('collected' in first) return await this.afterKeys(first.collected, speaking, recognized);
      const recognition = first.recognition;
      if (recognition === null) {
        const collected = await keys;
        return heardFromKeys(collected.digits, collected.reason);
      }
      // Cancelled by a key, or nothing said yet: the keypad may still answer until its own timeout.
      if (recognition.end === 'cancelled' || recognition.end === 'no-speech') {
        const collected = await keys;
        return heardFromKeys(collected.digits, collected.reason);
      }
      spokenAnswer.abort();
      await keys;
      return heardFromRecognition(recognition);
    } finally {
      stopAudio();
      stopKeys();
      stream.cancel();
    }
  }

  /** The keypad finished first: keys win; a timeout while the caller is still talking waits for the words. */
  private async afterKeys(
    collected: CollectedDigits, speaking: boolean, recognition: Promise<Recognition | null>,
  ): Promise<Heard> {
    const keyed = collected.digits.length > 0 || collected.reason === 'terminator' || collected.reason === 'hangup';
    if (keyed || !speaking) return heardFromKeys(collected.digits, collected.reason);
    const recognized = await recognition;
    return recognized === null ? heardFromKeys(collected.digits, collected.reason) : heardFromRecognition(recognized);
  }
}
