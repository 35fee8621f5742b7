// The recognizer port (SPEC §7): what the dialog, the corpus runner and the gRPC ASR workers need
// from a speech engine, and nothing of pocketsphinx, Vosk or the network. Audio in is always 8 kHz
// mono 16-bit PCM (telephone audio); an engine that wants 16 kHz resamples inside its adapter.
import type { CallerAcoustics } from './caller-acoustics.js';

/** The grammar families a prompt can listen with (`grammars/`). */
export const grammarContexts = [
  'command', 'yesno', 'vote', 'bill', 'amount', 'digits', 'phone', 'spelled', 'name', 'city',
] as const;

export type GrammarContext = (typeof grammarContexts)[number];

/** Contexts whose grammars are generated from the roll (the voice name path), not committed in `grammars/`. */
export type RollGrammarContext = 'name' | 'city';

/** Contexts with a committed grammar and a parser of their own. */
export type StaticGrammarContext = Exclude<GrammarContext, RollGrammarContext>;

export function isRollGrammarContext(context: GrammarContext): context is RollGrammarContext {
  return context === 'name' || context === 'city';
}

export function isGrammarContext(value: string): value is GrammarContext {
  return (grammarContexts as readonly string[]).includes(value);
}

/** One reading of what was said. */
export interface Hypothesis {
  /** Lower-case words separated by single spaces, as the grammar spells them. */
  readonly text: string;
  /** 0..1, comparable within one engine; the dialog confirms or re-asks below its thresholds. */
  readonly confidence: number;
  /** ARPAbet phones without stress marks (e.g. ['M', 'EH', 'R', 'IY']); empty when the engine gives none. */
  readonly phones: readonly string[];
  /**
   * The path's log score in the engine's units (pocketsphinx: base 1.0001, higher is better), when the engine
   * gives one. Comparable only between decodes of the same audio with grammars of equal transition costs.
   */
  readonly pathScore?: number;
  /**
   * The best path's acoustic fit alone (pocketsphinx: its words' acoustic scores summed, no grammar, insertion
   * or silence costs), on the best reading only, when the engine gives one. Comparable between decodes of the
   * same audio whatever their grammars (the name path's phone-loop confidence, src/speech/names/phone-loop.ts).
   */
  readonly acoustic?: PathAcoustic;
}

export interface PathAcoustic {
  /** Summed acoustic log score of the path's frames (pocketsphinx units: base 1.0001, shifted; higher is better). */
  readonly score: number;
  /** Frames (10 ms) the path covers. */
  readonly frames: number;
  /** Of those, frames in words (not silence or noise fillers). */
  readonly speechFrames: number;
}

/** The best path's acoustics among readings (only the best reading carries them), or undefined. */
export function pathAcousticOf(readings: readonly Hypothesis[]): PathAcoustic | undefined {
  return readings.find((reading) => reading.acoustic !== undefined)?.acoustic;
}

export type RecognitionEnd =
  /** The voice activity detector heard speech and then its hangover of silence. */
  | 'end-of-speech'
  /** Nothing but silence until `noSpeechTimeoutMs`. */
  | 'no-speech'
  /** The caller talked past `maxSpeechMs`; what came so far is decoded. */
  | 'max-duration'
  /** `end()` was called (the call ended, or a whole file was fed). */
  | 'finished'
  /** `cancel()` was called: no hypotheses. */
  | 'cancelled';

export interface Recognition {
  /** Best first; empty when nothing was recognized. */
  readonly hypotheses: readonly Hypothesis[];
  readonly end: RecognitionEnd;
  /** Length of the speech segment the VAD found, in ms of audio. */
  readonly speechMs: number;
  /** Wall time from the end of speech (or end()) to this result, in ms. */
  readonly latencyMs: number;
  /**
   * Readings the engine heard but does not offer, and why (the name path's checks: hypotheses is then empty).
   * For reports only: nothing acts on them.
   */
  readonly withheld?: WithheldReadings;
}

export interface WithheldReadings {
  readonly readings: readonly Hypothesis[];
  /** Why nothing was offered, in words for a report. */
  readonly why: string;
}

export interface RecognizeOptions {
  readonly context: GrammarContext;
  /**
   * Selects a grammar variant within the context, opaque to the dialog: e.g. the roll generation and
   * city for names (`gen7/city:ames`). Engines cache compiled grammars by (context, grammarKey).
   */
  readonly grammarKey?: string;
  readonly noSpeechTimeoutMs: number;
  readonly maxSpeechMs: number;
  /**
   * Silence that ends the utterance (the VAD's hangover); the engine default when absent. Short answers
   * ("yes", "vote") can end sooner than names and numbers, whose speakers pause between words.
   */
  readonly endSilenceMs?: number;
  /** How many hypotheses to return at most. */
  readonly nBest: number;
  /**
   * Give the best reading its path acoustics (Hypothesis.acoustic): one more walk of the decoder's best path
   * after every utterance, so only callers that read them ask (the name path's phone-loop confidence).
   */
  readonly pathAcoustics?: boolean;
  /**
   * The call this utterance belongs to (one per call): an engine may carry what it learned of the caller's
   * line (caller-acoustics.ts) to the call's next answers. Absent: the utterance is heard on its own.
   * Not sent to remote ASR workers.
   */
  readonly caller?: CallerAcoustics;
  /**
   * For context 'name' after a 'city' answer: the town as the caller said it on its own (that answer's
   * readings). The name is then heard only among the voters of the likeliest of those towns, and said without
   * its town ("mary smith"). Absent: the name and its town are one utterance. Not sent to remote ASR workers.
   */
  readonly cityHeard?: readonly Hypothesis[];
}

/** One utterance being recognized. */
export interface RecognitionStream {
  /** Frames of 8 kHz mono 16-bit PCM, any length (the endpoints send 20 ms). Ignored after the result. */
  write(frame: Int16Array): void;
  /** No more audio: decode what has come (resolves `result` with end 'finished' unless it already ended). */
  end(): void;
  /** Drop the utterance: `result` resolves with no hypotheses and end 'cancelled'. */
  cancel(): void;
  /** Called once when the VAD first hears speech (barge-in: the dialog stops the prompt). */
  onSpeechStart(listener: () => void): void;
  /**
   * The best reading of the audio written so far, while the caller is still speaking (pocketsphinx:
   * ps_get_hyp mid-utterance), so a later pass can start before the end of speech; null before speech,
   * after the result, or when there is none yet. Engines without partial readings leave it out.
   */
  partial?(): Promise<string | null>;
  /** Resolves exactly once; never rejects for bad audio (junk audio gives no hypotheses). */
  readonly result: Promise<Recognition>;
}

export interface Recognizer {
  /** `pocketsphinx`, `vosk`, or `remote:<engine>` for a gRPC worker pool. */
  readonly engine: string;
  /** Throws UnknownGrammarError when no grammar is loaded for (context, grammarKey). */
  start(options: RecognizeOptions): RecognitionStream;
  /**
   * Readies what an utterance with these options will need (grammars built and compiled into an idle
   * decoder), while the caller is still hearing something else, so its `start` answers sooner. Best effort:
   * an engine may do nothing, and a later `start` behaves the same whether it was called or not. Engines
   * without the work to do leave it out.
   */
  prepare?(options: RecognizeOptions): Promise<void>;
  /** Frees the engine's native resources; streams still open are cancelled. */
  close(): Promise<void>;
}

/** A recognition that heard nothing: no readings, no speech (a stream cancelled, or with nothing to listen with). */
export function nothingHeard(end: Recognition['end']): Recognition {
  return { hypotheses: [], end, speechMs: 0, latencyMs: 0 };
}

/** Thrown at start-up when an engine cannot be used (missing library or model), with what to do about it. */
export class RecognizerUnavailableError extends Error {
  override name = 'RecognizerUnavailableError';
}

/** Thrown by `start` when no grammar is loaded for the options' (context, grammarKey). */
export class UnknownGrammarError extends Error {
  override name = 'UnknownGrammarError';
}
