// The agreement check of the two-pass name path (cityAgreementDefault), on real pocketsphinx with synthesized
// telephone speech ("mary jones of ames"). Every decode is real, but what pass 1 and the fallback finder READ
// is set by the test, so each case reaches the branch it is about: the finder hears the top voter's city or
// its surname (offered), another city and surname or nothing (nothing offered), the check turned off, and the
// fallback finder naming the cities itself (nothing to check against).
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import { twoPassDefaults, type NamePassTimings, type TwoPassOptions } from '../../../src/speech/names/two-pass-name-recognizer.js';
import type { Hypothesis } from '../../../src/speech/recognizer.js';
import { listenWithReadings, useNamePathFixture } from './support/name-path-fixture.js';

describe('speech/names: the city-or-surname agreement check in the two-pass path (real pocketsphinx)', function () {
  this.timeout(180_000);
  const path = useNamePathFixture('city-agreement-', 9);

  /** Pass 1 reads `pass1` (empty: no city, so the fallback finder names it); the fallback finder reads `finder`. */
  async function listen(options: TwoPassOptions, pass1: string[], finder: string):
    Promise<{ heard: readonly Hypothesis[]; trace: NamePassTimings | undefined }> {
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
    const { heard, trace } = await listen({}, ['mary jones of ames'], 'robert miller of ames');
    expect(trace?.fallbackUsed).to.equal(false);
    expect(trace?.finderCity).to.equal('ames');
    expect(trace?.cityDisagreed).to.equal(false);
    expect(heard[0]?.text).to.equal('mary jones of ames');
  });

  it('offers the voter when the finder heard its surname, in another city', async () => {
    const { heard, trace } = await listen({}, ['mary jones of ames'], 'marty jones of boone');
    expect(trace?.finderReading).to.equal('marty jones of boone');
    expect(trace?.finderCity).to.equal('boone');
    expect(trace?.cityDisagreed).to.equal(false);
    expect(heard[0]?.text).to.equal('mary jones of ames');
  });

  it('offers nothing when the finder heard another city and surname: pass 2 decoded only pass 1\'s', async () => {
    const { heard, trace } = await listen({}, ['mary jones of ames'], 'linda smith of boone');
    expect(trace?.citiesDecoded).to.deep.equal(['ames']);
    expect(trace?.pass2Readings[0]?.text).to.equal('mary jones of ames');
    expect(trace?.finderCity).to.equal('boone');
    expect(trace?.cityDisagreed).to.equal(true);
    expect(heard).to.deep.equal([]);
  });

  it('offers nothing when the finder heard no city at all', async () => {
    const { heard, trace } = await listen({}, ['mary jones of ames'], '');
    expect(trace?.finderCity).to.equal(null);
    expect(trace?.cityDisagreed).to.equal(true);
    expect(heard).to.deep.equal([]);
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
