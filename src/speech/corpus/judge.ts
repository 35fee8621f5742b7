// How a recognition counts, per context. The judge turns the recognizer's hypotheses into what the
// dialog would do with them (the matcher for names, the parsers for the rest) and compares that with
// the manifest's expected value.
import type { GrammarContext, Hypothesis } from '../recognizer.js';

export type Outcome =
  /** The dialog would have acted on (or offered for confirmation) the right value. */
  | 'correct'
  /** A wrong value the dialog would have acted on or offered for confirmation (for names: a wrong voter). */
  | 'wrong-confident'
  /** The dialog would re-ask, ask to choose among several, or fall back to the keypad. */
  | 'rejected';

export interface Judgement {
  outcome: Outcome;
  /** The value the dialog took from what was heard (REGN_NUM for names), or null. */
  value: string | null;
  /** For names: the candidate voters the matcher offered, best first (REGN_NUM and a readable name). */
  candidates: Array<{ id: string; label: string }>;
  /** Why it was rejected, when it was (e.g. "several voters", "no parse"). */
  note?: string;
}

export interface CorpusJudge {
  judge(context: GrammarContext, expected: string, hypotheses: readonly Hypothesis[]): Judgement;
  /**
   * A name said after its town (manifest `cityAudio`): the town the dialog goes on with after the town answer,
   * as a slug, or null when it would ask for the town again. `voter` is the name item's expected REGN_NUM (a
   * town read back is confirmed only when it is that voter's). Absent: every town answer is taken as heard.
   */
  townTaken?(voter: string, hypotheses: readonly Hypothesis[]): string | null;
  /**
   * Why an item's expected value can never be right against this judge's roll (a name's voter not on it), or
   * null. Such an item is an error of the manifest or the roll given, not a recognition to score.
   */
  expectedError?(context: GrammarContext, expected: string): string | null;
}

/** Judgement of a value the dialog would act on: right, wrong or nothing. */
export function judgeValue(expected: string, value: string | null, note?: string): Judgement {
  if (value === null) return { outcome: 'rejected', value, candidates: [], note: note ?? 'not understood' };
  return { outcome: value === expected ? 'correct' : 'wrong-confident', value, candidates: [] };
}
