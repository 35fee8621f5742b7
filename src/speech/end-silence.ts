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

// Every context's engine hears the whole hangover (vad-stream.ts). Name utterances used to be handed only
// 200 ms of it, to save decoding (each is heard by 3-5 streams), until held-out voices showed what that cost:
// at 10 dB SNR the VAD's last loud frame comes up to 440 ms before a town's weak last syllables. Right / wrong
// voters offered by the corpus runner, 200 ms against the whole hangover: tuning names (seeds 166, 167) 150 / 6
// against 153 / 4; held out (seeds 168, 169) 93 / 5 against 93 / 2, then on fresh held-out seeds 170 and 171
// 99 / 3 against 100 / 2. The name path decodes 18 % more audio (632 against 747 s for 80 names); its CPU time
// moved by less than the machine's own run-to-run spread (-2 % and +4 % in two paired runs).
