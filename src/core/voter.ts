// Voters as the domain sees them. Phones are private: they never leave the store and trust layers
// except masked (see publicPhone).

/** Roll registration number (REGN_NUM) or a tentative id; decimal digits as a string. */
export type VoterId = string;

/** Tentative voters (phone not in the roll) get ids far above any roll id (SPEC §1). */
export const tentativeIdBase = 1_000_000_000_000;

export interface VoterName {
  first: string;
  middle: string;
  last: string;
  suffix: string;
}

/** The public part of a roll record: what may appear in logs, snapshots and web pages. */
export interface PublicVoter {
  id: VoterId;
  name: VoterName;
  city: string;
  county: string;
}

/** A roll record as imported: public part plus private contact and address data. */
export interface RegisteredVoter extends PublicVoter {
  phone: string | null;
  houseNumber: string;
  street: string;
  zip: string;
  district: string;
  precinct: string;
}

/**
 * A roll registration number as the store keeps it: decimal without leading zeros ("000123456" is 123456),
 * from 1 up to the tentative ids; null for anything else. Leading zeros are only padding, so up to 28 digits are read.
 */
export function rollVoterId(written: string): VoterId | null {
  const digits = written.trim();
  if (!/^\d{1,28}$/.test(digits)) return null;
  const value = Number(digits);
  return value >= 1 && value < tentativeIdBase ? String(value) : null;
}

export function isTentativeId(id: VoterId): boolean {
  return id.length >= 13 && Number(id) >= tentativeIdBase;
}

export function tentativeId(sequence: number): VoterId {
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new RangeError(`bad tentative sequence ${sequence}`);
  return String(tentativeIdBase + sequence);
}

function titleCase(word: string): string {
  return word.replace(/(^|[\s'-])([a-z])/g, (_m, sep: string, letter: string) => sep + letter.toUpperCase());
}

/** "John Q Doe of Ames": the seed's public form of a voter. Middle names are shortened to an initial. */
export function publicName(voter: PublicVoter): string {
  const { first, middle, last, suffix } = voter.name;
  const parts = [first, middle.slice(0, 1), last, suffix].filter((part) => part.length > 0);
  const name = parts.map((part) => titleCase(part)).join(' ');
  return voter.city.length > 0 ? `${name} of ${titleCase(voter.city)}` : name;
}

/** "712-555-XXXX": the only form in which a phone number is ever published. */
export function publicPhone(phone: string): string {
  if (!/^\d{10}$/.test(phone)) throw new RangeError('phone must be 10 digits');
  return `${phone.slice(0, 3)}-${phone.slice(3, 6)}-XXXX`;
}
