// Per-context reject thresholds: digit strings heard below 0.3, or less than 0.05 above the next reading of
// another string, are asked again instead of read back, in the dialog's questions and in the corpus judge
// alike; other contexts keep the default and ask for no lead.
import { expect } from 'chai';
import { spokenPhoneNumber } from '../../src/ivr/spoken-phone.js';
import { interpretSpeech, rejectConfidenceDefault, type SpokenAnswers } from '../../src/ivr/spoken-answer.js';
import { judgeSpoken } from '../../src/speech/corpus/dialog-judge.js';
import { parseDigits, parseYesNo } from '../../src/speech/parse/index.js';
import type { Hypothesis } from '../../src/speech/recognizer.js';
import { rejectConfidenceFor, rejectLeadFor } from '../../src/speech/reject-confidence.js';

const said = (text: string, confidence: number): Hypothesis => ({ text, confidence, phones: [] });
const number = 'five one five five five five zero one nine nine';
const oneDigitOff = 'five one five five five five zero nine nine nine';

const spokenDigitString: SpokenAnswers<string> = { context: 'digits', interpret: (text) => parseDigits(text) };

describe('speech/reject-confidence: digit strings below their context\'s threshold are asked again', () => {
  it('digits reject below 0.3; every other context keeps the dialog\'s default', () => {
    expect(rejectConfidenceFor('digits')).to.equal(0.3);
    for (const context of ['command', 'yesno', 'vote', 'bill', 'amount', 'phone', 'spelled', 'name'] as const) {
      expect(rejectConfidenceFor(context), context).to.equal(undefined);
    }
    expect(rejectConfidenceDefault).to.be.below(0.3);
  });

  it('digits ask for a lead of 0.05 over the next meaning; every other context for none', () => {
    expect(rejectLeadFor('digits')).to.equal(0.05);
    for (const context of ['command', 'yesno', 'vote', 'bill', 'amount', 'phone', 'spelled', 'name'] as const) {
      expect(rejectLeadFor(context), context).to.equal(0);
    }
  });

  it('a digits question: a string one digit from a near-equal twin is asked again however confident', () => {
    // 0.45 against 0.42: above the threshold, but the twin is within the lead.
    expect(interpretSpeech(spokenDigitString, [said('four one two', 0.45), said('four one eight', 0.42)]))
      .to.deep.equal({ kind: 'none', said: 'four one two' });
    expect(interpretSpeech(spokenDigitString, [said('four one two', 0.5), said('four one eight', 0.44)]))
      .to.include({ kind: 'unsure', answer: '412' });
    // The lead is between meanings: "oh" and "zero" readings of one string pool before it is measured,
    // and the runner-up is the best other string, whichever order the readings come in.
    expect(interpretSpeech(spokenDigitString, [said('four zero two', 0.25), said('four one two', 0.36),
      said('four oh two', 0.25)])).to.include({ kind: 'unsure', answer: '402' });
    expect(interpretSpeech(spokenDigitString, [said('four one two', 0.2), said('four zero two', 0.4),
      said('four one eight', 0.37)])).to.deep.equal({ kind: 'none', said: 'four one two' });
    // A question's own threshold decides alone, without the context's lead.
    expect(interpretSpeech({ ...spokenDigitString, rejectConfidence: 0.3 },
      [said('four one two', 0.45), said('four one eight', 0.42)])).to.include({ kind: 'unsure', answer: '412' });
  });

  it('a phone question and a yes/no question take a near tie (no lead asked)', () => {
    expect(interpretSpeech(spokenPhoneNumber, [said(number, 0.45), said(oneDigitOff, 0.44)]))
      .to.include({ kind: 'unsure', answer: '5155550199' });
    expect(interpretSpeech({ context: 'yesno', interpret: parseYesNo }, [said('yes', 0.51), said('no', 0.49)]))
      .to.include({ kind: 'unsure', answer: 'yes' });
  });

  it('a digits question: a string at 0.25 is not read back, at 0.3 it is; readings of one string pool', () => {
    expect(interpretSpeech(spokenDigitString, [said('four one two', 0.25), said('four one eight', 0.24)]))
      .to.deep.equal({ kind: 'none', said: 'four one two' });
    expect(interpretSpeech(spokenDigitString, [said('four one two', 0.3), said('four one eight', 0.24)]))
      .to.include({ kind: 'unsure', answer: '412' });
    // "oh" and "zero" are one digit: 0.15 + 0.15 clears the threshold together.
    expect(interpretSpeech(spokenDigitString, [said('four zero two', 0.15), said('four oh two', 0.15)]))
      .to.include({ kind: 'unsure', answer: '402' });
  });

  it('a question\'s own threshold still wins over its context\'s', () => {
    expect(interpretSpeech({ ...spokenDigitString, rejectConfidence: 0 }, [said('four one two', 0.25)]))
      .to.include({ kind: 'unsure', answer: '412' });
  });

  it('the same 0.25 answer is read back at the phone question and a yes/no question (default threshold)', () => {
    expect(interpretSpeech(spokenPhoneNumber, [said(number, 0.25), said(oneDigitOff, 0.24)]))
      .to.include({ kind: 'unsure', answer: '5155550199' });
    expect(interpretSpeech({ context: 'yesno', interpret: parseYesNo }, [said('yes', 0.25), said('balance', 0.75)]))
      .to.deep.equal({ kind: 'unsure', answer: 'yes', said: 'yes' });
  });

  it('the corpus judge counts a digit string below 0.3 as rejected, not wrong-confident', () => {
    expect(judgeSpoken('digits', '412', [said('four one eight', 0.28), said('four one two', 0.27)]).outcome)
      .to.equal('rejected');
    expect(judgeSpoken('digits', '412', [said('four one eight', 0.33), said('four one two', 0.27)]).outcome)
      .to.equal('wrong-confident');
    expect(judgeSpoken('digits', '412', [said('four one two', 0.36), said('four oh one two', 0.3)]).outcome)
      .to.equal('correct');
  });

  it('the corpus judge counts a digit string within 0.05 of another as rejected, as the dialog asks again', () => {
    expect(judgeSpoken('digits', '412', [said('four one eight', 0.31), said('four one two', 0.27)]).outcome)
      .to.equal('rejected');
    expect(judgeSpoken('digits', '412', [said('four one two', 0.4), said('four oh one two', 0.36)]).outcome)
      .to.equal('rejected');
  });
});
