// What a spoken answer means for one question: the question names its grammar and interprets the
// words; this decides between taking the answer, reading it back first ("I heard you say …"), and
// saying it was none of the choices. N-best hypotheses are tried in order, so a second reading that
// fits the question beats a first one that does not.
import type { GrammarContext, Hypothesis } from '../speech/recognizer.js';

/** A hypothesis at or above this confidence is taken without reading it back. */
export const sureConfidenceDefault = 0.6;

export interface SpokenAnswers<T> {
  readonly context: GrammarContext;
  readonly grammarKey?: string;
  /** The answer the words mean, or null when they are none of the choices. */
  interpret(text: string, hypothesis: Hypothesis): T | null;
  /** Overrides sureConfidenceDefault; 0 takes every interpretable answer as it is. */
  readonly sureConfidence?: number;
  /**
   * Reads the whole N-best at once instead of one hypothesis at a time (names: the phonetic matcher
   * weighs every reading against the roll). When given, `interpret` is not used.
   */
  interpretAll?(hypotheses: readonly Hypothesis[]): SpokenMeaning<T>;
  /** How the answer is read back; the words heard by default. */
  describe?(answer: T, hypothesis: Hypothesis): string;
}

export type SpokenMeaning<T> =
  | { readonly kind: 'sure'; readonly answer: T }
  | { readonly kind: 'unsure'; readonly answer: T; readonly said: string }
  | { readonly kind: 'none'; readonly said: string };

export function interpretSpeech<T>(spoken: SpokenAnswers<T>, hypotheses: readonly Hypothesis[]): SpokenMeaning<T> {
  if (spoken.interpretAll !== undefined) return spoken.interpretAll(hypotheses);
  const sure = spoken.sureConfidence ?? sureConfidenceDefault;
  for (const [index, hypothesis] of hypotheses.entries()) {
    const answer = spoken.interpret(hypothesis.text, hypothesis);
    if (answer === null) continue;
    // Only the best reading can be sure: a later one fitting better is still worth a read-back.
    if (index === 0 && hypothesis.confidence >= sure) return { kind: 'sure', answer };
    return { kind: 'unsure', answer, said: spoken.describe?.(answer, hypothesis) ?? hypothesis.text };
  }
  return { kind: 'none', said: hypotheses[0]?.text ?? '' };
}
