// The noise floor setting as the configuration, the adapter and scripts/adapt-telephone-model all read it.
import { expect } from 'chai';
import {
  isNoiseFloorDb, noiseFloorBelowSpeechDbDefault, noiseFloorBelowSpeechDbMax, noiseFloorDbOf,
} from '../../../src/speech/pocketsphinx/pocketsphinx-settings.js';

describe('pocketsphinx settings: the noise floor', () => {
  it('takes more than 0 and at most the maximum dB under the speech', () => {
    expect(noiseFloorBelowSpeechDbMax).to.equal(90);
    expect([0.5, 35, 90].map(isNoiseFloorDb)).to.deep.equal([true, true, true]);
    expect([0, -3, 90.5, Number.NaN, Number.POSITIVE_INFINITY].map(isNoiseFloorDb))
      .to.deep.equal([false, false, false, false, false]);
    expect(noiseFloorBelowSpeechDbDefault === null || isNoiseFloorDb(noiseFloorBelowSpeechDbDefault)).to.equal(true);
  });

  it('reads "off" as none, a number in range as itself, anything else as not a setting', () => {
    expect(noiseFloorDbOf('off')).to.equal(null);
    expect(noiseFloorDbOf('35')).to.equal(35);
    expect(noiseFloorDbOf('12.5')).to.equal(12.5);
    for (const text of ['', '0', '91', 'abc', 'Infinity', '-5']) expect(noiseFloorDbOf(text), text).to.equal(undefined);
  });
});
