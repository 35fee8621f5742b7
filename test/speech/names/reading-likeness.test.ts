// The finders' readings agree with pass 2's voter by sound (reading-likeness.ts): the share of a reading that
// counts for the voter, and what the matcher then decides on the mixture. Readings are constructed after the
// tuning corpus's cases (a slots reading that split the surname differently; one of another name altogether),
// pronounced with the real CMUdict.
import { expect } from 'chai';
import type { Lexicon } from '../../../src/speech/lexicon/lexicon.js';
import { loadCmudict } from '../../../src/speech/lexicon/cmudict.js';
import { matchName, NameIndex, type MatchableVoter } from '../../../src/speech/matcher/index.js';
import { mixPassReadings } from '../../../src/speech/names/pass-mixture.js';
import {
  agreementBySound, likenessLimitsDefault, nameDistance, sameNameOnly,
} from '../../../src/speech/names/reading-likeness.js';
import type { Hypothesis } from '../../../src/speech/recognizer.js';

const reading = (text: string, confidence: number): Hypothesis => ({ text, confidence, phones: [] });

const voters: MatchableVoter[] = [
  ['nathan', 'dammeyer'], ['keila', 'turner'], ['donald', 'baltrus'], ['karen', 'williams'], ['mary', 'jones'],
].map(([first, last], at) => ({ id: String(2000 + at), first: first as string, middle: '', last: last as string,
  city: 'dubuque', county: 'dubuque', zip: '52001' }));

describe('speech/names: agreement of the finders\' readings with pass 2\'s voter by sound', function () {
  this.timeout(60_000);
  let lexicon: Lexicon;
  let index: NameIndex;
  before(async () => {
    lexicon = await loadCmudict();
    index = NameIndex.build(voters, lexicon);
  });

  it('measures names whole, word boundaries ignored: alike near 0, another name far', () => {
    expect(nameDistance(lexicon, 'mary jones', 'mary jones')).to.equal(0);
    const split = nameDistance(lexicon, 'nathan dammeyer', 'nathan anne meyer');
    const other = nameDistance(lexicon, 'robert miller', 'susan davis');
    expect(split).to.be.below(likenessLimitsDefault.dissentMin);
    expect(other).to.be.at.least(likenessLimitsDefault.dissentMin);
    expect(split).to.be.below(other);
  });

  it('a reading agrees wholly up to agreeMax, not at all from dissentMin, linearly between', () => {
    const agreement = agreementBySound(lexicon, { agreeMax: 0.2, dissentMin: 0.7 });
    expect(agreement('mary jones', 'mary jones')).to.equal(1);
    expect(agreement('robert miller', 'susan davis')).to.equal(0);
    const distance = nameDistance(lexicon, 'nathan dammeyer', 'nathan anne meyer');
    const share = agreement('nathan dammeyer', 'nathan anne meyer');
    expect(share).to.be.above(0);
    expect(share).to.be.closeTo(distance <= 0.2 ? 1 : (0.7 - distance) / 0.5, 1e-9);
    expect(sameNameOnly('nathan dammeyer', 'nathan anne meyer')).to.equal(0);
    expect(() => agreementBySound(lexicon, { agreeMax: 0.5, dissentMin: 0.4 })).to.throw(RangeError, /not 0 <= agree/);
  });

  it('the mixture credits a like-sounding reading to the voter, and keeps the rest of it as dissent', () => {
    const pass2 = [reading('nathan dammeyer of dubuque', 0.9)];
    const finder = [reading('nathan anne meyer of dubuque', 0.5)];
    const agreement = agreementBySound(lexicon);
    const share = agreement('nathan dammeyer', 'nathan anne meyer');
    const mixed = mixPassReadings(pass2, finder, 0.4, agreement);
    expect(mixed[0]?.text).to.equal('nathan dammeyer of dubuque');
    expect(mixed[0]?.confidence).to.be.closeTo(0.9 * 0.6 + 0.5 * 0.4 * share, 1e-9);
    const rest = mixed.find((hypothesis) => hypothesis.text === 'nathan anne meyer of dubuque');
    expect(rest?.confidence ?? 0).to.be.closeTo(0.5 * 0.4 * (1 - share), 1e-9);
    // By name alone the whole reading dissents, as before the likeness.
    expect(mixPassReadings(pass2, finder, 0.4)[1]?.confidence).to.be.closeTo(0.2, 1e-9);
  });

  it('the matcher offers the voter a like-sounding reading agrees with, and asks when the reading is another name', () => {
    const pass2 = [reading('nathan dammeyer of dubuque', 0.9)];
    const agreement = agreementBySound(lexicon);
    const alike = [reading('nathan anne meyer of dubuque', 0.5)];
    const byName = matchName(index, mixPassReadings(pass2, alike, 0.4, sameNameOnly));
    expect(byName.kind, JSON.stringify(byName)).to.not.equal('one');
    const bySound = matchName(index, mixPassReadings(pass2, alike, 0.4, agreement));
    expect(bySound.kind === 'one' ? bySound.voter.last : bySound.kind).to.equal('dammeyer');
    // Pass 2 forced the audio onto Donald Baltrus; the finder heard Keila Turner: still a question, not a voter.
    const forced = [reading('donald baltrus of dubuque', 0.9)];
    const unlike = matchName(index, mixPassReadings(forced, [reading('keila turner of dubuque', 0.5)], 0.4, agreement));
    expect(unlike.kind, JSON.stringify(unlike)).to.not.equal('one');
  });

  it('a reading in another place never agrees with the voter', () => {
    const pass2 = [reading('karen williams of dubuque', 0.9)];
    const mixed = mixPassReadings(pass2, [reading('karen williams of ames', 0.5)], 0.4, agreementBySound(lexicon));
    expect(mixed[0]?.confidence).to.be.closeTo(0.9 * 0.6, 1e-9);
    expect(mixed[1]?.text).to.equal('karen williams of ames');
  });
});
