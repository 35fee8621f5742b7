// Per-context reject thresholds: digit strings and phone numbers heard below 0.3 are asked again instead
// of read back, in the dialog's questions and in the corpus judge alike; other contexts keep the default.
import { expect } from 'chai';
import { spokenPhoneNumber } from '../../src/ivr/pick-voter.js';
import { interpretSpeech, rejectConfidenceDefault } from '../../src/ivr/spoken-answer.js';
import { judgeSpoken } from '../../src/speech/corpus/dialog-judge.js';
import { parseDigits, parseYesNo } from '../../src/speech/parse/index.js';
import type { Hypothesis } from '../../src/speech/recognizer.js';
import { rejectConfidenceFor } from '../../src/speech/reject-confidence.js';

const said = (text: string, confidence: number): Hypothesis => ({ text, confidence, phones: [] });
const number = 'five one five five five five zero one nine nine';
const oneDigitOff = 'five one five five five five zero nine nine nine';

describe('speech/reject-confidence: numbers below their context\'s threshold are asked again', () => {
  it('digits and phone numbers reject below 0.3; every other context keeps the dialog\'s default', () => {
    expect(rejectConfidenceFor('digits')).to.equal(0.3);
    expect(rejectConfidenceFor('phone')).to.equal(0.3);
    for (const context of ['command', 'yesno', 'vote', 'bill', 'amount', 'spelled', 'name'] as const) {
      expect(rejectConfidenceFor(context), context).to.equal(undefined);
    }
    expect(rejectConfidenceDefault).to.be.below(0.3);
  });

  it('the phone question: a number at 0.25 is not read back, at 0.3 it is; readings of one number pool', () => {
    expect(interpretSpeech(spokenPhoneNumber, [said(number, 0.25), said(oneDigitOff, 0.24)]))
      .to.deep.equal({ kind: 'none', said: number });
    expect(interpretSpeech(spokenPhoneNumber, [said(number, 0.3), said(oneDigitOff, 0.24)]))
      .to.include({ kind: 'unsure', answer: '5155550199' });
    // "oh" and "zero" are one number: 0.15 + 0.15 clears the threshold together.
    expect(interpretSpeech(spokenPhoneNumber, [said(number, 0.15), said(number.replace('zero', 'oh'), 0.15)]))
      .to.include({ kind: 'unsure', answer: '5155550199' });
  });

  it('a question\'s own threshold still wins over its context\'s', () => {
    expect(interpretSpeech({ ...spokenPhoneNumber, rejectConfidence: 0 }, [said(number, 0.25)]))
      .to.include({ kind: 'unsure', answer: '5155550199' });
  });

  it('the same 0.25 answer is read back at a yes/no question (default threshold)', () => {
    expect(interpretSpeech({ context: 'yesno', interpret: parseYesNo }, [said('yes', 0.25), said('balance', 0.75)]))
      .to.deep.equal({ kind: 'unsure', answer: 'yes', said: 'yes' });
  });

  it('the corpus judge counts a digit string below 0.3 as rejected, not wrong-confident', () => {
    expect(parseDigits('four one two')).to.equal('412');
    expect(judgeSpoken('digits', '412', [said('four one eight', 0.28), said('four one two', 0.27)]).outcome)
      .to.equal('rejected');
    expect(judgeSpoken('digits', '412', [said('four one eight', 0.31), said('four one two', 0.27)]).outcome)
      .to.equal('wrong-confident');
    expect(judgeSpoken('digits', '412', [said('four one two', 0.31), said('four oh one two', 0.3)]).outcome)
      .to.equal('correct');
  });
});
