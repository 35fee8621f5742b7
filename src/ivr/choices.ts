// Pure helpers of the dialog: reading keyed answers and building the sentences the caller hears.
// Sentences are built from public names only; phone numbers are spoken only when the caller keyed
// them (read back) or they are public (a county auditor's office).
import type { Bill } from '../core/bill.js';
import type { VoteChoice } from '../core/vote.js';
import { billLabel } from '../app/democracy-service.js';

/** The key of a menu entry, or null when `keys` is not one of `allowed`. */
export function menuChoice<T extends string>(keys: string, allowed: Readonly<Record<string, T>>): T | null {
  if (keys.length !== 1) return null;
  return Object.hasOwn(allowed, keys) ? allowed[keys] ?? null : null;
}

export function yesNo(keys: string): boolean | null {
  return keys === '1' ? true : keys === '2' ? false : null;
}

/** 1-based position in a list of `count` items, or null. */
export function listIndex(keys: string, count: number): number | null {
  if (!/^\d{1,2}$/.test(keys)) return null;
  const index = Number(keys);
  return index >= 1 && index <= count ? index - 1 : null;
}

/** Ten keyed digits of a North American number (area code and exchange do not start with 0 or 1). */
export function keyedPhone(keys: string): string | null {
  return /^[2-9]\d{2}[2-9]\d{6}$/.test(keys) ? keys : null;
}

export const voteChoiceKeys: Readonly<Record<string, VoteChoice>> = { 1: 'yes', 2: 'no', 3: 'abstain', 4: 'absent' };

/** "5 1 5, 5 5 5, 0 1 0 2": digits grouped like a phone number so a voice reads them clearly. */
export function spokenDigits(digits: string): string {
  const groups = digits.length === 10 ? [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)] : [digits];
  return groups.map((group) => group.split('').join(' ')).join(', ');
}

/** The same, one digit per sentence: the slow reading for writing the number down. */
export function slowDigits(digits: string): string {
  return `${digits.split('').join('. ')}.`;
}

/** "H R 1234" reads better than "H.R. 1234" in a synthetic voice. */
export function spokenBill(bill: Bill): string {
  const label = billLabel(bill).replace(/\./g, ' ').replace(/\s+/g, ' ').trim();
  return bill.title.length > 0 && !label.includes(bill.title) ? `${label}, ${bill.title}` : label;
}

export function billListing(bills: readonly Bill[]): string {
  return bills.map((bill, index) => `${index + 1}: ${spokenBill(bill)}.`).join(' ');
}

/** The fewest last characters of a registration number that are said to tell namesakes apart. */
const registrationTailMin = 4;

/**
 * The labels of a spoken list, each said differently: voters whose labels are the same (a father and son of one
 * name and town, two Johns on one phone) have their registration numbers' last characters added, as many as tell
 * them apart (at least 4). Registration numbers are public (the web's voter search shows them).
 */
export function distinctLabels(voters: ReadonlyArray<{ readonly id: string }>, labels: readonly string[]): string[] {
  const byLabel = new Map<string, string[]>();
  labels.forEach((label, index) => {
    const id = voters[index]?.id ?? '';
    byLabel.set(label, [...(byLabel.get(label) ?? []), id]);
  });
  return labels.map((label, index) => {
    const namesakes = byLabel.get(label) ?? [];
    if (namesakes.length < 2) return label;
    const longest = Math.max(...namesakes.map((id) => id.length));
    let length = Math.min(registrationTailMin, longest);
    while (length < longest && new Set(namesakes.map((id) => id.slice(-length))).size < namesakes.length) length += 1;
    const tail = (voters[index]?.id ?? '').slice(-length);
    return `${label}, registration ending ${tail.split('').join(' ')}`;
  });
}

/** "Press 1 for Ann, 2 for Bob." for voters sharing one phone. */
export function whichOne(firstNames: readonly string[]): string {
  const options = firstNames.map((name, index) => `${index + 1} for ${name}`);
  return `Press ${options.join(', ')}.`;
}

export function voteReadBack(bill: Bill, choice: VoteChoice | null): string {
  const label = spokenBill(bill);
  if (choice === null || choice === 'absent') {
    return `You have no vote of your own on ${label}, so your delegates vote for you.`;
  }
  if (choice === 'abstain') return `You abstain on ${label}.`;
  return `Your vote on ${label} is now ${choice}.`;
}

export function titleCase(text: string): string {
  return text.replace(/(^|[\s'-])([a-z])/g, (_match, separator: string, letter: string) => separator + letter.toUpperCase());
}
