// At or above which pooled confidence an answer is taken without reading it back, per grammar context (the
// dialog's questions and the corpus judge both ask here, through interpretSpeech). Most contexts use the
// dialog's default (src/ivr/spoken-answer.ts, 0.6). Menu commands take 0.7: a wrong command acted on sends
// the caller into another part of the dialog, a read-back costs one "yes". On three generated command
// corpora of the tuning voices only (seeds 71-73, 276 words, after the telephone MLLR, the grammar without
// balance/pay/mint and the help/money variants) the wrong commands taken without a read-back fell 4 -> 1 and
// the right ones 189 -> 185 (0.65: 2 and 186; above 0.7 only right ones move). What is read back is judged
// as before (a wrong one read back still counts as wrong-confident). A rule on the margin to the runner-up
// was measured too and not kept: asking again when the two best commands are within 0.1 turned 5 wrong
// read-backs into re-asks but 11 right ones as well.
import type { GrammarContext } from './recognizer.js';

export const sureConfidenceByContext: Partial<Record<GrammarContext, number>> = { command: 0.7 };

/** The context's threshold for taking an answer as heard; undefined: the dialog's default. */
export function sureConfidenceFor(context: GrammarContext): number | undefined {
  return sureConfidenceByContext[context];
}
