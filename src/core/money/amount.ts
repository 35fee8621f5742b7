// Amounts of delegate money are integer cents end to end (SPEC §4). This file turns what a caller
// typed or said ("$10.25", "10.25", "ten dollars and twenty five cents") into cents and back, and
// rejects everything that is not an exact, positive number of cents within the configured maximum.
import { teenWords, tensWords as tensWordsInCore, unitWords } from '../number-words.js';

export const centsPerDollar = 100;
/** Larger than any sensible maximum, and small enough that sums of many amounts stay exact. */
export const amountCentsCeiling = 1_000_000_000_000_00;

export class AmountError extends RangeError {
  override name = 'AmountError';
}

/** Thrown for a broken money invariant: a bug or corrupted data, never an operating error. */
export class MoneyInvariantError extends Error {
  override name = 'MoneyInvariantError';
}

export function moneyInvariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new MoneyInvariantError(message);
}

/** Cents for one amount to be moved: a positive safe integer no larger than `maxCents`. */
export function assertAmountCents(cents: number, maxCents: number): void {
  moneyInvariant(Number.isSafeInteger(maxCents) && maxCents > 0 && maxCents <= amountCentsCeiling, 'bad maximum amount');
  if (!Number.isSafeInteger(cents)) throw new AmountError(`amount must be a whole number of cents, got ${cents}`);
  if (cents <= 0) throw new AmountError(`amount must be more than zero, got ${formatCents(cents)}`);
  if (cents > maxCents) throw new AmountError(`amount ${formatCents(cents)} is more than the maximum ${formatCents(maxCents)}`);
}

/** "$10.25", "-$3.00", "$1,234,567.89". */
export function formatCents(cents: number): string {
  moneyInvariant(Number.isSafeInteger(cents), 'formatCents needs integer cents');
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  // Thousands separators by hand: toLocaleString costs several µs, and every payment's log line formats amounts.
  const dollars = String(Math.floor(absolute / centsPerDollar)).replace(/\B(?=(\d{3})+$)/g, ',');
  const rest = String(absolute % centsPerDollar).padStart(2, '0');
  return `${sign}$${dollars}.${rest}`;
}

const numeralPattern = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?\s*(?:dollars?|usd)?$/;

function parseNumeral(text: string): number | null {
  const match = numeralPattern.exec(text);
  if (match === null) return null;
  const [, whole, fraction] = match;
  if ((whole === undefined || whole.length === 0) && (fraction === undefined || fraction.length === 0)) return null;
  if (fraction !== undefined && fraction.replace(/0+$/, '').length > 2) {
    throw new AmountError(`"${text}" has a fraction of a cent`);
  }
  const dollars = Number((whole ?? '0').replace(/,/g, ''));
  const cents = Number((fraction ?? '').padEnd(2, '0').slice(0, 2));
  if (!Number.isSafeInteger(dollars) || dollars > amountCentsCeiling / centsPerDollar) {
    throw new AmountError(`"${text}" is too large`);
  }
  return dollars * centsPerDollar + cents;
}

// "fourty" is a common misspelling of a typed amount; the speech grammars never produce it.
const tensWords: Readonly<Record<string, number>> = { ...tensWordsInCore, fourty: 40 };
const scales: Record<string, number> = { thousand: 1_000, million: 1_000_000, billion: 1_000_000_000 };

/**
 * Where a group below a thousand stands: what the next word may be. "ten fifty" or "five five" are no
 * number (summing them made $60 of "ten fifty"): a unit or teen takes only "hundred" or a scale after it,
 * a tens word a unit, "hundred" anything below a hundred.
 */
type GroupState = 'empty' | 'article' | 'unit' | 'teen' | 'tens' | 'tens-unit' | 'hundred' | 'numeral';

/** The state a group below a thousand is in after a numeral ("25", "300"). */
function numeralState(value: number): GroupState {
  if (value >= 100) return 'numeral';
  if (value >= 20) return value % 10 === 0 ? 'tens' : 'tens-unit';
  return value >= 10 ? 'teen' : 'unit';
}

/**
 * "one hundred twenty three thousand four hundred five" → 123405, "twelve hundred" → 1200, "a thousand" →
 * 1000, "zero" → 0; null for anything that is not one number said the usual way ("ten fifty", "thousand").
 */
export function parseNumberWords(words: readonly string[]): number | null {
  if (words.length === 0) return null;
  if (words.length === 1 && words[0] === 'zero') return 0;
  let total = 0;
  let group = 0;
  let state: GroupState = 'empty';
  let hundredSaid = false;
  /** The last scale said: each later one must be smaller ("a million two thousand", never "thousand million"). */
  let lastScale = Number.POSITIVE_INFINITY;
  for (const word of words) {
    const unit = unitWords[word];
    const teen = teenWords[word];
    const tens = tensWords[word];
    const scale = scales[word];
    const numeral = /^\d+$/.test(word) ? Number(word) : undefined;
    const afterHundredOrEmpty = state === 'empty' || state === 'hundred';
    if (unit !== undefined && (afterHundredOrEmpty || state === 'tens')) {
      group += unit;
      state = state === 'tens' ? 'tens-unit' : 'unit';
    } else if ((teen ?? tens) !== undefined && afterHundredOrEmpty) {
      group += teen ?? tens ?? 0;
      state = teen !== undefined ? 'teen' : 'tens';
    } else if (numeral !== undefined && (state === 'empty' || (state === 'hundred' && numeral < 100))) {
      group += numeral;
      state = numeralState(numeral);
    } else if (word === 'a' && state === 'empty') {
      state = 'article';
    } else if (word === 'hundred' && !hundredSaid && state !== 'numeral' && state !== 'tens') {
      // "hundred dollars", "a hundred", "five hundred", "twelve hundred", "twenty five hundred".
      group = (state === 'empty' || state === 'article' ? 1 : group) * 100;
      hundredSaid = true;
      state = 'hundred';
    } else if (scale !== undefined && state !== 'empty' && scale < lastScale) {
      total += (state === 'article' ? 1 : group) * scale;
      lastScale = scale;
      group = 0;
      hundredSaid = false;
      state = 'empty';
    } else {
      return null;
    }
  }
  // "a" alone is one ("a dollar"); before anything but "hundred" or a scale it is no number.
  if (state === 'article') return words.length === 1 ? 1 : null;
  return total + group;
}

function parseWords(text: string): number | null {
  const words = text.replace(/-/g, ' ').replace(/[$,]/g, ' ').split(/\s+/).filter((word) => word.length > 0 && word !== 'and');
  const dollarIndex = words.findIndex((word) => word === 'dollar' || word === 'dollars' || word === 'bucks');
  const centIndex = words.findIndex((word) => word === 'cent' || word === 'cents');
  if (centIndex !== -1 && centIndex !== words.length - 1) return null;
  let dollars = 0;
  let cents = 0;
  if (dollarIndex !== -1) {
    const value = parseNumberWords(words.slice(0, dollarIndex));
    if (value === null) return null;
    dollars = value;
    const rest = words.slice(dollarIndex + 1, centIndex === -1 ? undefined : centIndex);
    if (rest.length > 0) {
      const value2 = parseNumberWords(rest);
      if (value2 === null) return null;
      cents = value2;
    }
  } else if (centIndex !== -1) {
    const value = parseNumberWords(words.slice(0, centIndex));
    if (value === null) return null;
    cents = value;
  } else {
    const value = parseNumberWords(words);
    if (value === null) return null;
    dollars = value;
  }
  // "one hundred and five cents" is an amount of cents; "ten dollars and 150 cents" is a mistake.
  if (dollarIndex !== -1 && cents >= centsPerDollar) throw new AmountError(`"${text}" has ${cents} cents; say dollars`);
  if (dollars > amountCentsCeiling / centsPerDollar) throw new AmountError(`"${text}" is too large`);
  return dollars * centsPerDollar + cents;
}

/**
 * Parses an amount as typed or recognized: "$10.25", "10.25", "1,000", "ten dollars and twenty five
 * cents", "twenty-five cents". Throws AmountError for negatives, fractions of a cent, zero, NaN, text
 * that is not an amount, and amounts above `maxCents`.
 */
export function parseAmountCents(input: string, maxCents: number): number {
  const text = input.trim().toLowerCase().replace(/\s+/g, ' ');
  if (text.length === 0) throw new AmountError('amount is empty');
  if (text.length > 200) throw new AmountError('amount text is too long');
  if (/^-|^\$\s*-|\bminus\b|\bnegative\b/.test(text)) throw new AmountError(`amount must not be negative: "${input}"`);
  if (/\bnan\b|infinity/.test(text)) throw new AmountError(`"${input}" is not an amount`);
  const cents = parseNumeral(text) ?? parseWords(text);
  if (cents === null) throw new AmountError(`"${input}" is not an amount; say e.g. "$10.25" or "ten dollars and twenty five cents"`);
  assertAmountCents(cents, maxCents);
  return cents;
}
