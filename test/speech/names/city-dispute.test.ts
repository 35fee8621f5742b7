// The city dispute's decision (city-dispute.ts): the two best voters' acoustic scores, per frame, and a lead
// either way settles it; a small lead, or a side with no path, settles nothing.
import { expect } from 'chai';
import { settleCityDispute } from '../../../src/speech/names/city-dispute.js';
import type { PathAcoustic } from '../../../src/speech/recognizer.js';

const path = (score: number, frames = 200): PathAcoustic => ({ score, frames, speechFrames: frames - 40 });

describe('speech/names: settling a city dispute by the voters\' acoustic fit', () => {
  it('offers the finder\'s city when its voter fits better by at least the lead', () => {
    const settled = settleCityDispute(path(-8000), path(-6000), 5);
    expect(settled.outcome).to.equal('finder');
    expect(settled.leadPerFrame).to.equal(10);
  });

  it('keeps pass 1\'s city when its voter fits better by at least the lead', () => {
    const settled = settleCityDispute(path(-6000), path(-8000), 5);
    expect(settled.outcome).to.equal('own');
    expect(settled.leadPerFrame).to.equal(-10);
  });

  it('settles nothing on a small lead either way, and reports the lead', () => {
    expect(settleCityDispute(path(-6000), path(-5500), 5)).to.deep.equal({ outcome: 'neither', leadPerFrame: 2.5 });
    expect(settleCityDispute(path(-5500), path(-6000), 5)).to.deep.equal({ outcome: 'neither', leadPerFrame: -2.5 });
  });

  it('counts the lead over the longer of the two paths', () => {
    expect(settleCityDispute(path(-6000, 100), path(-4000, 200), 5).leadPerFrame).to.equal(10);
  });

  it('settles nothing when a side has no voter or no frames', () => {
    expect(settleCityDispute(undefined, path(-6000), 5)).to.deep.equal({ outcome: 'neither', leadPerFrame: null });
    expect(settleCityDispute(path(-6000), undefined, 5)).to.deep.equal({ outcome: 'neither', leadPerFrame: null });
    expect(settleCityDispute(path(0, 0), path(0, 0), 5)).to.deep.equal({ outcome: 'neither', leadPerFrame: null });
  });

  it('refuses a lead that is not a number from 0', () => {
    expect(() => settleCityDispute(path(1), path(2), -1)).to.throw(RangeError, /dispute lead -1/);
    expect(() => settleCityDispute(path(1), path(2), Number.NaN)).to.throw(RangeError, /dispute lead NaN/);
  });
});
