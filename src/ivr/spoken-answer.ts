// What a spoken answer means for one question: the question names its grammar and interprets the
// words; this decides between taking the answer, reading it back first ("I heard you say …"), and
// saying it was none of the choices. Every N-best hypothesis counts, so a second reading that fits the
// question beats a first one that does not, and readings with the same meaning add up.
import type { Hypothesis } from '../speech/recognizer.js';
import { rejectConfidenceFor, rejectLeadFor } from '../speech/reject-confidence.js';
import { sureConfidenceFor } from '../speech/sure-confidence.js';
import type { GrammarChoice, SpeechRequest } from './listener.js';

/** A hypothesis at or above this confidence is taken without reading it back. */
export const sureConfidenceDefault = 0.6;
/**
 * Below this pooled confidence an answer is not even read back: the question counts as not understood
 * (asked again, then the keypad): reading back a wrong number costs the caller more than being asked
 * again. Chosen on the tuning part of the CI corpus (pocketsphinx): 13 of the 15 non-name answers heard
 * below it were wrong (all 6 phone numbers); on the held-out part it drops 2 right answers and 8 wrong.
 */
export const rejectConfidenceDefault = 0.2;

/** The grammars a question listens with (listener.ts: an `alongside` grammar's readings reach `interpretAll`). */
export interface SpokenAnswers<T> extends SpeechRequest {
  /** The answer the words mean, or null when they are none of the choices. */
  interpret(text: string, hypothesis: Hypothesis): T | null;
  /**
   * Overrides the context's sure threshold (src/speech/sure-confidence.ts, else sureConfidenceDefault); 0 takes
   * every interpretable answer as it is.
   */
  readonly sureConfidence?: number;
  /**
   * Overrides the context's reject threshold (src/speech/reject-confidence.ts, else rejectConfidenceDefault)
   * and its least lead over the next meaning; 0 reads back every interpretable answer however unsure.
   */
  readonly rejectConfidence?: number;
  /**
   * Reads the whole N-best at once instead of one hypothesis at a time (names: the phonetic matcher
   * weighs every reading against the roll). When given, `interpret` is not used. `alongside` holds the
   * readings of the `alongside` grammar (empty without one).
   */
  interpretAll?(hypotheses: readonly Hypothesis[], alongside: readonly Hypothesis[]): SpokenMeaning<T>;
  /**
   * Looks the readings up before they are weighed (the roll is in Redis, so this is the one step that waits) and
   * returns the readings to weigh instead: phone numbers of voters first (spoken-phone.ts numbersOnRoll).
   */
  narrow?(heard: HeardReadings): Promise<HeardReadings>;
  /**
   * After the caller denies a read-back, the next likeliest meaning is read back too, when it would itself have
   * been read back (at or above the reject threshold), before the question is asked again. For answers among
   * many alike-sounding choices (towns), where the right one is often second.
   */
  readonly offerRunnerUp?: boolean;
  /** How the answer is read back; the words heard by default. */
  describe?(answer: T, hypothesis: Hypothesis): string;
  /**
   * The grammar the next question listens with when this answer is taken (a name within the town heard), or
   * null: readied while the answer is read back, so the next answer is heard sooner.
   */
  nextSpeech?(answer: T): GrammarChoice | null;
}

export type SpokenMeaning<T> =
  | { readonly kind: 'sure'; readonly answer: T }
  | { readonly kind: 'unsure'; readonly answer: T; readonly said: string; readonly runnerUp?: RunnerUp<T> }
  | { readonly kind: 'none'; readonly said: string };

/** What a question heard: its own grammar's readings and the `alongside` grammar's (empty without one). */
export interface HeardReadings {
  readonly hypotheses: readonly Hypothesis[];
  readonly alongside: readonly Hypothesis[];
}

/** The meaning read back after the first is denied (SpokenAnswers.offerRunnerUp). */
export interface RunnerUp<T> {
  readonly answer: T;
  readonly said: string;
}

/**
 * The answer the hypotheses mean, with the confidence of a MEANING rather than of a wording: readings
 * that mean the same answer ("yes", "yeah", "yep") pool their confidence, so a caller whose "yes" the
 * engine splits between synonyms is not read back. The meaning with the most pooled confidence wins;
 * it is sure at or above the threshold, read back below it, and not taken at all below the reject one
 * or, in a context that asks for one (digit strings), without its lead over the next meaning.
 */
export function interpretSpeech<T>(spoken: SpokenAnswers<T>, hypotheses: readonly Hypothesis[],
  alongside: readonly Hypothesis[] = []): SpokenMeaning<T> {
  if (spoken.interpretAll !== undefined) return spoken.interpretAll(hypotheses, alongside);
  const sure = spoken.sureConfidence ?? sureConfidenceFor(spoken.context) ?? sureConfidenceDefault;
  const meanings = new Map<string, { answer: T; hypothesis: Hypothesis; confidence: number }>();
  for (const hypothesis of hypotheses) {
    const answer = spoken.interpret(hypothesis.text, hypothesis);
    if (answer === null) continue;
    const key = meaningKey(answer);
    const meaning = meanings.get(key);
    if (meaning === undefined) meanings.set(key, { answer, hypothesis, confidence: hypothesis.confidence });
    else meaning.confidence += hypothesis.confidence;
  }
  // Likeliest first; a tie keeps the N-best's order.
  const [best, second] = [...meanings.values()].sort((a, b) => b.confidence - a.confidence);
  const runnerUp = second?.confidence ?? 0;
  const reject = spoken.rejectConfidence ?? rejectConfidenceFor(spoken.context) ?? rejectConfidenceDefault;
  // A question with its own threshold decides alone; otherwise the context may ask for a lead (digit strings).
  const lead = spoken.rejectConfidence === undefined ? rejectLeadFor(spoken.context) : 0;
  if (best === undefined || best.confidence < reject || best.confidence - runnerUp < lead) {
    return { kind: 'none', said: hypotheses[0]?.text ?? '' };
  }
  if (best.confidence >= sure) return { kind: 'sure', answer: best.answer };
  const said = (meaning: { answer: T; hypothesis: Hypothesis }): string =>
    spoken.describe?.(meaning.answer, meaning.hypothesis) ?? meaning.hypothesis.text;
  const offered = spoken.offerRunnerUp === true && second !== undefined && second.confidence >= reject;
  return { kind: 'unsure', answer: best.answer, said: said(best),
    ...(offered ? { runnerUp: { answer: second.answer, said: said(second) } } : {}) };
}

/** Answers are plain values (numbers, strings, booleans, small records): equal JSON, equal meaning. */
function meaningKey(answer: unknown): string {
  return JSON.stringify(answer) ?? String(answer);
}
