// The corpus judges a non-name item as the dialog's question would take it (src/ivr/spoken-answer.ts):
// over the whole N-best, readings of one meaning pooled, unreadable ones skipped, unsure ones read back
// (still a wrong-confident when wrong), too unsure ones not taken at all.
import { expect } from 'chai';
import { DialogJudge, judgeSpoken, judgeTown } from '../../../src/speech/corpus/dialog-judge.js';
import { loadCmudict } from '../../../src/speech/lexicon/cmudict.js';
import { NameIndex } from '../../../src/speech/matcher/index.js';
import type { Hypothesis } from '../../../src/speech/recognizer.js';

const said = (text: string, confidence: number): Hypothesis => ({ text, confidence, phones: [] });

describe('speech corpus: judging what the dialog would take', () => {
  it('a second reading the parser reads beats a first one it cannot (a nine-digit phone number)', () => {
    const judged = judgeSpoken('phone', '5153424915', [said('one one five three four two four five one five', 0.3),
      said('five one five three four two four nine one five', 0.25), said('five one five three four', 0.2)]);
    expect(judged.outcome).to.equal('correct');
    expect(judged.value).to.equal('5153424915');
    expect(judged.note).to.match(/^read back/);
  });

  it('wordings of one value pool their confidence, and a sure wrong value is wrong-confident', () => {
    const judged = judgeSpoken('amount', '100', [said('five dollar', 0.4), said('one dollar', 0.35), said('five dollars', 0.25)]);
    expect(judged).to.deep.include({ outcome: 'wrong-confident', value: '500' });
    expect(judged.note).to.equal(undefined);
  });

  it('nothing readable, or readable only below the reject confidence, is a rejection', () => {
    expect(judgeSpoken('digits', '412', []).outcome).to.equal('rejected');
    expect(judgeSpoken('digits', '412', [said('help me', 0.9)]).outcome).to.equal('rejected');
    expect(judgeSpoken('phone', '5153424915', [said('five one five three four two four nine one five', 0.1),
      said('help', 0.9)])).to.deep.include({ outcome: 'rejected', value: null });
  });

  it('a town said alone is its slug, readings with and without "in" pooled; the expected town in any case', () => {
    const judged = judgeTown('Des Moines', [said('in des moines', 0.45), said('des moines', 0.3), said('ames', 0.25)]);
    expect(judged).to.deep.include({ outcome: 'correct', value: 'des-moines' });
    expect(judgeTown('ames', [said('boone', 0.9), said('ames', 0.1)])).to.deep.include({ outcome: 'wrong-confident',
      value: 'boone' });
    expect(judgeTown('ames', [])).to.deep.include({ outcome: 'rejected', value: null });
  });

  it('a town read back and denied: the runner-up read back next is taken when it is the right town', () => {
    expect(judgeTown('ames', [said('boone', 0.6), said('ames', 0.4)])).to.deep.include({ outcome: 'correct',
      value: 'ames', note: 'read back: "boone", denied; then "ames"' });
    expect(judgeTown('ames', [said('boone', 0.6), said('nevada', 0.4)])).to.deep.include({ outcome: 'wrong-confident',
      value: 'boone' });
    // Below the reject confidence the runner-up is never offered.
    expect(judgeTown('ames', [said('boone', 0.85), said('ames', 0.15)])).to.deep.include({ outcome: 'wrong-confident' });
  });

  it('the town a name is then heard in: the one read back, else the runner-up, when the voter lives there', async () => {
    const judge = new DialogJudge(NameIndex.build([
      { id: '7001', first: 'mary', middle: '', last: 'jones', city: 'Des Moines', county: 'polk', zip: '50309' },
      { id: '7002', first: 'ann', middle: '', last: 'lee', city: 'Ames', county: 'story', zip: '50010' },
    ], await loadCmudict()));
    expect(judge.townTaken('7001', [said('des moines', 0.6), said('ames', 0.4)])).to.equal('des-moines');
    expect(judge.townTaken('7001', [said('ames', 0.6), said('in des-moines', 0.4)])).to.equal('des-moines');
    expect(judge.townTaken('7002', [said('des moines', 0.6), said('boone', 0.4)])).to.equal(null);
    expect(judge.townTaken('7002', [said('des moines', 0.85), said('ames', 0.15)])).to.equal(null);
    // A name item can be right only if its voter is on the roll; other contexts are not the roll's business.
    expect(judge.expectedError('name', '7001')).to.equal(null);
    expect(judge.expectedError('name', '7003')).to.equal('expected voter 7003 is not on the roll');
    expect(judge.expectedError('digits', '7003')).to.equal(null);
  });
});
