// Per-context sure thresholds: a menu command or a vote value heard at 0.65 is read back ("did you say
// audit?") before the dialog acts on it, where a yes/no answer at 0.65 is taken; the dialog's menus and the
// corpus judge agree.
import { expect } from 'chai';
import { interpretSpeech, sureConfidenceDefault } from '../../src/ivr/spoken-answer.js';
import { spokenMenu } from '../../src/ivr/spoken-menu.js';
import { judgeSpoken } from '../../src/speech/corpus/dialog-judge.js';
import { parseVoteValue, parseYesNo } from '../../src/speech/parse/index.js';
import type { Hypothesis } from '../../src/speech/recognizer.js';
import { sureConfidenceFor } from '../../src/speech/sure-confidence.js';

const said = (text: string, confidence: number): Hypothesis => ({ text, confidence, phones: [] });
const politics = spokenMenu({ delegate: 'name-delegate', vote: 'vote', audit: 'audit' });

describe('speech/sure-confidence: menu commands and votes are taken as heard only at 0.7 or above', () => {
  it('commands and vote values take 0.7; every other context keeps the dialog\'s default', () => {
    expect(sureConfidenceFor('command')).to.equal(0.7);
    expect(sureConfidenceFor('vote')).to.equal(0.7);
    for (const context of ['yesno', 'bill', 'amount', 'digits', 'phone', 'spelled', 'name'] as const) {
      expect(sureConfidenceFor(context), context).to.equal(undefined);
    }
    expect(sureConfidenceDefault).to.be.below(0.7);
  });

  it('a menu: a command at 0.65 is read back, at 0.7 it is taken; a vote value likewise, a yes/no at 0.65 taken', () => {
    expect(interpretSpeech(politics, [said('vote', 0.65), said('audit', 0.35)]))
      .to.deep.equal({ kind: 'unsure', answer: 'vote', said: 'vote' });
    expect(interpretSpeech(politics, [said('vote', 0.7), said('audit', 0.3)]))
      .to.deep.equal({ kind: 'sure', answer: 'vote' });
    const vote = { context: 'vote', interpret: parseVoteValue } as const;
    expect(interpretSpeech(vote, [said('absent', 0.65), said('yes', 0.35)]))
      .to.deep.equal({ kind: 'unsure', answer: 'absent', said: 'absent' });
    expect(interpretSpeech(vote, [said('yea', 0.7), said('nay', 0.3)])).to.deep.equal({ kind: 'sure', answer: 'yes' });
    expect(interpretSpeech({ context: 'yesno', interpret: parseYesNo }, [said('yes', 0.65), said('no', 0.35)]))
      .to.deep.equal({ kind: 'sure', answer: 'yes' });
  });

  it('readings of one command pool before the threshold, and a question\'s own threshold still wins', () => {
    expect(interpretSpeech(politics, [said('vote', 0.4), said('audit', 0.25), said('cast a vote', 0.35)]))
      .to.deep.equal({ kind: 'sure', answer: 'vote' });
    expect(interpretSpeech({ ...politics, sureConfidence: 0.6 }, [said('vote', 0.65), said('audit', 0.35)]))
      .to.deep.equal({ kind: 'sure', answer: 'vote' });
  });

  it('the corpus judge reads back a command at 0.65 as the menu does', () => {
    expect(judgeSpoken('command', 'politics', [said('vote', 0.65), said('politics', 0.35)]))
      .to.include({ outcome: 'wrong-confident', value: 'vote', note: 'read back: "vote"' });
    expect(judgeSpoken('command', 'vote', [said('vote', 0.7), said('politics', 0.3)]))
      .to.deep.equal({ outcome: 'correct', value: 'vote', candidates: [] });
  });
});
