// A bill said at the bill question: readings of bills not on this week's list drop out and the rest share
// out their confidence, unless the engine was sure of a bill not on the list.
import { expect } from 'chai';
import type { Bill } from '../../src/core/bill.js';
import { billsOnList, onListConfidenceMin, preferBillsOnList } from '../../src/ivr/bills-on-list.js';
import { interpretSpeech } from '../../src/ivr/spoken-answer.js';
import { spokenBillChoice } from '../../src/ivr/vote.js';
import type { Hypothesis } from '../../src/speech/recognizer.js';

const heard = (text: string, confidence: number): Hypothesis => ({ text, confidence, phones: [] });

const bills: Bill[] = [
  { id: 'hr1234', number: 'H.R. 1234', title: 'Test Act', week: '2026-11-30' },
  { id: 'hr77', number: 'H.R. 77', title: 'Third Act', week: '2026-11-30' },
  { id: 'hres99', number: 'H.Res. 99', title: 'Other Resolution', week: '2026-11-30' },
];
const onList = new Set(bills.map((bill) => bill.id));

describe('ivr: a bill said against this week\'s list', () => {
  it('shares out the confidence of bills not on the list, so a right bill split by the engine is sure', () => {
    const readings = [heard('h r seven seven', 0.56), heard('h r seven seventy', 0.44)];
    expect(interpretSpeech(spokenBillChoice(bills), readings)).to.deep.include({ kind: 'unsure', answer: 1 });
    const narrowed = preferBillsOnList(readings, onList);
    expect(narrowed.map((reading) => reading.text)).to.deep.equal(['h r seven seven']);
    expect(narrowed[0]?.confidence).to.be.closeTo(1, 1e-9);
    expect(interpretSpeech(spokenBillChoice(bills), narrowed)).to.deep.equal({ kind: 'sure', answer: 1 });
  });

  it('a second reading on the list beats a likelier one that is not', () => {
    const readings = [heard('h r one two three five', 0.5), heard('h r one two three four', 0.3),
      heard('h r one two three', 0.2)];
    const narrowed = preferBillsOnList(readings, onList);
    expect(narrowed).to.have.length(1);
    expect(interpretSpeech(spokenBillChoice(bills), narrowed)).to.deep.equal({ kind: 'sure', answer: 0 });
  });

  it('keeps title words, "numbers" and commands, which are answers too, in proportion', () => {
    const readings = [heard('h r nine nine', 0.4), heard('test act', 0.3), heard('numbers', 0.2),
      heard('house resolution nine nine', 0.1)];
    const narrowed = preferBillsOnList(readings, onList);
    expect(narrowed.map((reading) => reading.text)).to.deep.equal(['test act', 'numbers', 'house resolution nine nine']);
    expect(narrowed.map((reading) => reading.confidence).reduce((a, b) => a + b)).to.be.closeTo(1, 1e-9);
    expect(narrowed[0]?.confidence).to.be.closeTo(0.5, 1e-9);
  });

  it('stands as heard when nothing is off the list, when a bill off it was sure, or too little is left', () => {
    const allOn = [heard('h r seven seven', 0.5), heard('h r one two three four', 0.5)];
    expect(preferBillsOnList(allOn, onList)).to.equal(allOn);
    const sureOff = [heard('h r seven eight', 0.45), heard('h r seventy eight', 0.2), heard('h r seven seven', 0.35)];
    expect(preferBillsOnList(sureOff, onList)).to.equal(sureOff);
    const barely = [heard('h r seven eight', 0.5), heard('h r seven nine', 0.47),
      heard('h r seven seven', onListConfidenceMin / 2)];
    expect(preferBillsOnList(barely, onList)).to.equal(barely);
    const noneOn = [heard('h r five five', 0.7), heard('h r five nine', 0.3)];
    expect(preferBillsOnList(noneOn, onList)).to.equal(noneOn);
    expect(interpretSpeech(spokenBillChoice(bills), noneOn).kind).to.equal('none');
  });

  it('is the bill question\'s narrowing step, for its own readings only', async () => {
    const narrow = spokenBillChoice(bills).narrow;
    expect(narrow).to.be.a('function');
    const alongside = [heard('h r seven eight', 1)];
    const result = await billsOnList(onList)({ hypotheses: [heard('h r seven seven', 0.6), heard('h r seven eight', 0.4)],
      alongside });
    expect(result.hypotheses.map((reading) => reading.text)).to.deep.equal(['h r seven seven']);
    expect(result.alongside).to.equal(alongside);
  });
});
