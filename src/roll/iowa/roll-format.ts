// The Iowa Secretary of State voter export: CSV with a header row. The mailing address repeats
// the column names CITY, STATE, ZIP_CODE, ZIP_PLUS at the end of the row, so a column name is
// bound to its FIRST occurrence (the residence address).
import assert from 'node:assert/strict';
import { rollVoterId, type RegisteredVoter } from '../../core/voter.js';
import type { BoundRollHeader, County, HeaderBinding, RollFormat, RollRowOutcome } from '../jurisdiction.js';
import { cleanText, normalizePhone, type CityNormalizer } from '../normalize.js';

/** Column order of a real export, mailing-address columns included (duplicated names). */
export const iowaExportColumns: readonly string[] = [
  'REGN_NUM', 'FIRST_NAME', 'MIDDLE_NAME', 'LAST_NAME', 'NAME_SUFFIX', 'HOUSE_NUM', 'HOUSE_SUFFIX',
  'PRE_DIR', 'STREET_NAME', 'STREET_TYPE', 'POST_DIR', 'UNIT_TYPE', 'UNIT_NUM', 'CITY', 'STATE',
  'ZIP_CODE', 'ZIP_PLUS', 'COUNTY', 'PRECINCT', 'TOWNSHIP', 'CONGRESSIONAL', 'PHONENO', 'GENDER',
  'BIRTHDATE', 'PARTY', 'VOTERSTATUS', 'EFF_REGN_DATE', 'LAST_UPDATED_DATE',
  'CITY', 'STATE', 'ZIP_CODE', 'ZIP_PLUS',
];

const requiredColumns = [
  'REGN_NUM', 'FIRST_NAME', 'MIDDLE_NAME', 'LAST_NAME', 'NAME_SUFFIX', 'HOUSE_NUM', 'STREET_NAME',
  'CITY', 'ZIP_CODE', 'COUNTY', 'PRECINCT', 'CONGRESSIONAL', 'PHONENO',
] as const;
const optionalColumns = ['HOUSE_SUFFIX', 'PRE_DIR', 'STREET_TYPE', 'POST_DIR'] as const;

type Column = (typeof requiredColumns)[number] | (typeof optionalColumns)[number];
type ColumnIndexes = Record<Column, number>;

const absentColumn = -1;
const regnNumDigitsMax = 12;

export interface IowaRowContext {
  normalizeCity: CityNormalizer;
  knownCities: ReadonlySet<string>;
  findCounty(nameOrId: string): County | undefined;
  normalizeDistrict(raw: string): string | null;
}

function firstIndexes(header: readonly string[]): Map<string, number> {
  const indexes = new Map<string, number>();
  header.forEach((name, index) => {
    const key = name.replace(/^\uFEFF/, '').trim().toUpperCase();
    if (!indexes.has(key)) indexes.set(key, index);
  });
  return indexes;
}

class IowaBoundHeader implements BoundRollHeader {
  readonly fieldsNeeded: number;

  constructor(readonly width: number, private readonly columns: ColumnIndexes,
    private readonly context: IowaRowContext) {
    this.fieldsNeeded = Math.max(...requiredColumns.map((column) => columns[column])) + 1;
    assert.ok(this.fieldsNeeded <= width, 'required columns lie inside the header');
  }

  private field(fields: readonly string[], column: Column): string {
    const index = this.columns[column];
    return index === absentColumn ? '' : cleanText(fields[index] ?? '');
  }

  parseRow(fields: readonly string[]): RollRowOutcome {
    assert.ok(fields.length >= this.fieldsNeeded, 'the importer rejects short rows first');
    const rawId = fields[this.columns.REGN_NUM] ?? '';
    const id = rawId.trim().length > regnNumDigitsMax + 4 ? null : rollVoterId(rawId);
    if (id === null) return { kind: 'bad', reason: `REGN_NUM ${JSON.stringify(rawId.trim())} is not a registration number` };
    const last = this.field(fields, 'LAST_NAME');
    if (last.length === 0) return { kind: 'bad', reason: 'LAST_NAME is empty' };
    const warnings: string[] = [];
    const voter: RegisteredVoter = {
      id,
      name: {
        first: this.field(fields, 'FIRST_NAME'),
        middle: this.field(fields, 'MIDDLE_NAME'),
        last,
        suffix: this.field(fields, 'NAME_SUFFIX').replace(/\./g, ''),
      },
      city: this.city(fields, warnings),
      county: this.county(fields, warnings),
      phone: this.phone(fields, warnings),
      houseNumber: [this.field(fields, 'HOUSE_NUM'), this.field(fields, 'HOUSE_SUFFIX')].filter(Boolean).join(' '),
      street: (['PRE_DIR', 'STREET_NAME', 'STREET_TYPE', 'POST_DIR'] as const)
        .map((column) => this.field(fields, column)).filter(Boolean).join(' '),
      zip: this.zip(fields, warnings),
      district: this.district(fields, warnings),
      precinct: this.field(fields, 'PRECINCT'),
    };
    return { kind: 'voter', voter, warnings };
  }

  private city(fields: readonly string[], warnings: string[]): string {
    const city = this.context.normalizeCity(this.field(fields, 'CITY'));
    if (!this.context.knownCities.has(city)) warnings.push(`unknown city ${JSON.stringify(city)}`);
    return city;
  }

  private county(fields: readonly string[], warnings: string[]): string {
    const raw = this.field(fields, 'COUNTY');
    const county = this.context.findCounty(raw);
    if (county !== undefined) return county.name;
    warnings.push(`unknown county ${JSON.stringify(raw)}`);
    return raw;
  }

  private phone(fields: readonly string[], warnings: string[]): string | null {
    const result = normalizePhone(fields[this.columns.PHONENO] ?? '');
    if (result.phone === null && result.problem !== null) warnings.push(result.problem);
    return result.phone;
  }

  private zip(fields: readonly string[], warnings: string[]): string {
    const raw = this.field(fields, 'ZIP_CODE');
    // Some exports write ZIP+4 into ZIP_CODE; the first five digits are the ZIP.
    const zip = raw.replace(/\D/g, '').slice(0, 5);
    if (zip.length === 5) return zip;
    if (raw.length > 0) warnings.push(`bad ZIP_CODE ${JSON.stringify(raw)}`);
    return '';
  }

  private district(fields: readonly string[], warnings: string[]): string {
    const raw = this.field(fields, 'CONGRESSIONAL');
    const district = this.context.normalizeDistrict(raw);
    if (district !== null) return district;
    warnings.push(`unknown CONGRESSIONAL district ${JSON.stringify(raw)}`);
    return '';
  }
}

export function createIowaRollFormat(context: IowaRowContext): RollFormat {
  return {
    requiredColumns,
    dataFileSuffixes: ['.csv', '.txt'],
    bindHeader(header: readonly string[]): HeaderBinding {
      const indexes = firstIndexes(header);
      const missingColumns = requiredColumns.filter((column) => !indexes.has(column));
      if (missingColumns.length > 0) return { ok: false, missingColumns };
      const columns = Object.fromEntries([...requiredColumns, ...optionalColumns]
        .map((column) => [column, indexes.get(column) ?? absentColumn])) as ColumnIndexes;
      return { ok: true, header: new IowaBoundHeader(header.length, columns, context) };
    },
  };
}
