// The phone-loop confidence inside the two-pass name path, on real pocketsphinx with synthesized telephone
// speech ("mary jones of ames"). Every decode is real (pass 1, the fallback finder, the phone loop, the cities'
// pass 2), but what pass 1 and the fallback finder READ is set by the test (a wrapper over their results), so
// each case reaches the branch it is about: the voter said accepted without the finder's dissent, a wrong city's
// voter rejected, the fallback finder's city taken as a rival over pass 1's wrong one, and with the loop only
// measuring (or off) the answer the path gave before.
import { expect } from 'chai';
import { phoneLoopMeasured, rivalGapMarginMin } from '../../../src/speech/names/phone-loop-confidence.js';
import { type NamePassTimings, type TwoPassOptions } from '../../../src/speech/names/two-pass-name-recognizer.js';
import type { Hypothesis, Recognition } from '../../../src/speech/recognizer.js';
import { pass1WeightDefault } from '../../../src/speech/names/pass-mixture.js';
import { listenWithReadings, useNamePathFixture } from './support/name-path-fixture.js';

describe('speech/names: the phone-loop confidence in the two-pass path (real pocketsphinx)', function () {
  this.timeout(180_000);
  const path = useNamePathFixture('phone-loop-in-path-', 9);

  /** Pass 1 reads `pass1` (none: no city, so the fallback finder is asked); the fallback finder reads `fallback`. */
  async function listen(options: TwoPassOptions, pass1: Hypothesis[], fallback: string):
    Promise<{ heard: readonly Hypothesis[]; trace: NamePassTimings | undefined; withheld: Recognition['withheld'] }> {
    return listenWithReadings(path, options, pass1, [{ text: fallback, confidence: 0.5, phones: [] }]);
  }

  const noCity: Hypothesis[] = [];

  it('accepts the voter said (its gap past the measured threshold) and leaves the finder\'s dissent out', async () => {
    const { heard, trace } = await listen({ phoneLoop: phoneLoopMeasured }, noCity, 'robert miller of ames');
    expect(trace?.fallbackUsed).to.equal(true);
    expect(trace?.voterGaps.map((gap) => gap.text)).to.deep.equal(['mary jones of ames']);
    expect(trace?.voterGaps[0]?.gapPerFrame).to.be.a('number').at.least(phoneLoopMeasured.acceptGapMin as number);
    expect(trace?.phoneLoopDecision).to.equal('accept');
    expect(heard[0]?.text).to.equal('mary jones of ames');
    expect(heard.map((reading) => reading.text)).to.not.include('robert miller of ames');
  });

  it('rejects a voter whose gap is below the reject threshold: nothing is offered', async () => {
    // The voter said, with the threshold set above its measured gap (a wrong voter's gap is far lower:
    // phone-loop.test.ts); the decodes are the same, so the gap is too, within the decoders' carried channel mean.
    const measured = await listen({ phoneLoop: { acceptGapMin: null, rejectGapMax: null } }, noCity,
      'robert miller of ames');
    const gap = measured.trace?.voterGaps[0]?.gapPerFrame;
    expect(gap).to.be.a('number');
    const { heard, trace, withheld } = await listen(
      { phoneLoop: { acceptGapMin: null, rejectGapMax: (gap as number) + 5 } }, noCity, 'robert miller of ames');
    expect(trace?.voterGaps[0]?.text).to.equal('mary jones of ames');
    expect(trace?.phoneLoopDecision).to.equal('reject');
    expect(heard).to.deep.equal([]);
    expect(withheld?.readings[0]?.text).to.equal('mary jones of ames');
    expect(withheld?.why).to.match(/phone loop/);
  });

  it('takes the fallback finder\'s city over pass 1\'s when its voter fits far better', async () => {
    const pass1 = [{ text: 'linda smith of boone', confidence: 1, phones: [] }];
    // Waiting for the finder as long as it takes: this test is about the choice, not the machine's load.
    const { heard, trace } = await listen({ phoneLoop: { ...phoneLoopMeasured, rivalWaitMs: 60_000 } }, pass1,
      'robert miller of ames');
    expect(trace?.fallbackUsed).to.equal(false);
    expect(trace?.citiesDecoded).to.deep.equal(['boone', 'ames']);
    const gaps = new Map(trace?.voterGaps.map((gap) => [gap.city, gap.gapPerFrame ?? -Infinity]));
    // Boone's only voter may find no complete path through this audio at all (then it has no gap).
    expect(gaps.get('ames')).to.be.a('number').at.least(Math.max(phoneLoopMeasured.acceptGapMin as number,
      (gaps.get('boone') ?? -Infinity) + rivalGapMarginMin));
    expect(trace?.phoneLoopDecision).to.equal('accept');
    expect(heard[0]?.text).to.equal('mary jones of ames');
    expect(heard.map((reading) => reading.text)).to.not.include('linda smith of boone');
  });

  it('only measuring, the path answers as with the loop off (with the fit check off, the finder\'s reading still '
    + 'weighs in)', async () => {
    const measured = await listen({ phoneLoop: { acceptGapMin: null, rejectGapMax: null }, fitGapMin: null }, noCity,
      'robert miller of ames');
    const off = await listen({ fitGapMin: null }, noCity, 'robert miller of ames');
    expect(measured.trace?.voterGaps[0]?.gapPerFrame).to.be.a('number');
    expect(measured.trace?.phoneLoopDecision).to.equal('undecided');
    expect(off.trace?.voterGaps).to.deep.equal([]);
    expect(off.trace?.phoneLoopMs).to.equal(0);
    for (const { heard } of [measured, off]) {
      expect(heard[0]?.text).to.equal('mary jones of ames');
      expect(heard.find((reading) => reading.text === 'robert miller of ames')?.confidence,
        'pass-1 weight x the finder\'s 0.5 (another name: no agreement by sound)')
        .to.be.closeTo(pass1WeightDefault * 0.5, 1e-9);
    }
  });
});
