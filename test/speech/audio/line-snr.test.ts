import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lineSnrDb } from '../../../src/speech/audio/line-snr.js';
import { decodeAudioFile } from '../../../src/speech/corpus/audio-file.js';
import { noisyLineSnrDbDefault } from '../../../src/speech/pocketsphinx/pocketsphinx-settings.js';
import { tone as toneOf } from '../../telephony/support/caller-media.js';
import { ciManifestPath, testAudioDir } from '../corpus/paths.js';
import { concat, mix, silence, whiteNoise } from '../support/telephone-tts.js';

/** A 440 Hz tone at `amplitude` (8 kHz), standing in for speech. */
const tone = (ms: number, amplitude: number): Int16Array => toneOf(440, ms, amplitude);

/** Two words with a pause, on a line whose noise lies `noiseDb` dBFS (white, seeded). */
function answer(noiseDb: number, seed = 7): Int16Array {
  const words = concat(silence(400), tone(400, 9000), silence(150), tone(500, 6000), silence(600));
  return mix(words, whiteNoise(words.length / 8, noiseDb, seed));
}

describe('line SNR of an answer', () => {
  it('falls as the line gets noisier, the speech unchanged', () => {
    const levels = [-55, -45, -35, -25].map((noiseDb) => lineSnrDb(answer(noiseDb)));
    for (let at = 1; at < levels.length; at++) expect(levels[at]).to.be.below(levels[at - 1] as number);
    // The tones lie 14 and 18 dB under full scale (RMS), so a line at -45 dBFS is some 29 dB under them.
    expect(levels[1]).to.be.within(26, 36);
  });

  it('is near 0 dB for a line with nothing but its noise, and infinite without noise or without sound', () => {
    expect(lineSnrDb(whiteNoise(2000, -40, 3))).to.be.within(0, 3);
    expect(lineSnrDb(concat(silence(300), tone(600, 8000), silence(300)))).to.equal(Number.POSITIVE_INFINITY);
    expect(lineSnrDb(silence(1000))).to.equal(Number.POSITIVE_INFINITY);
    expect(lineSnrDb(new Int16Array(0))).to.equal(Number.POSITIVE_INFINITY);
  });

  it('takes digital silence in the pauses (lost packets, a line sending zeros) for a clean line, never a noisy one', () => {
    const heard = answer(-25);
    expect(lineSnrDb(heard)).to.be.below(noisyLineSnrDbDefault);
    const lost = heard.slice();
    lost.fill(0, 8 * 1000, 8 * 1200);
    expect(lineSnrDb(lost)).to.equal(Number.POSITIVE_INFINITY);
    // Half a window of zeros next to speech: the line's noise is still measured where there is more of it.
    const halfLost = heard.slice();
    halfLost.fill(0, 8 * 1000, 8 * 1050);
    expect(Math.abs(lineSnrDb(halfLost) - lineSnrDb(heard))).to.be.below(1.5);
  });

  it('tells the corpus channel\'s 10 dB lines from its 20 dB ones at the default cut-off', async () => {
    const manifest = JSON.parse(await readFile(ciManifestPath, 'utf8')) as
      { items: Array<{ audio: string; channel: string }> };
    const measured = { snr10: [] as number[], other: [] as number[] };
    for (const item of manifest.items) {
      const snr = lineSnrDb((await decodeAudioFile(join(testAudioDir, 'ci', item.audio))).pcm);
      (item.channel.startsWith('snr10/') ? measured.snr10 : measured.other).push(snr);
    }
    expect(measured.snr10.length).to.be.above(10);
    expect(Math.max(...measured.snr10)).to.be.below(noisyLineSnrDbDefault);
    expect(Math.min(...measured.other)).to.be.above(noisyLineSnrDbDefault);
  });
});
