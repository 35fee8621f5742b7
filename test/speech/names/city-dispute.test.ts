// The city dispute's decision (city-dispute.ts): the finder's city is offered when the finder heard a word of its
// voter and that voter fits the audio better by the lead (scores per frame), pass 1's city when its voter fits
// better by the lead; a side the finder heard is offered when the other city found no voter. A small lead, a
// finder's voter the finder heard nothing of, or no path on either side settles nothing.
import { expect } from 'chai';
import {
  leadPerFrame, settleBySwappedCities, settleCityDispute, sharesNameWord, type DisputeSide,
} from '../../../src/speech/names/city-dispute.js';
import { readingSaidIn } from '../../../src/speech/names/reading-words.js';
import type { PathAcoustic } from '../../../src/speech/recognizer.js';

const path = (score: number, frames = 200): PathAcoustic => ({ score, frames, speechFrames: frames - 40 });
/** A side whose voter the finder heard a word of. */
const heard = (acoustic: PathAcoustic | undefined): DisputeSide => ({ acoustic, heardByFinder: true });
/** A side whose voter shares no word with the finder's reading. */
const unheard = (acoustic: PathAcoustic | undefined): DisputeSide => ({ acoustic, heardByFinder: false });

describe('speech/names: settling a city dispute by the voters\' fit and the finder\'s word', () => {
  it('offers the finder\'s city when its voter fits better by at least the lead', () => {
    const settled = settleCityDispute(heard(path(-8000)), heard(path(-6000)), 5);
    expect(settled.outcome).to.equal('finder');
    expect(settled.leadPerFrame).to.equal(10);
  });

  it('keeps pass 1\'s city when its voter fits better by at least the lead', () => {
    const settled = settleCityDispute(heard(path(-6000)), heard(path(-8000)), 5);
    expect(settled.outcome).to.equal('own');
    expect(settled.leadPerFrame).to.equal(-10);
  });

  it('offers no finder\'s voter the finder heard nothing of, however well it fits', () => {
    expect(settleCityDispute(heard(path(-8000)), unheard(path(-6000)), 5))
      .to.deep.equal({ outcome: 'neither', leadPerFrame: 10 });
    expect(settleCityDispute(unheard(path(-8000)), unheard(path(-6000)), 5))
      .to.deep.equal({ outcome: 'neither', leadPerFrame: 10 });
  });

  it('keeps pass 1\'s voter by the lead alone, the finder\'s word or not', () => {
    expect(settleCityDispute(unheard(path(-6000)), heard(path(-8000)), 5))
      .to.deep.equal({ outcome: 'own', leadPerFrame: -10 });
    expect(settleCityDispute(unheard(path(-6000)), unheard(path(-8000)), 5))
      .to.deep.equal({ outcome: 'own', leadPerFrame: -10 });
    expect(settleCityDispute(unheard(path(-6000)), heard(path(-6500)), 5))
      .to.deep.equal({ outcome: 'neither', leadPerFrame: -2.5 });
  });

  it('settles nothing on a small lead either way, and reports the lead', () => {
    expect(settleCityDispute(heard(path(-6000)), heard(path(-5500)), 5))
      .to.deep.equal({ outcome: 'neither', leadPerFrame: 2.5 });
    expect(settleCityDispute(heard(path(-5500)), heard(path(-6000)), 5))
      .to.deep.equal({ outcome: 'neither', leadPerFrame: -2.5 });
  });

  it('lets the finder\'s city\'s voter the finder heard lead by its own smaller lead, pass 1\'s still by the lead', () => {
    // A lead of 2.5 per frame either way: settled toward the finder under a finder's lead of 2, not toward pass 1.
    expect(settleCityDispute(heard(path(-6000)), heard(path(-5500)), 5, 2))
      .to.deep.equal({ outcome: 'finder', leadPerFrame: 2.5 });
    expect(settleCityDispute(heard(path(-6000)), unheard(path(-5500)), 5, 2))
      .to.deep.equal({ outcome: 'neither', leadPerFrame: 2.5 });
    expect(settleCityDispute(heard(path(-5500)), heard(path(-6000)), 5, 2))
      .to.deep.equal({ outcome: 'neither', leadPerFrame: -2.5 });
    expect(settleCityDispute(heard(path(-6000)), heard(path(-5500)), 5, 3))
      .to.deep.equal({ outcome: 'neither', leadPerFrame: 2.5 });
    expect(() => settleCityDispute(heard(path(1)), heard(path(2)), 5, -1)).to.throw(RangeError, /dispute lead -1/);
  });

  it('counts the lead over the longer of the two paths', () => {
    expect(settleCityDispute(heard(path(-6000, 100)), heard(path(-4000, 200)), 5).leadPerFrame).to.equal(10);
  });

  it('offers a heard voter when the other city found none, and nothing when neither did', () => {
    expect(settleCityDispute(heard(path(-6000)), heard(undefined), 5))
      .to.deep.equal({ outcome: 'own', leadPerFrame: null });
    expect(settleCityDispute(heard(undefined), heard(path(-6000)), 5))
      .to.deep.equal({ outcome: 'finder', leadPerFrame: null });
    expect(settleCityDispute(unheard(path(-6000)), heard(undefined), 5))
      .to.deep.equal({ outcome: 'neither', leadPerFrame: null });
    expect(settleCityDispute(heard(undefined), heard(undefined), 5))
      .to.deep.equal({ outcome: 'neither', leadPerFrame: null });
  });

  it('settles nothing when the paths have no frames', () => {
    expect(settleCityDispute(heard(path(0, 0)), heard(path(0, 0)), 5))
      .to.deep.equal({ outcome: 'neither', leadPerFrame: null });
  });

  it('refuses a lead that is not a number from 0', () => {
    expect(() => settleCityDispute(heard(path(1)), heard(path(2)), -1)).to.throw(RangeError, /dispute lead -1/);
    expect(() => settleCityDispute(heard(path(1)), heard(path(2)), Number.NaN)).to.throw(RangeError, /dispute lead NaN/);
  });
});

describe('speech/names: the finder\'s word for a voter', () => {
  it('is a shared given name or a shared surname, never a middle name or a near spelling', () => {
    expect(sharesNameWord(['mary', 'jones'], ['mary', 'smith'])).to.equal(true);
    expect(sharesNameWord(['mary', 'ann', 'jones'], ['linda', 'jones'])).to.equal(true);
    expect(sharesNameWord(['mary', 'ann', 'jones'], ['linda', 'ann', 'smith'])).to.equal(false);
    expect(sharesNameWord(['katherine', 'jones'], ['catherine', 'jonas'])).to.equal(false);
    expect(sharesNameWord([], ['mary'])).to.equal(false);
  });
});

describe('speech/names: settling what the voters left unsettled by both names in both cities', () => {
  it('offers the city both names fit better in by at least the lead, either way', () => {
    expect(settleBySwappedCities({ ownName: 7, finderName: 6 }, 6)).to.equal('finder');
    expect(settleBySwappedCities({ ownName: -6, finderName: -9 }, 6)).to.equal('own');
  });

  it('settles nothing when one name falls short, the names disagree, or nothing was measured', () => {
    expect(settleBySwappedCities({ ownName: 9, finderName: 5.9 }, 6)).to.equal('neither');
    expect(settleBySwappedCities({ ownName: 8, finderName: -8 }, 6)).to.equal('neither');
    expect(settleBySwappedCities({ ownName: -5.9, finderName: -12 }, 6)).to.equal('neither');
    expect(settleBySwappedCities(null, 6)).to.equal('neither');
  });

  it('refuses a lead that is not a number from 0', () => {
    expect(() => settleBySwappedCities({ ownName: 9, finderName: 9 }, -1)).to.throw(RangeError, /from 0/);
    expect(() => settleBySwappedCities({ ownName: 9, finderName: 9 }, Number.NaN)).to.throw(RangeError);
  });

  it('measures a lead per frame of the longer path, finder minus own, and none without both', () => {
    expect(leadPerFrame(path(-8000, 200), path(-7000, 250))).to.equal(4);
    expect(leadPerFrame(undefined, path(-7000))).to.equal(null);
    expect(leadPerFrame(path(-7000, 0), path(-7000, 0))).to.equal(null);
  });

  it('says a reading in another city, keeping its own "of" or "in"', () => {
    expect(readingSaidIn('mary jones of ames', ['des', 'moines'])).to.equal('mary jones of des moines');
    expect(readingSaidIn('mary ann jones in west des moines', ['boone'])).to.equal('mary ann jones in boone');
    expect(readingSaidIn('mary jones', ['ames'])).to.equal('mary jones of ames');
  });
});
