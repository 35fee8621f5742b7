// A 10-digit North American phone number, spoken ("five one five, five five five, oh one two three") or keyed;
// a leading 1 (long distance) is dropped. NANP rules: area code and exchange start 2-9. People also say the
// last four as pairs or round numbers ("oh one ninety nine", "twenty one hundred", "eight thousand") and lead
// with "area code" or "my number is": read as well, when the digits alone do not make a number.
import { digitTextWords, parseDigitWords } from './digits.js';
import { readBelowHundred, teens, tens, units } from './number-words.js';

/** Words around a number that say nothing about its digits. */
const leadWords = new Set(['area', 'code', 'my', 'number', 'is', 'phone', "it's", 'its', 'the', 'um', 'uh', 'at']);

function nanp(digits: string | null): string | null {
  if (digits === null) return null;
  const national = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
  return /^[2-9]\d{2}[2-9]\d{6}$/.test(national) ? national : null;
}

/** The words with pairs as two digits, "hundred" and "thousand" as zeros after what they multiply; or null. */
function pairsAsDigits(words: readonly string[]): string[] | null {
  const out: string[] = [];
  /** Whether the last token may take "hundred" (a digit or a pair) or "thousand" (a single digit). */
  let last: 'digit' | 'pair' | 'other' = 'other';
  for (let at = 0; at < words.length; at++) {
    const word = words[at] ?? '';
    // A teen, or a tens word with the unit after it: two digits ("ninety nine" 99, "twenty" 20).
    const pair = teens[word] !== undefined || tens[word] !== undefined ? readBelowHundred(words, at) : null;
    if (pair !== null) {
      out.push(String(pair.value));
      at += pair.length - 1;
      last = 'pair';
    } else if (word === 'hundred' && last !== 'other') {
      out.push('00');
      last = 'other';
    } else if (word === 'thousand' && last === 'digit') {
      out.push('000');
      last = 'other';
    } else if (word === 'hundred' || word === 'thousand') {
      return null;
    } else {
      out.push(word);
      last = units[word] !== undefined || /^\d$/.test(word) || word === 'oh' || word === 'zero' ? 'digit' : 'other';
    }
  }
  return out;
}

export function parsePhoneNumber(text: string): string | null {
  const words = digitTextWords(text.replace(/[+()]/g, ' '));
  const plain = nanp(parseDigitWords(words));
  if (plain !== null) return plain;
  const paired = pairsAsDigits(words.filter((word) => !leadWords.has(word)));
  return paired === null ? null : nanp(parseDigitWords(paired));
}
