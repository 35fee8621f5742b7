// Dial-by-name, as corporate directories do it: the caller keys the surname's letters (2=abc … 9=wxyz),
// as many as they like; every surname whose keypad digits start with those keys is a candidate. It
// always works, whatever the recognizer heard, so it is the fallback when speech fails.
import assert from 'node:assert/strict';
import type { NameIndex } from './name-index.js';
import { plainName } from '../../core/plain-letters.js';
import type { MatchOptions, NameCandidate, NameMatch } from './match-name.js';
import { defaultMatchOptions } from './match-name.js';

export interface KeypadOptions extends Pick<MatchOptions, 'candidatesMax'> {
  /** The caller's city (as the roll spells it), to narrow a common surname. */
  readonly city?: string;
}

/** Surname ids whose keypad digits start with `digits` (a binary search on the sorted keys). */
function surnamesWithPrefix(index: NameIndex, digits: string): Int32Array {
  const keys = index.surnameKeypad;
  const sorted = index.surnamesByKeypad;
  const keyAt = (position: number): string => keys[sorted[position] as number] as string;
  const lowerBound = (target: string): number => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (keyAt(middle) < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  // Every key with the prefix sorts between the prefix and the prefix followed by ':' (after '9').
  return sorted.subarray(lowerBound(digits), lowerBound(`${digits}:`));
}

export function matchKeypadName(index: NameIndex, digits: string, options: KeypadOptions = {}): NameMatch {
  if (!/^[2-9]+$/.test(digits)) throw new RangeError(`keypad name digits must be 2-9: "${digits}"`);
  const candidatesMax = options.candidatesMax ?? defaultMatchOptions.candidatesMax;
  assert.ok(candidatesMax >= 1, 'candidatesMax is at least 1');
  let city: number | undefined;
  if (options.city !== undefined) {
    city = index.cities.idOf(plainName(options.city));
    if (city === undefined) return { kind: 'none', reason: 'unknown-place' };
  }
  const rows: number[] = [];
  for (const surname of surnamesWithPrefix(index, digits)) {
    for (const row of index.rowsOfSurname(surname, city)) {
      rows.push(row);
      if (rows.length > candidatesMax) return { kind: 'none', reason: 'too-many' };
    }
  }
  if (rows.length === 0) return { kind: 'none', reason: 'no-match' };
  const candidates: NameCandidate[] = rows.map((row) => {
    const voter = index.voter(row);
    // A surname keyed in full ranks above one that only starts with the keys.
    const complete = (index.surnameKeypad[index.surnameOf(row)] as string).length === digits.length;
    return { voter, score: complete ? 1 : 0.9 };
  }).sort((a, b) => b.score - a.score || a.voter.last.localeCompare(b.voter.last)
    || a.voter.first.localeCompare(b.voter.first) || a.voter.id.localeCompare(b.voter.id));
  const [only] = candidates;
  if (candidates.length === 1 && only !== undefined) return { kind: 'one', voter: only.voter, score: only.score };
  return { kind: 'several', candidates };
}
