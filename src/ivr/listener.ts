// The listening half of a prompt, as a port. The keypad listener plays the prompt (a key stops it)
// and collects keys; the speech listener (speech-listener.ts) also streams the caller's audio to a
// recognizer, so menus ask one question and accept either answer.
import type { GrammarDefinition } from '../speech/grammar/grammar-definition.js';
import type { GrammarContext, Hypothesis } from '../speech/recognizer.js';
import type { CallChannel, CollectedDigits } from './call-channel.js';

/** One grammar to recognize with. */
export interface GrammarChoice {
  readonly context: GrammarContext;
  readonly grammarKey?: string;
  /**
   * A grammar built at run time (this week's bills), handed to the recognizer before listening. An
   * engine that cannot take one listens with the context's committed grammar (grammarKey '') instead.
   */
  readonly grammar?: GrammarDefinition;
  /** For names said after their town: the town the caller gave (RecognizeOptions.cityHeard). */
  readonly cityHeard?: readonly Hypothesis[];
}

/** Which grammar a spoken answer is recognized with; absent means the question is keypad-only. */
export interface SpeechRequest extends GrammarChoice {
  /**
   * A second grammar heard on the same audio at the same time, e.g. a 10-digit phone number where a
   * name is asked: its hypotheses come back beside the main ones and the question decides between them.
   */
  readonly alongside?: GrammarChoice;
}

export interface ListenRequest {
  /** The most keys an answer has (1 for a menu, 10 for a phone number). */
  readonly maxKeys: number;
  /** Time for the first key (or the first word) after the prompt has ended. */
  readonly firstTimeoutMs: number;
  readonly interKeyTimeoutMs: number;
  /** Keys that end a shorter answer early, e.g. '#'. */
  readonly terminators?: string;
  /** 8 kHz prompt audio, played while listening: a key (or speech, barge-in) stops it. */
  readonly prompt?: Int16Array;
  readonly speech?: SpeechRequest;
}

export type Heard =
  | { readonly kind: 'keys'; readonly keys: string }
  | { readonly kind: 'speech'; readonly hypotheses: readonly Hypothesis[]; readonly alongside?: readonly Hypothesis[] }
  | { readonly kind: 'command'; readonly command: 'menu' | 'help' }
  | { readonly kind: 'silence' }
  | { readonly kind: 'hangup' };

export interface Listener {
  /** Whether spoken answers are heard: prompts offer "say yes or no" only then. */
  readonly speaks: boolean;
  /**
   * Whether a question's own grammar, built during the call (this week's bill titles, the money menu's
   * words), is heard. Engines without run-time grammars (Vosk) hear the committed grammar of the context,
   * so prompts must not offer what only the question's own grammar holds.
   */
  readonly takesGrammars: boolean;
  listen(request: ListenRequest): Promise<Heard>;
  /**
   * Readies the recognizer for a question about to be asked with `choice`, while the caller hears something
   * else (a read-back). Best effort: it never throws, and the question is heard the same without it.
   */
  prepare?(choice: GrammarChoice): void;
}

/** Keys that mean a command on the keypad, wherever a prompt is. */
export const menuKey = '*';
export const helpKey = '0';

/** Keypad: * anywhere is "menu"; a lone 0 is "help" (no answer we ask for is the single key 0). */
export function heardFromKeys(keys: string, reason: CollectedDigits['reason']): Heard {
  if (reason === 'hangup') return { kind: 'hangup' };
  if (keys.includes(menuKey)) return { kind: 'command', command: 'menu' };
  if (keys === helpKey) return { kind: 'command', command: 'help' };
  if (keys.length === 0) return reason === 'terminator' ? { kind: 'keys', keys: '' } : { kind: 'silence' };
  return { kind: 'keys', keys };
}

export class KeypadListener implements Listener {
  readonly speaks = false;
  readonly takesGrammars = false;

  constructor(private readonly channel: CallChannel) {}

  async listen(request: ListenRequest): Promise<Heard> {
    if (request.prompt !== undefined) {
      const played = await this.channel.play(request.prompt, { interruptible: true });
      if (played === 'hangup') return { kind: 'hangup' };
    }
    const collected = await this.channel.collectDigits({
      maxDigits: request.maxKeys, timeoutMs: request.firstTimeoutMs, interDigitTimeoutMs: request.interKeyTimeoutMs,
      ...(request.terminators === undefined ? {} : { terminators: request.terminators }),
    });
    return heardFromKeys(collected.digits, collected.reason);
  }
}
