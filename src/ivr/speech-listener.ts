// Speech or keypad for one prompt (SPEC §6): the prompt plays while the caller's audio streams to the
// recognizer; speech stops the prompt (barge-in) and a key stops both the prompt and the recognizer,
// so whichever the caller uses answers. When the recognizer cannot start (no engine, every ASR worker
// down) the prompt falls back to the keypad: the dialog never depends on speech to work. A question may
// bring a grammar built at run time (this week's bills) and a second grammar heard on the same audio
// (a phone number where a name is asked); both recognitions come back together.
import { CallerAcoustics } from '../speech/caller-acoustics.js';
import type { GrammarDefinition } from '../speech/grammar/grammar-definition.js';
import { endSilenceMsFor } from '../speech/end-silence.js';
import { sureConfidenceFor } from '../speech/sure-confidence.js';
import { canAddGrammars } from '../speech/names/two-pass-name-recognizer.js';
import type {
  GrammarContext, Recognition, RecognitionStream, RecognizeOptions, Recognizer,
} from '../speech/recognizer.js';
import { within } from '../speech/within.js';
import type { CallChannel, CollectedDigits } from './call-channel.js';
import { sureConfidenceDefault } from './spoken-answer.js';
import {
  heardFromKeys, KeypadListener, type GrammarChoice, type Heard, type ListenRequest, type Listener,
} from './listener.js';

/** A caller may talk this long in one answer ("John Quincy Doe on Main Street in Polk County" fits). */
export const speechAnswerMaxMs = 12_000;
export const hypothesesMax = 5;

/**
 * How long the words may still take once the longest answer the caller could give has ended (speech start +
 * maxSpeechMs), when the keypad's time ran out while they talked. Without a bound a stuck or overloaded
 * engine left the caller in silence for as long as it took: a name on a 550 k-voter roll took 4-51 s, 85 s
 * more on a decoder's first (README, speech: names at scale). Past it the streams are cancelled and the
 * answer counts as not understood.
 */
export const answerWaitMsDefault = 5_000;

const commandWords: Readonly<Record<string, 'menu' | 'help'>> = {
  menu: 'menu', 'main menu': 'menu', help: 'help',
};

/** How surely a command is heard before it is acted on, here as in the menu (sure-confidence.ts). */
const commandSureConfidence = sureConfidenceFor('command') ?? sureConfidenceDefault;

/**
 * "menu" and "help" are commands at every prompt, whatever the grammar of the question, when heard as
 * surely as a menu command is taken without reading it back (sure-confidence.ts, the readings saying
 * the command pooled): one rule for every command, wherever it is said. Below that the question hears
 * them: on generated tuning-voice corpora about a quarter of spoken yes/no answers (mostly "no") came
 * out with "help" as the best reading, at low confidence, and a caller who said "no" was played the
 * help instead of being heard or asked again.
 */
export function heardFromRecognition(recognition: Recognition): Heard {
  const best = recognition.hypotheses[0];
  if (best === undefined) return { kind: 'speech', hypotheses: [] };
  const command = commandOf(best.text);
  if (command !== undefined) {
    const pooled = recognition.hypotheses.reduce((sum, hypothesis) =>
      sum + (commandOf(hypothesis.text) === command ? hypothesis.confidence : 0), 0);
    if (pooled >= commandSureConfidence) return { kind: 'command', command };
  }
  return { kind: 'speech', hypotheses: recognition.hypotheses };
}

function commandOf(text: string): 'menu' | 'help' | undefined {
  return Object.hasOwn(commandWords, text) ? commandWords[text] : undefined;
}

/** Where grammars built at run time go: the engine itself, under any decorator the dialog is given. */
export interface GrammarSink {
  addGrammar(grammar: GrammarDefinition): void;
}

/** `recognizer` when it takes run-time grammars (the two-pass name path passes them to its engine). */
export function grammarSinkOf(recognizer: Recognizer): GrammarSink | undefined {
  return canAddGrammars(recognizer) ? recognizer : undefined;
}

export interface SpeechListenerOptions {
  readonly logger?: { warn(object: object, message: string): void };
  readonly maxSpeechMs?: number;
  /** answerWaitMsDefault when absent. */
  readonly answerWaitMs?: number;
  readonly nBest?: number;
  /** Takes run-time grammars; without it questions that bring one listen with the committed grammar. */
  readonly grammars?: GrammarSink;
}

interface BothHeard {
  readonly main: Recognition;
  readonly alongside: Recognition | null;
}

export class SpeechListener implements Listener {
  readonly speaks = true;
  private readonly keypad: KeypadListener;
  /** What the recognizer learned of this caller's line, for the call's next answers. */
  private readonly acoustics = new CallerAcoustics();

  constructor(
    private readonly channel: CallChannel,
    private readonly recognizer: Recognizer,
    private readonly options: SpeechListenerOptions = {},
  ) {
    this.keypad = new KeypadListener(channel);
  }

  get takesGrammars(): boolean {
    return this.options.grammars !== undefined;
  }

  async listen(request: ListenRequest): Promise<Heard> {
    const speech = request.speech;
    if (speech === undefined) return this.keypad.listen(request);
    const promptMs = request.prompt === undefined ? 0 : Math.ceil(request.prompt.length / 8);
    // Both grammars hear the same audio, so one end of speech serves both.
    const endSilenceMs = endSilenceMsFor(speech.context);
    const maxSpeechMs = this.options.maxSpeechMs ?? speechAnswerMaxMs;
    const open = (choice: GrammarChoice): RecognitionStream => this.recognizer.start({
      ...this.optionsFor(choice, promptMs + request.firstTimeoutMs),
      ...(endSilenceMs === undefined ? {} : { endSilenceMs }),
    });
    let stream: RecognitionStream;
    try {
      stream = open(speech);
    } catch (error) {
      this.options.logger?.warn({ err: error, callId: this.channel.callId }, 'the recognizer could not start; keypad only');
      return this.keypad.listen(request);
    }
    let other: RecognitionStream | null = null;
    if (speech.alongside !== undefined) {
      try {
        other = open(speech.alongside);
      } catch (error) {
        this.options.logger?.warn({ err: error, callId: this.channel.callId },
          `the ${speech.alongside.context} grammar could not start beside ${speech.context}; listening without it`);
      }
    }
    const streams = other === null ? [stream] : [stream, other];
    const bargeIn = new AbortController();
    const spokenAnswer = new AbortController();
    let speaking = false;
    /** When the answer must have been heard by: the first speech start + the longest answer + the wait. */
    let answerDue = Number.POSITIVE_INFINITY;
    for (const each of streams) {
      each.onSpeechStart(() => {
        if (!speaking) answerDue = performance.now() + maxSpeechMs + (this.options.answerWaitMs ?? answerWaitMsDefault);
        speaking = true;
        bargeIn.abort();
      });
    }
    const stopAudio = this.channel.onAudio((frame) => { for (const each of streams) each.write(frame); });
    // A key means a keypad answer: the recognizer stops listening at once.
    const stopKeys = this.channel.onDigit(() => { for (const each of streams) each.cancel(); });
    const alongside = other;
    // A recognizer that fails mid-utterance (every ASR worker gone) leaves the keypad to answer; a second
    // grammar that fails only loses its readings.
    const failed = (error: unknown): null => {
      this.options.logger?.warn({ err: error, callId: this.channel.callId }, 'the recognizer failed; keypad only');
      return null;
    };
    const recognized: Promise<BothHeard | null> = Promise.all([
      stream.result.catch(failed), alongside === null ? null : alongside.result.catch(failed),
    ]).then(([main, beside]) => (main === null ? null : { main, alongside: beside }));
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
      const first = await Promise.race([
        keys.then((collected) => ({ collected })),
        recognized.then((heard) => ({ heard })),
      ]);
      if ('collected' in first) return await this.afterKeys(first.collected, speaking, recognized, answerDue);
      // Failed, cancelled by a key, or nothing said yet: the keypad may still answer until its own timeout.
      if (first.heard === null || !heardSomething(first.heard)) {
        const collected = await keys;
        return heardFromKeys(collected.digits, collected.reason);
      }
      spokenAnswer.abort();
      await keys;
      return heardFromRecognitions(first.heard);
    } finally {
      stopAudio();
      stopKeys();
      for (const each of streams) each.cancel();
    }
  }

  prepare(choice: GrammarChoice): void {
    if (this.recognizer.prepare === undefined) return;
    const fail = (error: unknown): void => {
      this.options.logger?.warn({ err: error, callId: this.channel.callId },
        `readying the ${choice.context} grammar failed; it is built when the question is asked`);
    };
    try {
      void this.recognizer.prepare(this.optionsFor(choice, speechAnswerMaxMs)).catch(fail);
    } catch (error) {
      fail(error);
    }
  }

  /** What the recognizer listens with for `choice` (its grammar handed over first, grammarOf). */
  private optionsFor(choice: GrammarChoice, noSpeechTimeoutMs: number): RecognizeOptions {
    const grammar = this.grammarOf(choice);
    return {
      context: grammar.context,
      ...(grammar.grammarKey === undefined ? {} : { grammarKey: grammar.grammarKey }),
      noSpeechTimeoutMs,
      maxSpeechMs: this.options.maxSpeechMs ?? speechAnswerMaxMs,
      nBest: this.options.nBest ?? hypothesesMax,
      ...(choice.cityHeard === undefined ? {} : { cityHeard: choice.cityHeard }),
      caller: this.acoustics,
    };
  }

  /** A run-time grammar goes to the engine first; an engine that cannot take one uses the committed grammar. */
  private grammarOf(choice: GrammarChoice): { context: GrammarContext; grammarKey?: string } {
    if (choice.grammar === undefined) {
      return choice.grammarKey === undefined ? { context: choice.context }
        : { context: choice.context, grammarKey: choice.grammarKey };
    }
    if (this.options.grammars === undefined) return { context: choice.context };
    this.options.grammars.addGrammar(choice.grammar);
    return { context: choice.grammar.context, grammarKey: choice.grammar.grammarKey };
  }

  /**
   * The keypad finished first: keys win; a timeout while the caller is still talking waits for the words,
   * until `answerDue` (the streams are cancelled by listen() when this returns).
   */
  private async afterKeys(
    collected: CollectedDigits, speaking: boolean, recognized: Promise<BothHeard | null>, answerDue: number,
  ): Promise<Heard> {
    const keyed = collected.digits.length > 0 || collected.reason === 'terminator' || collected.reason === 'hangup';
    if (keyed || !speaking) return heardFromKeys(collected.digits, collected.reason);
    const heard = await within(recognized, answerDue - performance.now(), 'late' as const);
    if (heard === 'late') {
      // The caller did speak: heard, not understood (the question is asked again), never silence.
      this.options.logger?.warn({ callId: this.channel.callId }, 'the recognizer did not answer in time');
      return { kind: 'speech', hypotheses: [] };
    }
    return heard === null ? heardFromKeys(collected.digits, collected.reason) : heardFromRecognitions(heard);
  }
}

function heardSomething(heard: BothHeard): boolean {
  const ended = (recognition: Recognition | null): boolean => recognition !== null
    && recognition.end !== 'cancelled' && recognition.end !== 'no-speech';
  return ended(heard.main) || (ended(heard.alongside) && (heard.alongside?.hypotheses.length ?? 0) > 0);
}

function heardFromRecognitions(heard: BothHeard): Heard {
  const main = heardFromRecognition(heard.main);
  if (heard.alongside === null || main.kind !== 'speech') return main;
  return { ...main, alongside: heard.alongside.hypotheses };
}
