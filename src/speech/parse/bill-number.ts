// Bill numbers as said: "h r one two three four", "h r twelve thirty four", "house resolution five",
// "h res 5", "s 12", "senate bill twelve" → the repository's bill ids ("hr1234", src/bills/bill-number.ts).
import type { BillId } from '../../core/bill.js';
import { billIdFromNumber } from '../../bills/bill-number.js';
import { parseNumberWords } from '../../core/money/amount.js';
import { digitWords, spokenWords } from './digits.js';

/** Spoken prefixes (longest first), as the printed prefix billIdFromNumber reads. */
const prefixes: readonly (readonly [string, string])[] = [
  ['house concurrent resolution', 'H.Con.Res.'], ['house joint resolution', 'H.J.Res.'],
  ['senate concurrent resolution', 'S.Con.Res.'], ['senate joint resolution', 'S.J.Res.'],
  ['h con res', 'H.Con.Res.'], ['h j res', 'H.J.Res.'], ['s con res', 'S.Con.Res.'], ['s j res', 'S.J.Res.'],
  ['house resolution', 'H.Res.'], ['senate resolution', 'S.Res.'], ['house bill', 'H.R.'], ['senate bill', 'S.'],
  ['h res', 'H.Res.'], ['s res', 'S.Res.'], ['h r', 'H.R.'], ['hr', 'H.R.'], ['house', 'H.R.'], ['senate', 'S.'],
  ['s', 'S.'],
];
const teens = /^(ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)$/;
const tens = /^(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)$/;
const billNumberMax = 99_999;

/** "one two three four" → 1234; "twelve thirty four" → 1234 (pairs, as years are said); "five" → 5. */
export function parseSpokenNumber(words: readonly string[]): number | null {
  if (words.length === 0) return null;
  if (words.every((word) => digitWords[word] !== undefined || /^\d+$/.test(word))) {
    const digits = words.map((word) => digitWords[word] ?? word).join('');
    return digits.length <= 5 ? Number(digits) : null;
  }
  const whole = parseNumberWords(words);
  if (whole !== null && (words.includes('hundred') || words.includes('thousand') || words.length <= 2)) {
    return whole;
  }
  // Pairs: "twelve thirty four" = 12 | 34, "nineteen oh five" = 19 | 05.
  const splitAt = words.findIndex((word, index) => index > 0 && (teens.test(word) || tens.test(word) || word === 'oh'));
  if (splitAt > 0) {
    const high = parseNumberWords(words.slice(0, splitAt));
    const lowWords = words.slice(splitAt);
    const low = lowWords[0] === 'oh' ? parseNumberWords(lowWords.slice(1)) : parseNumberWords(lowWords);
    if (high !== null && low !== null && low < 100 && high < 1000) return high * 100 + low;
  }
  return whole;
}

export function parseBillNumber(text: string): BillId | null {
  const words = spokenWords(text.replace(/\./g, ' ')).filter((word) => word !== 'number' && word !== 'the');
  const joined = words.join(' ');
  for (const [spoken, printed] of prefixes) {
    if (joined !== spoken && !joined.startsWith(`${spoken} `)) continue;
    const number = parseSpokenNumber(words.slice(spoken.split(' ').length));
    if (number === null || number < 1 || number > billNumberMax) return null;
    return billIdFromNumber(`${printed} ${number}`);
  }
  return null;
}
