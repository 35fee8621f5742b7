// The corpus judges a non-name item as the dialog's question would take it (src/ivr/spoken-answer.ts):
// over the whole N-best, readings of one meaning pooled, unreadable ones skipped, unsure ones read back
// (still a wrong-confident when wrong), too unsure ones not taken at all.
import { expect } from 'chai';
import { judgeSpoken, judgeTown } from '../../../src/speech/corpus/dialog-judge.js';
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
});
