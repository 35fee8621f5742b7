// Normalizers shared by every jurisdiction: phones (North American Numbering Plan), free text
// fields and place names with abbreviated first words ("w des moines").
import assert from 'node:assert/strict';

// Phones are normalized by the core's one rule, shared with configuration and the trust layer.
export { parsePhone as normalizePhone, type PhoneResult } from '../core/phone.js';

const needsSpaceCleanup = /[\u0000-\u001f\u007f]|\s\s/;

/** Lower case, no control characters, single spaces, trimmed. */
export function cleanText(raw: string): string {
  // Fast path: nearly every roll field is already free of control characters and double spaces.
  if (!needsSpaceCleanup.test(raw)) return raw.trim().toLowerCase();
  return raw.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Abbreviated first words and their long forms, as county clerks write them. */
const firstWordExpansions: Readonly<Record<string, string>> = {
  w: 'west',
  n: 'north',
  s: 'south',
  e: 'east',
  ft: 'fort',
  mt: 'mount',
  st: 'saint',
};

const firstWordContractions: Readonly<Record<string, string>> = {
  fort: 'ft',
  mount: 'mt',
  saint: 'st',
};

function replaceFirstWord(words: string[], table: Readonly<Record<string, string>>): string | null {
  const replacement = table[words[0] ?? ''];
  if (replacement === undefined || words.length < 2) return null;
  return [replacement, ...words.slice(1)].join(' ');
}

export type CityNormalizer = (raw: string) => string;

/**
 * Builds a city normalizer over a jurisdiction's known spellings. Official lists are inconsistent
 * ("fort dodge" and "ft dodge" both occur, "mt pleasant" but "mount vernon"), so rather than
 * expanding blindly we try, in order: the expanded form, the text as written, the contracted form,
 * and keep the first one the list knows. "st" is only ever turned into "saint" when the list
 * spells the city that way, so "st ansgar" stays "st ansgar".
 */
export function createCityNormalizer(knownSpellings: Iterable<string>): CityNormalizer {
  const known = new Set<string>();
  for (const spelling of knownSpellings) known.add(cleanCity(spelling));
  assert.ok(known.size > 0, 'a city normalizer needs known cities');
  return memoized((raw: string): string => {
    const cleaned = cleanCity(raw);
    const words = cleaned.split(' ');
    const candidates = [
      replaceFirstWord(words, firstWordExpansions),
      cleaned,
      replaceFirstWord(words, firstWordContractions),
    ];
    for (const candidate of candidates) {
      if (candidate !== null && known.has(candidate)) return candidate;
    }
    return cleaned;
  });
}

/** Entries a memoized normalizer keeps; beyond it the cache starts over (rolls repeat few places). */
export const normalizerCacheEntriesMax = 20_000;

/** Caches a pure string function: a 2.2M-row roll spells its ~1,000 cities over and over. */
export function memoized(normalize: (raw: string) => string): (raw: string) => string {
  const cache = new Map<string, string>();
  return (raw: string): string => {
    const hit = cache.get(raw);
    if (hit !== undefined) return hit;
    const value = normalize(raw);
    if (cache.size >= normalizerCacheEntriesMax) cache.clear();
    cache.set(raw, value);
    return value;
  };
}

function cleanCity(raw: string): string {
  // "St. Ansgar" and "W. Des Moines": periods after abbreviations carry no meaning.
  return cleanText(raw.replace(/\./g, ' '));
}
