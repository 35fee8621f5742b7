// Public voter search by name and city (never by phone): an in-memory index of the current roll
// generation, keyed by last name and city, built once per generation by one HSCAN pass and shared by
// concurrent searches. Results carry only public fields (id, name, city, county).
import type { RollStore } from '../store/roll-store.js';
import { publicName, type PublicVoter } from '../core/voter.js';
import { invariant } from '../core/invariant.js';
import { plainName } from '../core/plain-letters.js';

export const searchResultsMax = 50;
export const searchTermLengthMax = 60;

export interface VoterQuery {
  last: string;
  first: string;
  city: string;
}

export interface VoterHit {
  id: string;
  name: string;
  city: string;
  county: string;
}

export class SearchQueryError extends Error {
  override name = 'SearchQueryError';
}

/**
 * A search term as the index compares it: letters in plain form (plain-letters.ts: "Núñez" and "nunez" alike,
 * "St. Clair" as "st clair"), spaces, hyphens and apostrophes only: digits would let a phone in.
 */
export function cleanTerm(value: unknown, what: string): string {
  const raw = typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : '';
  if (raw.length > searchTermLengthMax) throw new SearchQueryError(`${what} is too long`);
  const text = plainName(raw);
  if (!/^[a-z' -]*$/.test(text)) throw new SearchQueryError(`${what} may hold only letters, spaces, hyphens and apostrophes`);
  return text;
}

/** A folded last name and city (cleanTerm's form) as the index keys them. */
function indexKey(last: string, city: string): string {
  return `${last}\u0000${city}`;
}

/** A voter in the index: public fields only, with the given names folded once for filtering. */
interface IndexedVoter extends PublicVoter {
  readonly plainFirst: string;
  readonly plainMiddle: string;
}

interface Index {
  generation: number;
  /** Folded last name + city → public voters. */
  byLastAndCity: Map<string, IndexedVoter[]>;
}

export class VoterSearch {
  private index: Promise<Index> | null = null;

  constructor(private readonly roll: RollStore) {}

  private async current(): Promise<Index | null> {
    const generation = await this.roll.currentGeneration();
    if (generation === null) return null;
    const cached = this.index === null ? null : await this.index.catch(() => null);
    if (cached?.generation === generation) return cached;
    this.index = this.build(generation);
    return this.index;
  }

  private async build(generation: number): Promise<Index> {
    const byLastAndCity = new Map<string, IndexedVoter[]>();
    for await (const batch of this.roll.scanVoters({ generation })) {
      for (const voter of batch) {
        // Only public fields are kept: the index never holds a phone or street address. Roll names and places are
        // folded as the terms are, so a search typed without accents finds them.
        const entry: IndexedVoter = { id: voter.id, name: voter.name, city: voter.city, county: voter.county,
          plainFirst: plainName(voter.name.first), plainMiddle: plainName(voter.name.middle) };
        const key = indexKey(plainName(voter.name.last), plainName(voter.city));
        const list = byLastAndCity.get(key);
        if (list === undefined) byLastAndCity.set(key, [entry]);
        else list.push(entry);
      }
    }
    return { generation, byLastAndCity };
  }

  /**
   * Voters with this last name in this city, optionally narrowed by first (or middle) name. The terms are as
   * cleanTerm returns them (folded once there, not again here).
   */
  async search(query: VoterQuery): Promise<VoterHit[]> {
    invariant(query.last.length > 0 && query.city.length > 0, 'last name and city are required');
    const index = await this.current();
    if (index === null) return [];
    const candidates = index.byLastAndCity.get(indexKey(query.last, query.city)) ?? [];
    const hits = candidates.filter((voter) => query.first.length === 0
      || voter.plainFirst.startsWith(query.first) || voter.plainMiddle.startsWith(query.first));
    return hits.slice(0, searchResultsMax).map((voter) => ({
      id: voter.id, name: publicName({ ...voter, city: '' }), city: voter.city, county: voter.county,
    }));
  }
}
