// How much silence ends an answer, per grammar context. Short answers end sooner: a caller who said
// "yes" should not wait out the pause that names and numbers need between words (those keep the
// engine's default hangover, audio/vad.ts). The dialog listens with these and the corpus runner
// measures with them, so the corpus hears each answer cut the way a call cuts it.
import type { GrammarContext } from './recognizer.js';

export const endSilenceMsByContext: Partial<Record<GrammarContext, number>> = { yesno: 400, command: 400, vote: 400 };

/** The hangover to ask for in this context; undefined: the engine's default. */
export function endSilenceMsFor(context: GrammarContext): number | undefined {
  return endSilenceMsByContext[context];
}

/**
 * How much of a pause the engine is handed, per context (vad-stream.ts holds back the rest, hands it over
 * if speech resumes, and drops it when the hangover ends the utterance); undefined: all of it. Names only:
 * each name utterance is decoded by 3-5 streams (pass 1, the fallback finder, pass 2's cities), each of
 * which decoded the whole 600 ms hangover. Measured on the CI corpus (non-name items alone, so the runs
 * repeat): 200 ms for every context left tuning as it was (37 against 36 of 64 right) but held out lost
 * 3-5 of 48 in votes, bills and digits over two runs each (the decoder's live CMN follows what it heard,
 * and the last digit or "me" of a short answer came out changed), so numbers and short answers keep
 * their whole hangover; names stayed within run-to-run noise (tuning 15 against 12 of 48, held out 11
 * against 12 of 32).
 */
export const decodedSilenceMsByContext: Partial<Record<GrammarContext, number>> = { name: 200 };

export function decodedSilenceMsFor(context: GrammarContext): number | undefined {
  return decodedSilenceMsByContext[context];
}
