// Below which pooled confidence an answer is not even read back, per grammar context (the dialog's
// questions and the corpus judge both ask here, through interpretSpeech, so the corpus measures what a
// call does). Most contexts use the dialog's default (src/ivr/spoken-answer.ts, 0.2). Digit strings are
// the exception: a reading with one wrong digit among many near-equal readings of the string mostly comes
// out at 0.2-0.3, a right one mostly above. Chosen on a generated corpus of the tuning voices only (45
// items per context, seed 101; the held-out voices were not looked at), three runs: 0.2 → 0.3 kept 23 of
// 24, 22 of 24 and 22 of 22 right answers and cut wrong-confident 17 → 7, 16 → 7, 19 → 6 (0.35 lost a
// quarter of the right ones). Phone numbers were measured too (right 6 → 5 and 5 → 4, wrong-confident
// 7 → 4 and 8 → 5), too few to tell, and on the CI corpus at two callers at once the one right phone number
// fell under it, so they keep the default. A number asked again costs the caller less than one read back wrong.
import type { GrammarContext } from './recognizer.js';

export const rejectConfidenceByContext: Partial<Record<GrammarContext, number>> = { digits: 0.3 };

/** The context's reject threshold; undefined: the dialog's default. */
export function rejectConfidenceFor(context: GrammarContext): number | undefined {
  return rejectConfidenceByContext[context];
}
