// Spoken amounts, through the money core's parser (src/core/money/amount.ts: "ten dollars and twenty
// five cents", "$10.25"); this adds only the telephone phrasings it does not read: "a buck", "five
// bucks", and "one dollar fifty" (the word "cents" left out).
import { AmountError, parseAmountCents } from '../../core/money/amount.js';

export type SpokenAmount = { readonly cents: number } | { readonly error: string };

function normalize(text: string): string {
  return text.toLowerCase().replace(/\bbucks?\b/g, 'dollars').replace(/\ba dollars\b/g, 'one dollar')
    .replace(/\s+/g, ' ').trim();
}

/** "one dollar fifty" → "one dollar and fifty cents" (cents said without the word). */
function withImpliedCents(text: string): string {
  const match = /^(.*\bdollars?)\s+(?:and\s+)?([a-z -]+)$/.exec(text);
  if (match === null || /\bcents?\b/.test(text)) return text;
  return `${match[1]} and ${match[2]} cents`;
}

export function parseSpokenAmount(text: string, maxCents: number): SpokenAmount {
  const normalized = normalize(text);
  const attempts = [normalized, withImpliedCents(normalized)];
  let firstError = '';
  for (const attempt of attempts) {
    try {
      return { cents: parseAmountCents(attempt, maxCents) };
    } catch (error) {
      if (!(error instanceof AmountError)) throw error;
      if (firstError.length === 0) firstError = error.message;
    }
  }
  return { error: firstError };
}
