// How spoken answers are judged: meanings pool the confidence of their wordings, a reading that fits
// the question beats one that does not, and unsure answers are read back in the question's words.
import { expect } from 'chai';
import { interpretSpeech, type SpokenAnswers } from '../../src/ivr/spoken-answer.js';
import { spokenBillChoice } from '../../src/ivr/vote.js';
import { parseYesNo } from '../../src/speech/parse/index.js';
import type { Hypothesis } from '../../src/speech/recognizer.js';

const said = (text: string, confidence: number): Hypothesis => ({ text, confidence, phones: [] });
const yesNo: SpokenAnswers<boolean> = {
  context: 'yesno', interpret: (text) => { const value = parseYesNo(text); return value === null ? null : value === 'yes'; },
};

describe('ivr/spoken-answer: judging what the caller said', () => {
  it('synonyms pool their confidence: "yeah" 0.56 + "yep" 0.44 is a sure yes', () => {
    expect(interpretSpeech(yesNo, [said('yeah', 0.56), said('yep', 0.44)])).to.deep.equal({ kind: 'sure', answer: true });
  });

  it('split between meanings: the larger one is read back, not taken', () => {
    expect(interpretSpeech(yesNo, [said('yes', 0.5), said('no', 0.3), said('yeah', 0.05)]))
      .to.deep.equal({ kind: 'unsure', answer: true, said: 'yes' });
  });

  it('a later meaning with more pooled confidence beats the top reading', () => {
    expect(interpretSpeech(yesNo, [said('no', 0.45), said('yes', 0.3), said('yeah', 0.25)]))
      .to.deep.equal({ kind: 'unsure', answer: true, said: 'yes' });
  });

  it('readings that mean nothing for this question are skipped; none at all is "none" with the top words', () => {
    expect(interpretSpeech(yesNo, [said('balance', 0.7), said('yes', 0.3)]))
      .to.deep.equal({ kind: 'unsure', answer: true, said: 'yes' });
    expect(interpretSpeech(yesNo, [said('balance', 0.9)])).to.deep.equal({ kind: 'none', said: 'balance' });
    expect(interpretSpeech(yesNo, [])).to.deep.equal({ kind: 'none', said: '' });
  });

  it('a question that offers the runner-up names the next meaning, if it would itself be read back', () => {
    const towns: SpokenAnswers<string> = { context: 'city', interpret: (text) => text.replace(/^in /, ''),
      sureConfidence: Number.POSITIVE_INFINITY, offerRunnerUp: true };
    expect(interpretSpeech(towns, [said('hamlin', 0.4), said('ames', 0.25), said('in ames', 0.1), said('boone', 0.25)]))
      .to.deep.equal({ kind: 'unsure', answer: 'hamlin', said: 'hamlin', runnerUp: { answer: 'ames', said: 'ames' } });
    // Below the reject confidence (0.2) the runner-up is not offered; without the flag, never.
    expect(interpretSpeech(towns, [said('hamlin', 0.85), said('ames', 0.15)]))
      .to.deep.equal({ kind: 'unsure', answer: 'hamlin', said: 'hamlin' });
    expect(interpretSpeech({ ...towns, offerRunnerUp: false }, [said('hamlin', 0.6), said('ames', 0.4)]))
      .to.deep.equal({ kind: 'unsure', answer: 'hamlin', said: 'hamlin' });
    expect(interpretSpeech(yesNo, [said('yes', 0.5), said('no', 0.3)])).to.not.have.property('runnerUp');
  });

  it('below the reject confidence an answer is not read back but not understood (asked again, then the keypad)', () => {
    expect(interpretSpeech(yesNo, [said('yes', 0.15), said('balance', 0.85)])).to.deep.equal({ kind: 'none', said: 'yes' });
    // Pooled, the same answer clears it; a question may lower it.
    expect(interpretSpeech(yesNo, [said('yes', 0.15), said('yeah', 0.1), said('balance', 0.75)]))
      .to.deep.equal({ kind: 'unsure', answer: true, said: 'yes' });
    expect(interpretSpeech({ ...yesNo, rejectConfidence: 0 }, [said('yes', 0.15), said('balance', 0.85)]))
      .to.deep.equal({ kind: 'unsure', answer: true, said: 'yes' });
  });

  describe('bills by voice against this week\'s list', () => {
    const bills = [
      { id: 'hr1234', number: 'H.R. 1234', title: 'Test Act', week: '2026-11-23' },
      { id: 'hres5', number: 'H.Res. 5', title: 'Other', week: '2026-11-23' },
    ];
    const spoken = spokenBillChoice(bills);

    it('a number on the list is its place; two wordings of one bill add up', () => {
      expect(interpretSpeech(spoken, [said('h r one two three four', 0.5), said('h r twelve thirty four', 0.3)]))
        .to.deep.equal({ kind: 'sure', answer: 0 });
      expect(interpretSpeech(spoken, [said('h res five', 0.9)])).to.deep.equal({ kind: 'sure', answer: 1 });
    });

    it('"numbers" asks for the list; a bill not on the list is none of the choices', () => {
      expect(interpretSpeech(spoken, [said('numbers', 0.9)])).to.deep.equal({ kind: 'sure', answer: 'list' });
      expect(interpretSpeech(spoken, [said('h r five', 0.9)])).to.deep.equal({ kind: 'none', said: 'h r five' });
    });

    it('an unsure bill is read back by its number, not by what the engine spelled', () => {
      expect(interpretSpeech(spoken, [said('h r one thousand two hundred thirty four', 0.4), said('h r five', 0.6)]))
        .to.deep.equal({ kind: 'unsure', answer: 0, said: 'H R 1234' });
    });
  });
});
