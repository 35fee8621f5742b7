// Bill numbers as printed ("H.R. 1234", "H.Res. 56", "S. 789", "H.J.Res. 7") and as ids ("hr1234").
import { createHash } from 'node:crypto';
import type { BillId } from '../core/bill.js';

const prefixes: ReadonlyArray<[RegExp, string]> = [
  [/^h\.?\s*con\.?\s*res\.?$/, 'hconres'],
  [/^h\.?\s*j\.?\s*res\.?$/, 'hjres'],
  [/^h\.?\s*res\.?$/, 'hres'],
  [/^h\.?\s*r\.?$/, 'hr'],
  [/^s\.?\s*con\.?\s*res\.?$/, 'sconres'],
  [/^s\.?\s*j\.?\s*res\.?$/, 'sjres'],
  [/^s\.?\s*res\.?$/, 'sres'],
  [/^s\.?$/, 's'],
];

/** "H.R. 1234" → "hr1234"; null when the text is not a bill number. */
export function billIdFromNumber(printed: string): BillId | null {
  const match = /^\s*([A-Za-z.\s]+?)\s*(\d{1,5})\s*$/.exec(printed);
  if (match === null) return null;
  const prefix = (match[1] ?? '').toLowerCase().trim();
  for (const [pattern, id] of prefixes) if (pattern.test(prefix)) return `${id}${Number(match[2])}`;
  return null;
}

/** Stable id for floor items without a number: the same week and title give the same id. */
export function generatedBillId(week: string, title: string): BillId {
  const digest = createHash('sha256').update(`${week}\n${title.trim().toLowerCase()}`).digest('hex');
  return `item-${digest.slice(0, 12)}`;
}

const spokenPrefixes: Record<string, string> = {
  hr: 'H.R.', hres: 'H.Res.', hjres: 'H.J.Res.', hconres: 'H.Con.Res.', s: 'S.', sres: 'S.Res.', sjres: 'S.J.Res.',
  sconres: 'S.Con.Res.',
};

/** "hr1234" → "H.R. 1234" for ids of numbered bills; null for generated ids. */
export function printedNumber(id: BillId): string | null {
  const match = /^([a-z]+)(\d+)$/.exec(id);
  if (match === null) return null;
  const prefix = spokenPrefixes[match[1] ?? ''];
  return prefix === undefined ? null : `${prefix} ${match[2]}`;
}
