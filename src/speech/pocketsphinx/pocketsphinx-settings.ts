// The pocketsphinx adapter's settings that the configuration checks too (src/config/config.ts): their
// defaults and bounds in one place, in a module that loads nothing native, so reading the configuration never
// loads koffi or libpocketsphinx.
import { availableParallelism } from 'node:os';

/**
 * How long the result waits for the lattice (N-best) before it goes out with the best reading alone.
 * Lattices of digit and letter loops can take over a second; the caller should not wait for them. Measured
 * on the CI corpus without names (ps_get_lattice timed on the event loop, two callers): p50 2 ms, p75 10 ms,
 * p90 127 ms, max 548 ms; and a small grammar's lattice also waits behind others on the 4 pool threads, so
 * under load even yes/no and vote answers can miss this wait.
 */
export const latticeWaitMsDefault = 150;
/** The longest lattice wait the configuration accepts (POCKETSPHINX_LATTICE_WAIT_MS). */
export const latticeWaitMsMax = 60_000;

/**
 * `utterance`: the audio is kept and decoded when the utterance ends, normalized by its own cepstral mean
 * (batch CMN, as the model was trained); phone numbers and names still stream
 * (utteranceStreamedContexts in pocketsphinx-recognizer.ts). `streaming`: every context is decoded as the audio
 * arrives, normalized by the call's channel mean so far (live CMN; RecognizeOptions.caller, the telephone
 * channel's at the call's start), so the answer comes within one chunk's decode of the end of speech. Measured
 * on 816 generated tuning items (seeds 81-83; right / wrong-confident, streaming → utterance): command 120/5 →
 * 119/5, yes/no 113/6 → 122/9, vote 115/8 → 125/7, digits 46/24 → 48/19, bill 15/16 → 22/12, amount 41/22 →
 * 42/19, phone numbers 12/7 → 10/8, spelled 41/9 → 46/4 (503/97 → 534/83; with commands and phone numbers
 * streamed as in pocketsphinx-recognizer.ts, 537/82); the CI corpus's tuning names 22 → 27 of 48 (none
 * wrong-confident either way).
 */
export const pocketsphinxDecodings = ['utterance', 'streaming'] as const;
export type PocketsphinxDecoding = (typeof pocketsphinxDecodings)[number];
export const decodingDefault: PocketsphinxDecoding = 'utterance';

/**
 * How far under the caller's speech the noise floor lies (audio/noise-floor.ts). Chosen on generated corpora
 * of the tuning voices only, each made twice, with the corpus's line noise and without it (make-corpus
 * --quiet-line; seeds 402-404: 270 menu commands, seed 401: 90 digit strings, seed 405: 36 of every context
 * with names), and the quiet commands once more 12 dB quieter. Right / wrong-confident, no floor → 30 dB →
 * 35 dB: quiet line 538/55 → 594/30 → 601/29 (commands 243/20 → 270/0 → 265/5; every context 236/28 →
 * 266/18 → 273/18: names 23 → 28 → 29 of 36, phone numbers 5 → 13 → 14, spelled 23 → 32 → 31, bills 26/10 →
 * 28/4 → 30/5), quieter commands 225/36 → 255/15 → 257/12, noisy line 502/62 → 502/56 → 505/61 (the floor
 * adds little there). 25 dB did best on the commands (quiet and quieter 529/10, 35 dB 522/17) and worst on
 * the digit strings (both lines 87/33; no floor 95/19, 35 dB 103/23); 40 dB 507/28 on the commands.
 */
export const noiseFloorBelowSpeechDbDefault: number | null = 35;
/** The noise floor lies more than 0 and at most this many dB under the speech (POCKETSPHINX_NOISE_FLOOR_DB). */
export const noiseFloorBelowSpeechDbMax = 90;

/**
 * An answer whose line SNR (audio/line-snr.ts: active speech over the quietest 100 ms) is under this many dB is
 * on a noisy line: it then decodes with POCKETSPHINX_NOISY_MLLR (context-mllr.ts; a streamed name is judged on
 * its first 1.5 s, line-judging-session.ts). The corpus channel's two noise levels measure apart: its 20 dB SNR
 * lines 14.5-20.8 dB, its 10 dB lines 6.3-9.8 dB (546 generated tuning-voice answers and the CI corpus's tuning
 * part), with clipped and packet-loss lines (at 20 dB) from 15.2 up; 12 lies between.
 */
export const noisyLineSnrDbDefault = 12;
/** The noisy-line SNR the configuration takes lies from 0 to this (POCKETSPHINX_NOISY_LINE_SNR_DB). */
export const noisyLineSnrDbMax = 60;

/** Whether a noise floor this many dB under the speech is one the adapter takes. */
export function isNoiseFloorDb(db: number): boolean {
  return db > 0 && db <= noiseFloorBelowSpeechDbMax;
}

/** A noise floor as written ("off", or dB under the speech): null for off, undefined when it is neither. */
export function noiseFloorDbOf(text: string): number | null | undefined {
  if (text === 'off') return null;
  const db = Number(text);
  return text !== '' && isNoiseFloorDb(db) ? db : undefined;
}

/**
 * POCKETSPHINX_BACKGROUND_DECODES's default (`cores`): while more calls are heard than the machine's cores,
 * decodes that may lag keep to that many (decode-throttle.ts; measured in pocketsphinx-recognizer.ts).
 */
export const backgroundDecodesDefault = availableParallelism();
/** The most decode calls POCKETSPHINX_BACKGROUND_DECODES may name. */
export const backgroundDecodesLimit = 1024;
