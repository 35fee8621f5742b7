// The fit check inside the two-pass name path, on real pocketsphinx with synthesized telephone speech. Pass 1
// and the fallback finder are the real decodes, but what they READ is set by the test (a wrapper over their
// results: pass 1 hears no city, the fallback finder hears another name in the right city), so the path must
// ask the fallback finder and align pass 2's voter against a free reading it disagrees with: the voter said
// fits far better, so that reading is left out of the mixture (the default); with the check off it still weighs in.
import { expect } from 'chai';
import { fitGapMinDefault } from '../../../src/speech/names/reading-fit.js';
import {
  TwoPassNameRecognizer, twoPassDefaults, type NamePassTimings, type TwoPassOptions,
} from '../../../src/speech/names/two-pass-name-recognizer.js';
import type { Hypothesis } from '../../../src/speech/recognizer.js';
import { pass1WeightDefault } from '../../../src/speech/names/pass-mixture.js';
import { recognize } from '../support/recognize.js';
import { ReadingsSetBy, useNamePathFixture } from './support/name-path-fixture.js';

describe('speech/names: the fit check in the two-pass path (real pocketsphinx)', function () {
  this.timeout(180_000);
  const path = useNamePathFixture('fit-in-path-', 8);

  async function listen(options: TwoPassOptions):
    Promise<{ heard: readonly Hypothesis[]; trace: NamePassTimings | undefined }> {
    const { real, generation, speech } = path;
    const fallbackKey = generation.fallbackFinder?.grammarKey ?? '';
    const base = new ReadingsSetBy(real, new Map([
      // Pass 1 heard speech but no city: the path asks the fallback finder.
      [generation.cityFinder.grammarKey, (): Hypothesis[] => []],
      // The fallback finder names the right city with another voter's name.
      [fallbackKey, (): Hypothesis[] => [{ text: 'robert miller of ames', confidence: 0.5, phones: [] }]],
    ]));
    const traces: NamePassTimings[] = [];
    const recognizer = new TwoPassNameRecognizer(base, () => Promise.resolve(generation), options,
      (timings) => traces.push(timings));
    const heard = await recognize(recognizer, speech, { context: 'name' });
    return { heard: heard.hypotheses, trace: traces[0] };
  }

  it('aligns pass 2\'s voter against the fallback finder\'s reading and leaves that reading out when the voter fits '
    + '(the default)', async () => {
    expect(twoPassDefaults.fitGapMin).to.equal(fitGapMinDefault);
    const { heard, trace } = await listen({});
    expect(trace?.fallbackUsed).to.equal(true);
    expect(trace?.citiesDecoded).to.deep.equal(['ames']);
    expect(trace?.pass2Readings[0]?.text).to.equal('mary jones of ames');
    expect(trace?.fitGapPerFrame, 'the voter said fits better than the other name').to.be.a('number')
      .at.least(fitGapMinDefault);
    expect(trace?.fitMs).to.be.above(0);
    expect(heard.map((reading) => reading.text)).to.not.include('robert miller of ames');
    expect(heard[0]?.text).to.equal('mary jones of ames');
  });

  it('with the check off, the fallback finder\'s reading still weighs in (the mixture as before)', async () => {
    const { heard, trace } = await listen({ fitGapMin: null });
    expect(trace?.fallbackUsed).to.equal(true);
    expect(trace?.fitGapPerFrame).to.equal(null);
    expect(trace?.fitMs).to.equal(0);
    const other = heard.find((reading) => reading.text === 'robert miller of ames');
    expect(other?.confidence, 'pass-1 weight x the finder\'s 0.5 (another name: no agreement by sound)')
      .to.be.closeTo(pass1WeightDefault * 0.5, 1e-9);
    expect(heard[0]?.text).to.equal('mary jones of ames');
  });
});
