// Bill numbers as said: "h r one two three four", "h r twelve thirty four", "house resolution five",
// "h res 5", "s 12", "senate bill twelve" → the repository's bill ids ("hr1234", src/bills/bill-number.ts).
import type { BillId } from '../../core/bill.js';
import { billIdFromNumber } from '../../bills/bill-number.js';
import { digitWords, spokenWords } from './digits.js';
import { parsePairWords, parseWholeNumberWords } from './number-words.js';

/** Spoken prefixes (longest first), as the printed prefix billIdFromNumber reads. */
const prefixes: readonly (readonly [string, string])[] = [
  ['house concurrent resolution', 'H.Con.Res.'], ['house joint resolution', 'H.J.Res.'],
  ['senate concurrent resolution', 'S.Con.Res.'], ['senate joint resolution', 'S.J.Res.'],
  ['h con res', 'H.Con.Res.'], ['h j res', 'H.J.Res.'], ['s con res', 'S.Con.Res.'], ['s j res', 'S.J.Res.'],
  ['house resolution', 'H.Res.'], ['senate resolution', 'S.Res.'], ['house bill', 'H.R.'], ['senate bill', 'S.'],
  ['h res', 'H.Res.'], ['s res', 'S.Res.'], ['h r', 'H.R.'], ['hr', 'H.R.'], ['house', 'H.R.'], ['senate', 'S.'],
  ['s', 'S.'],
];
const billNumberMax = 99_999;

/**
 * "one two three four" → 1234 (digit by digit); "five hundred twenty one" → 521; "twelve thirty four" →
 * 1234 and "nineteen oh five" → 1905 (pairs, as years are said); "five" → 5. Null for anything else.
 */
export function parseSpokenNumber(words: readonly string[]): number | null {
  if (words.length === 0) return null;
  if (words.every((word) => digitWords[word] !== undefined || /^\d+$/.test(word))) {
    const digits = words.map((word) => digitWords[word] ?? word).join('');
    return digits.length <= 5 ? Number(digits) : null;
  }
  const whole = parseWholeNumberWords(words);
  if (whole !== null) return whole;
  // Pairs: a number below a hundred, then a two-digit low half ("twelve | thirty four", "nineteen | oh five").
  for (let split = 1; split < words.length; split += 1) {
    const high = parseWholeNumberWords(words.slice(0, split));
    const low = parsePairWords(words.slice(split));
    if (high !== null && high < 100 && low !== null) return high * 100 + low;
  }
  return null;
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
