// The agreement check of the two-pass name path (cityAgreementDefault), on real pocketsphinx with synthesized
// telephone speech ("mary jones of ames"). Every decode is real, but what pass 1 and the fallback finder READ
// is set by the test, so each case reaches the branch it is about: the finder hears the top voter's city or
// its surname (offered), another city and surname (both cities' voters decoded and the better-fitting one
// offered on a clear lead when the finder heard a word of it, city-dispute.ts) or nothing (nothing offered), the
// check turned off, and the
// fallback finder naming the cities itself (nothing to check against).
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import {
  disputeFinderLeadMeasured, disputeLeadMeasured, settleBySwappedCities, swapLeadMeasured,
} from '../../../src/speech/names/city-dispute.js';
import { twoPassDefaults, type NamePassTimings, type TwoPassOptions } from '../../../src/speech/names/two-pass-name-recognizer.js';
import type { Hypothesis, Recognition } from '../../../src/speech/recognizer.js';
import { listenWithReadings, pathVoters, useNamePathFixture } from './support/name-path-fixture.js';

describe('speech/names: the city-or-surname agreement check in the two-pass path (real pocketsphinx)', function () {
  this.timeout(180_000);
  const path = useNamePathFixture('city-agreement-', 9);

  /** Pass 1 reads `pass1` (empty: no city, so the fallback finder names it); the fallback finder reads `finder`. */
  async function listen(options: TwoPassOptions, pass1: string[], finder: string):
    Promise<{ heard: readonly Hypothesis[]; trace: NamePassTimings | undefined; withheld: Recognition['withheld'] }> {
    return listenWithReadings(path, options,
      pass1.map((text) => ({ text, confidence: 1 / pass1.length, phones: [] })),
      finder === '' ? [] : [{ text: finder, confidence: 0.5, phones: [] }]);
  }

  it('is on by default; NAME_AGREEMENT_CHECK=false turns it off for serve', () => {
    expect(twoPassDefaults.cityAgreement).to.equal(true);
    expect(loadConfig({}).nameAgreementCheck).to.equal(true);
    expect(loadConfig({ NAME_AGREEMENT_CHECK: 'FALSE' }).nameAgreementCheck).to.equal(false);
    expect(() => loadConfig({ NAME_AGREEMENT_CHECK: 'sometimes' })).to.throw(ConfigError, /NAME_AGREEMENT_CHECK/);
  });

  it('offers the voter when the finder heard its city too, whatever name it heard there', async () => {
    const { heard, trace, withheld } = await listen({}, ['mary jones of ames'], 'robert miller of ames');
    expect(trace?.fallbackUsed).to.equal(false);
    expect(trace?.finderCity).to.equal('ames');
    expect(trace?.cityDisagreed).to.equal(false);
    expect(heard[0]?.text).to.equal('mary jones of ames');
    expect(withheld).to.equal(undefined);
  });

  it('offers the voter when the finder heard its surname, in another city', async () => {
    const { heard, trace } = await listen({}, ['mary jones of ames'], 'marty jones of boone');
    expect(trace?.finderReading).to.equal('marty jones of boone');
    expect(trace?.finderCity).to.equal('boone');
    expect(trace?.cityDisagreed).to.equal(false);
    expect(heard[0]?.text).to.equal('mary jones of ames');
  });

  it('offers nothing when the finder heard another city and surname and the dispute is off', async () => {
    const { heard, trace, withheld } = await listen({ disputeLeadMin: null }, ['mary jones of ames'],
      'linda smith of boone');
    expect(trace?.citiesDecoded).to.deep.equal(['ames']);
    expect(trace?.pass2Readings[0]?.text).to.equal('mary jones of ames');
    expect(trace?.finderCity).to.equal('boone');
    expect(trace?.cityDisagreed).to.equal(true);
    expect(trace?.dispute).to.equal(undefined);
    expect(heard).to.deep.equal([]);
    // What was heard stays visible to reports, with why nothing was offered.
    expect(withheld?.readings[0]?.text).to.equal('mary jones of ames');
    expect(withheld?.why).to.equal('the fallback finder heard "linda smith of boone", neither this town nor this surname');
  });

  it('offers nothing when the finder heard no city at all (no dispute to decode)', async () => {
    expect(twoPassDefaults.disputeLeadMin).to.equal(disputeLeadMeasured);
    const { heard, trace, withheld } = await listen({}, ['mary jones of ames'], '');
    expect(trace?.finderCity).to.equal(null);
    expect(trace?.cityDisagreed).to.equal(true);
    expect(trace?.dispute).to.equal(undefined);
    expect(heard).to.deep.equal([]);
    expect(withheld?.why).to.equal('the fallback finder heard nothing');
  });

  it('a phone-loop pass 1 (large rolls) names the city only: its reading takes no part in the mixture', async () => {
    const { heard, trace } = await listen({}, ['ph_m ph_eh ph_r ph_iy of ames'], 'mary jones of ames');
    expect(trace?.citiesDecoded).to.deep.equal(['ames']);
    expect(trace?.cityDisagreed).to.equal(false);
    expect(heard[0]?.text).to.equal('mary jones of ames');
    expect(heard.some((reading) => reading.text.includes('ph_'))).to.equal(false);
    expect(heard[0]?.confidence).to.equal(trace?.pass2Readings[0]?.confidence);
  });

  it('turned off, the voter of pass 1\'s city is offered as before', async () => {
    const { heard, trace } = await listen({ cityAgreement: false }, ['mary jones of ames'], 'linda smith of boone');
    expect(trace?.finderCity).to.equal(undefined);
    expect(trace?.cityDisagreed).to.equal(undefined);
    expect(heard[0]?.text).to.equal('mary jones of ames');
  });

  it('when the fallback finder named the city itself there is nothing to check against', async () => {
    const { heard, trace } = await listen({}, [], 'mary jones of ames');
    expect(trace?.fallbackUsed).to.equal(true);
    expect(trace?.cityDisagreed).to.equal(undefined);
    expect(heard[0]?.text).to.equal('mary jones of ames');
  });
});

describe('speech/names: a failed agreement check settled by both cities\' voters (real pocketsphinx)', function () {
  this.timeout(180_000);
  // Boone has a voter who sounds nearly like the one said ("mary jones of ames"), so both cities' grammars
  // reach a voter and the two fits are compared; which way the lead goes is pocketsphinx's, not the test's.
  const path = useNamePathFixture('city-dispute-', 9, [...pathVoters,
    { first: 'mary', middle: '', last: 'jonas', city: 'boone' }]);
  const listen = (options: TwoPassOptions, pass1: string, finder: string):
    Promise<{ heard: readonly Hypothesis[]; trace: NamePassTimings | undefined; withheld: Recognition['withheld'] }> =>
    listenWithReadings(path, options,
    [{ text: pass1, confidence: 1, phones: [] }], [{ text: finder, confidence: 0.5, phones: [] }]);
  /** A lead any real difference passes: these tests are about which way it goes. */
  const anyLead: TwoPassOptions = { disputeLeadMin: 0.5, disputeFinderLeadMin: 0.5 };

  it('keeps pass 1\'s voter when it fits the audio better than the finder\'s city\'s and the finder heard its name',
    async () => {
    const { heard, trace } = await listen(anyLead, 'mary jones of ames', 'mary jonas of boone');
    expect(trace?.citiesDecoded).to.deep.equal(['ames']);
    expect(trace?.cityDisagreed).to.equal(true);
    expect(trace?.dispute?.finderCity).to.equal('boone');
    expect(trace?.dispute?.outcome).to.equal('own');
    expect(trace?.dispute?.leadPerFrame).to.be.below(-0.5);
    expect(heard[0]?.text).to.equal('mary jones of ames');
  });

  it('offers the finder\'s city\'s voter when it fits better than pass 1\'s and the finder heard its name', async () => {
    const { heard, trace } = await listen(anyLead, 'mary jonas of boone', 'mary miller of ames');
    expect(trace?.citiesDecoded).to.deep.equal(['boone']);
    expect(trace?.pass2Readings[0]?.text).to.equal('mary jonas of boone');
    expect(trace?.dispute?.finderCity).to.equal('ames');
    expect(trace?.dispute?.outcome).to.equal('finder');
    expect(trace?.dispute?.leadPerFrame).to.be.above(0.5);
    expect(heard[0]?.text).to.equal('mary jones of ames');
    expect(heard.every((reading) => / (of|in) ames$/.test(reading.text))).to.equal(true);
  });

  it('offers nothing when neither voter leads by enough, and reports the lead', async () => {
    const { heard, trace, withheld } = await listen({ disputeLeadMin: 10_000, disputeFinderLeadMin: null },
      'mary jonas of boone', 'mary miller of ames');
    expect(trace?.dispute?.outcome).to.equal('neither');
    expect(trace?.dispute?.leadPerFrame).to.be.a('number');
    expect(heard).to.deep.equal([]);
    expect(withheld?.why).to.match(/; its town's best voter fit (better|worse) by \d+\.\d per 10 ms, under the 10000 that settles it$/);
  });

  it('offers nothing when the finder heard no word of the better-fitting voter', async () => {
    const { heard, trace, withheld } = await listen(anyLead, 'mary jonas of boone', 'robert miller of ames');
    expect(trace?.dispute?.finderVoter).to.equal('mary jones of ames');
    expect(trace?.dispute?.leadPerFrame).to.be.above(0.5);
    expect(trace?.dispute?.outcome).to.equal('neither');
    expect(heard).to.deep.equal([]);
    expect(withheld?.why).to.match(/fit better by \d+\.\d per 10 ms, but the finder heard no word of that voter's name$/);
  });

  it('when the voters leave it unsettled, says both names in both cities and follows what that measured',
    async () => {
    // The finder heard no word of either voter, so the voters settle nothing; the names in both cities are
    // measured. The utterance says "mary jones of ames"; how each name leans between the two towns is
    // pocketsphinx's (without the noise floor "mary jones" fitted "ames" better, with it "boone" by 0.07 a frame),
    // and the path must follow settleBySwappedCities either way.
    for (const lead of [0, 0.5, 1_000]) {
      const { heard, trace } = await listen({ disputeLeadMin: 0.5, disputeSwapLeadMin: lead }, 'mary jonas of boone',
        'robert miller of ames');
      const swapped = trace?.dispute?.swappedCities;
      expect(swapped?.finderName, `lead ${lead}`).to.be.a('number');
      expect(swapped?.ownName, `lead ${lead}`).to.be.a('number');
      const outcome = settleBySwappedCities(swapped ?? null, lead);
      expect(trace?.dispute?.outcome, `lead ${lead}`).to.equal(outcome);
      expect(heard[0]?.text, `lead ${lead}`).to.equal(outcome === 'finder' ? 'mary jones of ames'
        : outcome === 'own' ? 'mary jonas of boone' : undefined);
    }
    const off = await listen({ disputeLeadMin: 0.5, disputeSwapLeadMin: null }, 'mary jonas of boone',
      'robert miller of ames');
    expect(off.trace?.dispute?.outcome).to.equal('neither');
    expect(off.trace?.dispute?.swappedCities).to.equal(undefined);
    expect(off.heard).to.deep.equal([]);
  });

  it('when pass 1\'s town finds no voter, tries the finder\'s town and offers its voter the finder heard a word of',
    async () => {
    const { heard, trace, withheld } = await listenWithReadings(path, {},
      [{ text: 'linda smith of boone', confidence: 1, phones: [] }],
      [{ text: 'mary miller of ames', confidence: 0.5, phones: [] }], ['boone']);
    expect(trace?.citiesDecoded).to.deep.equal(['boone']);
    expect(trace?.pass2Readings).to.deep.equal([]);
    expect(trace?.cityDisagreed).to.equal(false);
    expect(trace?.finderCityTried).to.equal(true);
    expect(trace?.dispute?.finderCity).to.equal('ames');
    expect(trace?.dispute?.outcome).to.equal('finder');
    expect(trace?.dispute?.leadPerFrame).to.equal(null);
    expect(heard[0]?.text).to.equal('mary jones of ames');
    expect(withheld).to.equal(undefined);
  });

  it('when pass 1\'s town finds no voter, offers none of the finder\'s town the finder heard no word of', async () => {
    const { heard, trace, withheld } = await listenWithReadings(path, {},
      [{ text: 'linda smith of boone', confidence: 1, phones: [] }],
      [{ text: 'linda jackson of ames', confidence: 0.5, phones: [] }], ['boone']);
    expect(trace?.finderCityTried).to.equal(true);
    expect(trace?.dispute?.finderVoter).to.equal('mary jones of ames');
    expect(trace?.dispute?.outcome).to.equal('neither');
    expect(heard).to.deep.equal([]);
    expect(withheld?.readings[0]?.text).to.equal('mary jones of ames');
    expect(withheld?.why).to.equal('no voter of boone was heard, and the fallback finder heard "linda jackson of ames": '
      + 'no word of its town\'s best voter');
    // With the dispute off the finder's town is not tried.
    const off = await listenWithReadings(path, { disputeLeadMin: null },
      [{ text: 'linda smith of boone', confidence: 1, phones: [] }],
      [{ text: 'mary miller of ames', confidence: 0.5, phones: [] }], ['boone']);
    expect(off.trace?.finderCityTried).to.equal(false);
    expect(off.trace?.dispute).to.equal(undefined);
    expect(off.heard).to.deep.equal([]);
  });

  it('gives the finder\'s city\'s voter the finder heard its own lead, by default the measured one', async () => {
    expect(twoPassDefaults.disputeFinderLeadMin).to.equal(disputeFinderLeadMeasured);
    expect(disputeFinderLeadMeasured).to.be.below(disputeLeadMeasured);
    // Pass 1's side would need 10,000 per frame; the finder's side (it heard "mary") 0.5.
    const { heard, trace } = await listen({ disputeLeadMin: 10_000, disputeFinderLeadMin: 0.5 },
      'mary jonas of boone', 'mary miller of ames');
    expect(trace?.dispute?.leadPerFrame).to.be.above(0.5);
    expect(trace?.dispute?.outcome).to.equal('finder');
    expect(heard[0]?.text).to.equal('mary jones of ames');
  });

  it('is decoded by default, and the trace names both voters', async () => {
    const { trace } = await listen({}, 'mary jonas of boone', 'mary miller of ames');
    expect(trace?.cityDisagreed).to.equal(true);
    expect(trace?.dispute?.ownVoter).to.equal('mary jonas of boone');
    expect(trace?.dispute?.finderVoter).to.equal('mary jones of ames');
    expect(trace?.dispute?.finderCity).to.equal('ames');
    // The voters' lead here is under the measured one, so the names were said in both cities too.
    expect(twoPassDefaults.disputeSwapLeadMin).to.equal(swapLeadMeasured);
    expect(trace?.dispute?.swappedCities?.finderName).to.be.a('number');
  });
});
