import { expect } from 'chai';
import { Prng } from '../../../src/roll/prng.js';
import {
  channelConditions, muLawToPcm, quietLineOf, telephoneChannel,
} from '../../../src/speech/corpus/channel.js';
import { tone } from '../../telephony/support/caller-media.js';
import { concat, silence } from '../support/telephone-tts.js';

/** Half a second of 440 Hz tone, then half a second of digital silence. */
function toneThenSilence(): Int16Array {
  return concat(tone(440, 500), silence(500));
}

const rms = (samples: Int16Array): number =>
  Math.sqrt(samples.reduce((sum, value) => sum + value * value, 0) / samples.length);

describe('corpus telephone channel', () => {
  it('puts noise on the noisy lines and none on the quiet ones', () => {
    const heard = (condition: Parameters<typeof telephoneChannel>[1]): Int16Array =>
      muLawToPcm(telephoneChannel(toneThenSilence(), condition, new Prng(3)));
    const speechRms = 8000 / Math.SQRT2;
    const snr20 = rms(heard('snr20').subarray(4000));
    const snr10 = rms(heard('snr10').subarray(4000));
    expect(20 * Math.log10(speechRms / snr20)).to.be.within(19, 21);
    expect(20 * Math.log10(speechRms / snr10)).to.be.within(9, 11);
    for (const condition of ['quiet', 'clipped-quiet', 'packet-loss-quiet'] as const) {
      expect(rms(heard(condition).subarray(4000)), condition).to.equal(0);
    }
  });

  it('keeps clipping and lost packets on a quiet line', () => {
    const clipped = muLawToPcm(telephoneChannel(toneThenSilence(), 'clipped-quiet', new Prng(3)));
    const peak = Math.max(...clipped.subarray(0, 4000).map(Math.abs));
    // Clipped at a third of the peak and brought back up: the tone's flat tops stand at its old peak.
    expect(clipped.subarray(0, 4000).filter((value) => Math.abs(value) >= peak * 0.97).length).to.be.above(1000);
    const steady = tone(440, 10_000, 4000);
    const lossy = muLawToPcm(telephoneChannel(steady, 'packet-loss-quiet', new Prng(5)));
    let lost = 0;
    for (let start = 0; start < lossy.length; start += 160) {
      if (lossy.subarray(start, start + 160).every((value) => value === 0)) lost += 1;
    }
    expect(lost).to.be.within(5, 60);
  });

  it('turns every drawn condition into its quiet one, and a quiet one into itself', () => {
    expect(channelConditions.map(quietLineOf)).to.deep.equal(['quiet', 'quiet', 'clipped-quiet', 'packet-loss-quiet']);
    expect(quietLineOf('quiet')).to.equal('quiet');
  });
});
