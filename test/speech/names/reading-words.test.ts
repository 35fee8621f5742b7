// A finder's reading that stopped inside a town's name (reading-words.ts readingCityCompleted): said in full
// when one decoded town begins with its place words and those words are no town themselves; otherwise as it was.
import { expect } from 'chai';
import { nameOfReading, readingCityCompleted, readingParts } from '../../../src/speech/names/reading-words.js';

const towns = new Set(['mount-vernon', 'mount-pleasant', 'mount-ayr', 'mason-city', 'fort-dodge', 'fort', 'ames']);

describe('speech/names: a reading that stopped inside a town\'s name', () => {
  it('is said in full when exactly one decoded town begins with its place words, its "of" or "in" kept', () => {
    expect(readingCityCompleted('jeffrey bailey of mount', towns, ['mount-vernon'])).to.equal('jeffrey bailey of mount vernon');
    expect(readingCityCompleted('richard degiulio in mason', towns, ['ames', 'mason-city']))
      .to.equal('richard degiulio in mason city');
    // Only the decoded towns count: the other "mount" towns were not decoded.
    expect(readingCityCompleted('jeffrey bailey of mount', towns, ['ames', 'mount-ayr'])).to.equal('jeffrey bailey of mount ayr');
  });

  it('stays as it was when two decoded towns begin so, when none does, or when its words are a town already', () => {
    expect(readingCityCompleted('jeffrey bailey of mount', towns, ['mount-vernon', 'mount-pleasant']))
      .to.equal('jeffrey bailey of mount');
    expect(readingCityCompleted('jeffrey bailey of mount', towns, ['ames'])).to.equal('jeffrey bailey of mount');
    // "fort" is a town of its own: the caller may have said it.
    expect(readingCityCompleted('linda selker of fort', towns, ['fort-dodge'])).to.equal('linda selker of fort');
    expect(readingCityCompleted('mary jones of ames', towns, ['ames'])).to.equal('mary jones of ames');
  });

  it('leaves a reading with no place words, or none at all, to the matcher as it was', () => {
    expect(readingCityCompleted('evgeny cassisi of', towns, ['boone'])).to.equal('evgeny cassisi of');
    expect(readingCityCompleted('mary jones', towns, ['ames'])).to.equal('mary jones');
    expect(readingCityCompleted('', towns, ['ames'])).to.equal('');
  });
});

describe('speech/names: a reading\'s name and place', () => {
  it('splits at the last "of"/"in", so a name holding one stays whole; a reading cut short has no place', () => {
    expect(readingParts('mary jones of ames')).to.deep.equal({ name: 'mary jones', place: 'ames' });
    expect(readingParts('hyoung in pineda of des moines')).to.deep.equal(
      { name: 'hyoung in pineda', place: 'des moines' });
    expect(readingParts('mary jones of')).to.deep.equal({ name: 'mary jones', place: undefined });
    expect(readingParts('mary jones')).to.deep.equal({ name: 'mary jones', place: undefined });
    expect(nameOfReading('hyoung in pineda in ames')).to.equal('hyoung in pineda');
  });
});
