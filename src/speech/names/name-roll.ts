// The roll as the voice name path needs it: one generation's voters' spoken names grouped by city.
// A new roll import is a new generation, so everything built from a NameRoll is keyed by `generation`.
import { plainName } from '../../core/plain-letters.js';
import type { RegisteredVoter } from '../../core/voter.js';
import type { Nicknames } from '../matcher/nicknames.js';
import { citySlug, type RollName } from '../grammar/name-grammar.js';

export { citySlug, spokenWords } from '../grammar/name-grammar.js';

export class NameRoll {
  /** City slug → its voters' names. */
  private readonly byCity = new Map<string, RollName[]>();
  /** City slug → the city as the roll spells it. */
  private readonly cityNames = new Map<string, string>();

  constructor(readonly generation: string, voters: Iterable<RollName>) {
    if (!/^[a-z0-9][a-z0-9_-]*$/i.test(generation)) throw new Error(`bad roll generation "${generation}"`);
    for (const voter of voters) {
      const slug = citySlug(voter.city);
      if (slug === 'unknown') continue;
      let list = this.byCity.get(slug);
      if (list === undefined) {
        list = [];
        this.byCity.set(slug, list);
        this.cityNames.set(slug, voter.city);
      }
      list.push(voter);
    }
  }

  get citySlugs(): string[] {
    return [...this.byCity.keys()].sort();
  }

  votersOf(slug: string): readonly RollName[] {
    return this.byCity.get(slug) ?? [];
  }

  cityName(slug: string): string {
    return this.cityNames.get(slug) ?? slug.replace(/-/g, ' ');
  }

  get voterCount(): number {
    let count = 0;
    for (const list of this.byCity.values()) count += list.length;
    return count;
  }
}

/** A NameRoll of the roll's registered voters. */
export function nameRollOf(generation: string, voters: Iterable<RegisteredVoter>, nicknames?: Nicknames): NameRoll {
  // One list per distinct first name, shared by its voters.
  const shortForms = new Map<string, readonly string[]>();
  const shortFormsOf = (first: string): readonly string[] => {
    let forms = shortForms.get(first);
    if (forms === undefined) {
      forms = nicknames?.shortFormsOf(plainName(first)) ?? [];
      shortForms.set(first, forms);
    }
    return forms;
  };
  return new NameRoll(generation, (function* names(): Generator<RollName> {
    for (const voter of voters) {
      const firstShortForms = shortFormsOf(voter.name.first);
      yield { first: voter.name.first, middle: voter.name.middle, last: voter.name.last, suffix: voter.name.suffix,
        city: voter.city, ...(firstShortForms.length === 0 ? {} : { firstShortForms }) };
    }
  })());
}
