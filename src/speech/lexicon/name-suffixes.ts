// Name suffixes as the roll writes them (NAME_SUFFIX: "JR", "SR", "III", "3RD") and as callers say them
// ("john smith junior", "john smith the third"). The name grammars give a voter with a suffix the phrases
// with it said too: without them a caller who says it (as people do to tell a son from his father) has
// no path, and the decoder forces the words onto some other name.
import { plainName } from '../../core/plain-letters.js';

/** A roll suffix (plain letters, no periods) → the words said for it. */
const saidSuffixes: ReadonlyMap<string, readonly string[]> = new Map([
  ['jr', ['junior']], ['junior', ['junior']], ['sr', ['senior']], ['senior', ['senior']],
  ['ii', ['the', 'second']], ['2nd', ['the', 'second']], ['iii', ['the', 'third']], ['3rd', ['the', 'third']],
  ['iv', ['the', 'fourth']], ['4th', ['the', 'fourth']], ['v', ['the', 'fifth']], ['5th', ['the', 'fifth']],
  ['second', ['the', 'second']], ['third', ['the', 'third']], ['fourth', ['the', 'fourth']], ['fifth', ['the', 'fifth']],
]);

/** The words callers say for a roll suffix ("jr." → ["junior"], "III" → ["the", "third"]); [] for none or unknown. */
export function spokenSuffix(suffix: string | undefined): readonly string[] {
  if (suffix === undefined || suffix === '') return [];
  return saidSuffixes.get(plainName(suffix).replace(/\s+/g, '')) ?? [];
}

/**
 * Words that end a heard name as its suffix, not its surname ("smith junior", "smith the third"): the table's
 * words of two letters or more (a lone "v" is a spelled letter to the parser, and "3rd" is never heard).
 */
export const heardSuffixWords: ReadonlySet<string> = new Set([...saidSuffixes.keys()].filter((word) => /^[a-z]{2,}$/.test(word)));

/** Suffix words said after "the" ("the third"): that "the" goes with the suffix. */
export const ordinalSuffixWords: ReadonlySet<string> = new Set([...saidSuffixes.values()]
  .flatMap(([article, ordinal]) => (article === 'the' && ordinal !== undefined ? [ordinal] : [])));

/** A suffix as one comparable key, the same for the roll's "JR." and a caller's "junior" ("junior", "the third"). */
export function suffixKey(suffix: string | undefined): string {
  return spokenSuffix(suffix).join(' ');
}
