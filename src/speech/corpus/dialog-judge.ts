// The judge the corpus runner uses: what the dialog would do with a recognition. Names go through the
// phonetic matcher against the roll (one voter → offered for confirmation; several or none → asked
// again); every other context through the dialog's parser for it (src/speech/parse/). The dialog acts
// on the best hypothesis only, so that is what is judged.
import { matchName, type NameIndex } from '../matcher/index.js';
import {
  parseBillNumber, parseCommand, parseDigits, parsePhoneNumber, parseSpelledLetters, parseSpokenAmount, parseVoteValue,
  parseYesNo,
} from '../parse/index.js';
import type { GrammarContext, Hypothesis } from '../recognizer.js';
import { judgeValue, type CorpusJudge, type Judgement } from './judge.js';

/** The largest amount the dialog takes (MONEY_AMOUNT_MAX_CENTS's default). */
const amountCentsMax = 100_000_000;

/** The value the dialog takes from the best hypothesis of a non-name prompt, or null (it asks again). */
export function dialogValue(context: Exclude<GrammarContext, 'name'>, text: string): string | null {
  if (text.trim().length === 0) return null;
  switch (context) {
    case 'command': return parseCommand(text);
    case 'yesno': return parseYesNo(text);
    case 'vote': return parseVoteValue(text);
    case 'bill': return parseBillNumber(text);
    case 'amount': {
      const amount = parseSpokenAmount(text, amountCentsMax);
      return 'cents' in amount ? String(amount.cents) : null;
    }
    case 'digits': return parseDigits(text);
    case 'phone': return parsePhoneNumber(text);
    case 'spelled': return parseSpelledLetters(text);
  }
}

export class DialogJudge implements CorpusJudge {
  constructor(private readonly names: NameIndex) {}

  judge(context: GrammarContext, expected: string, hypotheses: readonly Hypothesis[]): Judgement {
    if (context !== 'name') return judgeValue(expected, dialogValue(context, hypotheses[0]?.text ?? ''));
    const match = matchName(this.names, hypotheses);
    const label = (voter: { first: string; last: string; city: string }): string =>
      `${voter.first} ${voter.last} of ${voter.city}`;
    if (match.kind === 'one') {
      return { outcome: match.voter.id === expected ? 'correct' : 'wrong-confident', value: match.voter.id,
        candidates: [{ id: match.voter.id, label: label(match.voter) }] };
    }
    if (match.kind === 'several') {
      const candidates = match.candidates.map((candidate) => ({
        id: candidate.voter.id, label: label(candidate.voter) }));
      const among = candidates.some((candidate) => candidate.id === expected);
      return { outcome: 'rejected', value: null, candidates,
        note: `${candidates.length} voters offered to choose from${among ? ', the right one among them' : ', not the right one'}` };
    }
    return { outcome: 'rejected', value: null, candidates: [], note: `no voter: ${match.reason}` };
  }
}
