// Feature parameters for telephone audio on Debian's 16 kHz en-us model. The model's feat.params starts
// live cepstral mean normalization from a wideband channel's mean (C0 41, C1 -5.3, C2 -0.1 …), but 8 kHz
// audio upsampled to 16 kHz leaves the model's five mel filters above 4 kHz empty, and its mean sits far
// from that (C1 +26, C2 -49, C4 -39). Live CMN only moves its estimate at the end of an utterance, so with
// the model's prior every utterance a fresh decoder hears was decoded against the wrong channel: measured
// on the tuning corpus, 1 of 64 non-name items right with a fresh decoder per item, 28 of 64 with the first
// telephone prior measured (before the noise floor; this one is its re-measurement with the floor on).
import { readFile, writeFile } from 'node:fs/promises';

/**
 * Mean of the batch CMN estimates pocketsphinx logged over the 64 non-name items of
 * test-audio/ci/manifest-tuning.json, each followed by one second of digital silence and heard as the decoder
 * hears a call's first utterance: 8 kHz G.711 through Upsampler8to16 with the 35 dB noise floor under it, a fresh
 * decoder per item; never the held-out part.
 */
export const telephoneCepstralMean: readonly number[] = [
  52.08, 23.91, -48.42, 42.56, -39.02, 1.28, 0.31, -28.65, 14.76, -23.36, 4.58, -5.14, -8.69,
];

/** Writes the model's feat.params with the telephone prior as -cmninit (for the decoder's -featparams). */
export async function writeTelephoneFeatParams(options: { modelDir: string; outPath: string }): Promise<void> {
  const original = await readFile(`${options.modelDir}/feat.params`, 'utf8');
  const kept = original.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('-cmninit'));
  kept.push(`-cmninit ${telephoneCepstralMean.map((value) => value.toFixed(2)).join(',')}`);
  await writeFile(options.outPath, `${kept.join('\n')}\n`);
}
