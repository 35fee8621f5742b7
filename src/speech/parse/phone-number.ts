// A 10-digit North American phone number, spoken ("five one five, five five five, oh one two three") or keyed;
// a leading 1 (long distance) is dropped. NANP rules: area code and exchange start 2-9. People also say the
// last four as pairs or round numbers ("oh one ninety nine", "twenty one hundred", "eight thousand") and lead
// with "area code" or "my number is": read as well, when the digits alone do not make a number.
import { parseDigits, parseDigitWords, spokenWords } from './digits.js';

const teens: Readonly<Record<string, string>> = {
  ten: '10', eleven: '11', twelve: '12', thirteen: '13', fourteen: '14', fifteen: '15', sixteen: '16',
  seventeen: '17', eighteen: '18', nineteen: '19',
};
const tens: Readonly<Record<string, string>> = {
  twenty: '2', thirty: '3', forty: '4', fifty: '5', sixty: '6', seventy: '7', eighty: '8', ninety: '9',
};
const units: Readonly<Record<string, string>> = {
  one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
};
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
    const ten = tens[word];
    const teen = teens[word];
    if (teen !== undefined) {
      out.push(teen);
      last = 'pair';
    } else if (ten !== undefined) {
      const unit = units[words[at + 1] ?? ''];
      out.push(`${ten}${unit ?? '0'}`);
      if (unit !== undefined) at += 1;
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
  const cleaned = text.replace(/[+()]/g, ' ');
  const plain = nanp(parseDigits(cleaned));
  if (plain !== null) return plain;
  const words = spokenWords(cleaned.replace(/(\d)-(?=\d)/g, '$1 ')).filter((word) => !leadWords.has(word));
  const paired = pairsAsDigits(words);
  return paired === null ? null : nanp(parseDigitWords(paired));
}
