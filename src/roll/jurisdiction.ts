// One interface per jurisdiction (SPEC §9): its geography (counties with auditor phones, cities,
// districts, area codes), its roll export format, and what the sample-roll generator needs to
// write that format. The importer, the generator and the IVR "register" prompt use only this.
import type { RegisteredVoter } from '../core/voter.js';
import type { Prng } from './prng.js';

export interface County {
  /** The jurisdiction's own county number (Iowa: 1–99, alphabetical). */
  id: number;
  /** Lower case, e.g. "black hawk". */
  name: string;
  /** 10 digits. The IVR reads it to callers who want to register this phone. */
  auditorPhone: string;
}

/** Outcome of parsing one roll row. `bad` rows are reported and skipped. */
export type RollRowOutcome =
  | { kind: 'voter'; voter: RegisteredVoter; warnings: readonly string[] }
  | { kind: 'bad'; reason: string };

/** A header row bound to column positions: parses data rows of one file. */
export interface BoundRollHeader {
  /** Number of fields in the header row; longer rows are clipped to it. */
  readonly width: number;
  /** A row with fewer fields lacks some required column and is bad. */
  readonly fieldsNeeded: number;
  parseRow(fields: readonly string[]): RollRowOutcome;
}

export type HeaderBinding = { ok: true; header: BoundRollHeader } | { ok: false; missingColumns: string[] };

export interface RollFormat {
  /** Columns without which no row can be imported. */
  readonly requiredColumns: readonly string[];
  /** File name endings (lower case) that hold roll rows inside the export ZIP. */
  readonly dataFileSuffixes: readonly string[];
  bindHeader(header: readonly string[]): HeaderBinding;
}

/** A place the sample generator may put voters in, with its relative population. */
export interface SamplePlace {
  city: string;
  county: string;
  weight: number;
  zips: readonly string[];
  areaCode: string;
  district: string;
}

/** A synthetic voter before it is written in the export format; names and street parts upper case. */
export interface SampleVoter {
  regnNum: string;
  first: string;
  middle: string;
  last: string;
  suffix: string;
  houseNumber: number;
  houseSuffix: string;
  preDirection: string;
  streetName: string;
  streetType: string;
  unitType: string;
  unitNumber: string;
  place: SamplePlace;
  zip: string;
  zipPlus: string;
  precinct: string;
  township: string;
  /** 10 digits or '' (no phone). */
  phone: string;
  gender: 'M' | 'F';
  birthDate: Date;
  party: string;
  status: string;
  registeredOn: Date;
  updatedOn: Date;
  mailing: { city: string; zip: string; zipPlus: string } | null;
}

export interface SampleRollFormat {
  readonly header: readonly string[];
  /** Inner file name for part `index` (1-based) of a sample export. */
  fileName(index: number): string;
  /** Export fields of one voter; may vary spellings (phone punctuation, city abbreviations). */
  formatRow(voter: SampleVoter, prng: Prng): string[];
}

export interface Jurisdiction {
  /** Short code used in Redis hash tags, e.g. "ia". */
  readonly code: string;
  readonly name: string;
  /** Lower case STATE_OR_PROVINCE value that selects this module, e.g. "iowa". */
  readonly stateOrProvince: string;
  readonly counties: readonly County[];
  /** Canonical (normalized) city names, lower case, sorted. */
  readonly cities: readonly string[];
  /** Voting districts a roll can be filtered on (Iowa: congressional districts "1"–"4"). */
  readonly districts: readonly string[];
  readonly areaCodes: readonly string[];
  normalizeCity(raw: string): string;
  /** Canonical district, or null when `raw` names none of `districts`. */
  normalizeDistrict(raw: string): string | null;
  /** County by spoken or written name ("Polk", "polk county", "O'Brien") or number. */
  findCounty(nameOrId: string): County | undefined;
  readonly roll: RollFormat;
  readonly sample: { places: readonly SamplePlace[]; format: SampleRollFormat };
}
