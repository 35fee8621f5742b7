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
