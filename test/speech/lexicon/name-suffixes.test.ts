import { expect } from 'chai';
import type { RegisteredVoter } from '../../../src/core/voter.js';
import { Prng } from '../../../src/roll/prng.js';
import { nameUtterance } from '../../../src/speech/corpus/utterances.js';
import { heardSuffixWords, ordinalSuffixWords, spokenSuffix, suffixKey } from '../../../src/speech/lexicon/name-suffixes.js';

describe('name suffixes: as the roll writes them and as callers say them', () => {
  it('says each suffix a roll writes, with or without periods and in any case', () => {
    expect(spokenSuffix('JR')).to.deep.equal(['junior']);
    expect(spokenSuffix('Jr.')).to.deep.equal(['junior']);
    expect(spokenSuffix('sr')).to.deep.equal(['senior']);
    expect(spokenSuffix('II')).to.deep.equal(['the', 'second']);
    expect(spokenSuffix('iii')).to.deep.equal(['the', 'third']);
    expect(spokenSuffix('3RD')).to.deep.equal(['the', 'third']);
    expect(spokenSuffix('IV')).to.deep.equal(['the', 'fourth']);
  });

  it('says nothing for no suffix or one it does not know', () => {
    expect(spokenSuffix('')).to.deep.equal([]);
    expect(spokenSuffix(undefined)).to.deep.equal([]);
    expect(spokenSuffix('esq')).to.deep.equal([]);
    expect(spokenSuffix('MD')).to.deep.equal([]);
  });

  it('gives the roll\'s suffix and the word a caller says for it one key', () => {
    expect(suffixKey('JR.')).to.equal(suffixKey('junior'));
    expect(suffixKey('III')).to.equal(suffixKey('third'));
    expect(suffixKey('II')).to.not.equal(suffixKey('III'));
    expect(suffixKey('')).to.equal('');
  });

  it('hears as a suffix the table\'s words a parser keeps (no lone letter, no digits), and "the" before an ordinal', () => {
    expect([...heardSuffixWords].sort()).to.deep.equal(['fifth', 'fourth', 'ii', 'iii', 'iv', 'jr', 'junior', 'second',
      'senior', 'sr', 'third']);
    expect([...ordinalSuffixWords].sort()).to.deep.equal(['fifth', 'fourth', 'second', 'third']);
  });

  it('the corpus\'s voices say a voter\'s suffix some of the time, and never one the voter lacks', () => {
    const voter = (suffix: string): RegisteredVoter => ({ id: '9101', name: { first: 'walter', middle: '', last: 'kowalczyk',
      suffix }, city: 'ames', county: 'story', phone: null, houseNumber: '1', street: 'main st', zip: '50010',
    district: '', precinct: '' });
    const said = new Set<string>();
    const prng = new Prng(8);
    for (let turn = 0; turn < 40; turn += 1) {
      const name = nameUtterance(voter('III'), prng);
      expect(name.text).to.match(/^walter kowalczyk( the third)? (of|in) ames$/);
      expect(name.expected).to.equal('9101');
      said.add(name.nameAlone ?? '');
      expect(nameUtterance(voter(''), prng).text).to.match(/^walter kowalczyk (of|in) ames$/);
    }
    expect([...said].sort()).to.deep.equal(['walter kowalczyk', 'walter kowalczyk the third']);
  });
});
