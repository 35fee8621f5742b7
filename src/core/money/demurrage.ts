// Demurrage arithmetic (SPEC §4): a fee per period on every positive balance, collected into a pool
// and divided equally among participants; the remainder of the division stays in the pool for the
// next period, so the sum over all accounts never changes. Integer cents only.
import { moneyInvariant } from './amount.js';

export const basisPointsPerUnit = 10_000;

export type DemurragePeriodUnit = 'day' | 'week' | 'month';

/** Fee on one balance: floor(balance × rate). Negative and zero balances pay nothing. */
export function demurrageFeeCents(balanceCents: number, rateBasisPoints: number): number {
  moneyInvariant(Number.isSafeInteger(balanceCents), 'balance must be integer cents');
  moneyInvariant(Number.isInteger(rateBasisPoints) && rateBasisPoints >= 0 && rateBasisPoints <= basisPointsPerUnit,
    'rate must be 0..10000 basis points');
  if (balanceCents <= 0) return 0;
  // balance × rate stays exact below 2^53 for balances up to 9 × 10^11 cents; above, use BigInt.
  const product = balanceCents * rateBasisPoints;
  const fee = Number.isSafeInteger(product)
    ? Math.floor(product / basisPointsPerUnit)
    : Number((BigInt(balanceCents) * BigInt(rateBasisPoints)) / BigInt(basisPointsPerUnit));
  moneyInvariant(fee >= 0 && fee <= balanceCents, 'fee out of range');
  return fee;
}

/** Equal division of `totalCents` among `count`: each share, and the remainder that is carried. */
export function equalSplit(totalCents: number, count: number): { shareCents: number; remainderCents: number } {
  moneyInvariant(Number.isSafeInteger(totalCents) && totalCents >= 0, 'total must be non-negative integer cents');
  moneyInvariant(Number.isSafeInteger(count) && count >= 0, 'count must be a non-negative integer');
  if (count === 0) return { shareCents: 0, remainderCents: totalCents };
  const shareCents = Math.floor(totalCents / count);
  const remainderCents = totalCents - shareCents * count;
  moneyInvariant(remainderCents >= 0 && remainderCents < count, 'remainder out of range');
  return { shareCents, remainderCents };
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** ISO week (Monday first) of a UTC date: "2026-W48". */
function isoWeek(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${pad(week)}`;
}

/** The period a UTC time falls in: "2026-11" (month), "2026-W48" (week) or "2026-11-25" (day). */
export function periodOf(timeMs: number, unit: DemurragePeriodUnit): string {
  moneyInvariant(Number.isFinite(timeMs), 'time must be finite');
  const date = new Date(timeMs);
  switch (unit) {
    case 'month': return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}`;
    case 'week': return isoWeek(date);
    case 'day': return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  }
}

const periodPatterns: Record<DemurragePeriodUnit, RegExp> = {
  month: /^\d{4}-(0[1-9]|1[0-2])$/,
  week: /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/,
  day: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
};

export function isPeriod(text: string, unit: DemurragePeriodUnit): boolean {
  return periodPatterns[unit].test(text);
}
