// The town said on its own, the first answer of the town-first name dialog (NAME_TOWN_FIRST, pick-voter.ts),
// as the dialog takes it; the corpus judge takes it the same way (dialog-judge.ts).
import { townOfAnswer } from '../speech/names/city-answer.js';
import type { SpokenAnswers } from './spoken-answer.js';

/**
 * A town said on its own (the roll's towns): its slug, always read back ("I heard you say des moines") before
 * the name is asked within it. Among a thousand towns a wrong one often comes with a confident single reading:
 * on 30 tuning-voice towns of a 550 k roll (make-corpus --towns, seed 93) 4 of the answers the context's sure
 * threshold would have taken without asking were the wrong town, and a name heard in the wrong town can only be
 * some wrong voter of it. Denied, the runner-up town is read back too (offerRunnerUp) before the town is asked
 * again: on 120 tuning-voice towns said alone (make-corpus --towns 200 --split tuning --seed 91) 89 were right
 * read back first and 6 more second, for 9 wrong runner-ups the caller also denies. Asked again, a caller may
 * well be misheard the same way (not measured: the corpus says each town once).
 */
export const spokenTown: SpokenAnswers<string> = {
  context: 'city', interpret: (text) => townOfAnswer(text), describe: (slug) => slug.replace(/-/g, ' '),
  sureConfidence: Number.POSITIVE_INFINITY, offerRunnerUp: true,
};
