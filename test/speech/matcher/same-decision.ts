// "The same decision" as the tests compare it: a single-hypothesis lookup stops reading once more
// than candidatesMax voters fit exactly (match-name.ts, Ceiling.crowd), so with 'too-many' its
// `matching` is a lower bound: more than candidatesMax and at most the full count. Everything else,
// and every lookup of several hypotheses, must be equal outright.
import { isDeepStrictEqual } from 'node:util';
import { expect } from 'chai';
import { defaultMatchOptions } from '../../../src/speech/matcher/index.js';
import type { NameMatch } from '../../../src/speech/matcher/index.js';

function tooMany(match: NameMatch): number | undefined {
  return match.kind === 'none' && match.reason === 'too-many' ? match.matching ?? Number.NaN : undefined;
}

export function sameDecision(
  match: NameMatch, reference: NameMatch, candidatesMax = defaultMatchOptions.candidatesMax,
): boolean {
  const found = tooMany(match);
  const full = tooMany(reference);
  if (found !== undefined && full !== undefined) return found > candidatesMax && found <= full;
  return isDeepStrictEqual(match, reference);
}

export function expectSameDecision(
  match: NameMatch, reference: NameMatch, label = '', candidatesMax = defaultMatchOptions.candidatesMax,
): void {
  if (sameDecision(match, reference, candidatesMax)) return;
  expect(match, label).to.deep.equal(reference);
  expect.fail(`${label}: 'too-many' with ${tooMany(match)} voters, the full lookup ${tooMany(reference)}`);
}
