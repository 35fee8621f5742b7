// The town said on its own, the first answer of the town-first name dialog (NAME_TOWN_FIRST, pick-voter.ts),
// as the dialog takes it; the corpus judge takes it the same way (dialog-judge.ts).
import { townOfAnswer } from '../speech/names/city-answer.js';
import type { SpokenAnswers } from './spoken-answer.js';

/**
 * A town said on its own (the roll's towns): its slug, always read back ("I heard you say des moines") before
 * the name is asked within it. Among a thousand towns a wrong one often comes with a confident single reading:
 * on 30 tuning-voice towns of a 550 k roll (make-corpus --towns, seed 93) 4 of the answers the context's sure
 * threshold would have taken without asking were the wrong town, and a name heard in the wrong town can only be
 * some wrong voter of it.
 */
export const spokenTown: SpokenAnswers<string> = {
  context: 'city', interpret: (text) => townOfAnswer(text), describe: (slug) => slug.replace(/-/g, ' '),
  sureConfidence: Number.POSITIVE_INFINITY,
};
