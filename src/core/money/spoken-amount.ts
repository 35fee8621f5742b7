// Amounts read aloud on the phone (SPEC §4, §6): 1025 → "ten dollars and twenty-five cents". The
// words are the ones parseAmountCents accepts, so a recognizer hearing the prompt back parses it.
import { wordsBelowTwenty as ones, wordsForTens as tens } from '../number-words.js';
import { centsPerDollar, moneyInvariant } from './amount.js';

const scales: ReadonlyArray<readonly [number, string]> = [
  [1_000_000_000_000, 'trillion'], [1_000_000_000, 'billion'], [1_000_000, 'million'], [1_000, 'thousand'],
];

function belowThousand(value: number): string {
  const words: string[] = [];
  const hundreds = Math.floor(value / 100);
  const rest = value % 100;
  if (hundreds > 0) words.push(`${ones[hundreds] ?? ''} hundred`);
  if (rest >= 20) words.push(rest % 10 === 0 ? tens[Math.floor(rest / 10)] ?? '' : `${tens[Math.floor(rest / 10)] ?? ''}-${ones[rest % 10] ?? ''}`);
  else if (rest > 0 || hundreds === 0) words.push(ones[rest] ?? '');
  return words.join(' ');
}

/** English words for a whole number ≥ 0: 1205 → "one thousand two hundred five". */
export function numberWords(value: number): string {
  moneyInvariant(Number.isSafeInteger(value) && value >= 0, 'numberWords needs a whole number ≥ 0');
  if (value < 1_000) return belowThousand(value);
  const words: string[] = [];
  let rest = value;
  for (const [scale, name] of scales) {
    const count = Math.floor(rest / scale);
    if (count > 0) {
      words.push(`${numberWords(count)} ${name}`);
      rest %= scale;
    }
  }
  if (rest > 0) words.push(belowThousand(rest));
  return words.join(' ');
}

/** 1025 → "ten dollars and twenty-five cents"; 100 → "one dollar"; 5 → "five cents"; negatives say "minus". */
export function spokenCents(cents: number): string {
  moneyInvariant(Number.isSafeInteger(cents), 'spokenCents needs integer cents');
  if (cents < 0) return `minus ${spokenCents(-cents)}`;
  const dollars = Math.floor(cents / centsPerDollar);
  const rest = cents % centsPerDollar;
  const dollarWords = `${numberWords(dollars)} ${dollars === 1 ? 'dollar' : 'dollars'}`;
  const centWords = `${numberWords(rest)} ${rest === 1 ? 'cent' : 'cents'}`;
  if (rest === 0) return dollarWords;
  if (dollars === 0) return centWords;
  return `${dollarWords} and ${centWords}`;
}
