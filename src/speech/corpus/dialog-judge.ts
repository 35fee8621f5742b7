// The judge the corpus runner uses: what the dialog would do with a recognition. Names go through the
// phonetic matcher against the roll (one voter → offered for confirmation; several or none → asked
// again); digits and phones through the digit parser; amounts through the money parser the dialog
// uses; the closed-vocabulary contexts through the small normalizations below (the words of
// grammars/*.gram). The dialog acts on the best hypothesis only, so that is what is judged.
import { parseAmountCents, parseNumberWords } from '../../core/money/amount.js';
import { matchName, type NameIndex } from '../matcher/index.js';
import { parseDigits, parseDigitWords, spokenWords } from '../parse/digits.js';
import type { GrammarContext, Hypothesis } from '../recognizer.js';
import { judgeValue, type CorpusJudge, type Judgement } from './judge.js';

/** The largest amount the dialog takes (MONEY_AMOUNT_MAX_CENTS's default). */
const amountCentsMax = 100_000_000;

const commands = new Set(['help', 'menu', 'money', 'politics', 'delegate', 'vote', 'audit', 'recall', 'register',
  'tell me about', 'numbers', 'me']);
const yesNo: Readonly<Record<string, string>> = {
  yes: 'yes', yeah: 'yes', yep: 'yes', correct: 'yes', right: 'yes', no: 'no', nope: 'no', wrong: 'no',
};
const voteValues: Readonly<Record<string, string>> = {
  yes: 'yes', yea: 'yes', no: 'no', nay: 'no', abstain: 'abstain', absent: 'absent',
};
/** Spoken bill prefixes (grammars/bill.gram) → bill id prefixes (src/bills/bill-number.ts). */
const billPrefixes: ReadonlyArray<[string, string]> = [
  ['house joint resolution', 'hjres'], ['house concurrent resolution', 'hconres'], ['house resolution', 'hres'],
  ['house bill', 'hr'], ['h j res', 'hjres'], ['h con res', 'hconres'], ['h res', 'hres'], ['h r', 'hr'],
  ['senate resolution', 'sres'], ['senate bill', 's'], ['s j res', 'sjres'], ['s res', 'sres'], ['s', 's'],
];

function billId(words: string): string | null {
  for (const [said, prefix] of billPrefixes) {
    if (words !== said && !words.startsWith(`${said} `)) continue;
    const rest = spokenWords(words.slice(said.length)).filter((word) => word !== 'number' && word !== 'and');
    const number = parseDigitWords(rest) ?? parseNumberWords(rest)?.toString() ?? null;
    return number === null || !/^\d{1,5}$/.test(number) ? null : `${prefix}${Number(number)}`;
  }
  return null;
}

function amount(words: string): string | null {
  try {
    return String(parseAmountCents(words, amountCentsMax));
  } catch {
    return null;
  }
}

/** The value the dialog takes from the best hypothesis of a non-name prompt, or null (it asks again). */
export function dialogValue(context: Exclude<GrammarContext, 'name'>, text: string): string | null {
  const words = spokenWords(text).join(' ');
  if (words.length === 0) return null;
  switch (context) {
    case 'command': return commands.has(words) ? words : words === 'main menu' ? 'menu' : null;
    case 'yesno': return yesNo[words] ?? null;
    case 'vote': return voteValues[words] ?? null;
    case 'bill': return billId(words);
    case 'amount': return amount(words);
    case 'digits': return parseDigits(words);
    case 'phone': {
      const digits = parseDigits(words);
      return digits !== null && digits.length === 10 ? digits : null;
    }
    case 'spelled': return /^([a-z] )*[a-z]$/.test(words) ? words.replace(/ /g, '') : null;
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
