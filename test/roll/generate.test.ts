import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { generateRoll } from '../../src/roll/generate.js';
import { loadIowa } from '../../src/roll/iowa/index.js';
import { iowaExportColumns } from '../../src/roll/iowa/roll-format.js';
import { normalizePhone } from '../../src/roll/normalize.js';
import { makeTempDir, readZipCsvs } from './roll-fixtures.js';

const column = (name: string): number => iowaExportColumns.indexOf(name);

describe('sample roll generator', function () {
  this.timeout(60_000);
  const iowa = loadIowa();
  const temp = makeTempDir();
  after(() => temp.remove());

  it('writes byte-identical ZIPs for the same seed and different ones for another seed', async () => {
    const options = { voters: 2_000, jurisdiction: iowa };
    const first = await generateRoll({ ...options, seed: 7, outputPath: join(temp.path, 'a.zip') });
    const again = await generateRoll({ ...options, seed: 7, outputPath: join(temp.path, 'b.zip') });
    const other = await generateRoll({ ...options, seed: 8, outputPath: join(temp.path, 'c.zip') });
    const bytes = await readFile(first.path);
    expect(first.sha256).to.equal(createHash('sha256').update(bytes).digest('hex'));
    expect(bytes.equals(await readFile(again.path))).to.equal(true);
    expect(again.sha256).to.equal(first.sha256);
    expect(other.sha256).to.not.equal(first.sha256);
    expect(first.voters).to.equal(2_000);
  });

  it('splits large rolls into several CSV parts, each with the header', async () => {
    const roll = await generateRoll({ seed: 3, voters: 2_000, rowsPerFileMax: 700, jurisdiction: iowa,
      outputPath: join(temp.path, 'parts.zip') });
    const files = await readZipCsvs(roll.path);
    expect(files.map((file) => file.name)).to.deep.equal(roll.files).and.have.length(3);
    expect(files.map((file) => file.rows.length - 1)).to.deep.equal([700, 700, 600]);
    for (const file of files) expect(file.rows[0]).to.deep.equal(iowaExportColumns);
  });

  describe('a 20k roll', () => {
    let rows: string[][] = [];

    before(async () => {
      const roll = await generateRoll({ seed: 20_240_101, voters: 20_000, jurisdiction: iowa,
        outputPath: join(temp.path, 'roll20k.zip') });
      const files = await readZipCsvs(roll.path);
      expect(files).to.have.length(1);
      expect(files[0]?.rows[0]).to.deep.equal(iowaExportColumns);
      rows = files[0]?.rows.slice(1) ?? [];
    });

    it('has 20k rows with unique numeric REGN_NUMs and upper-case names', () => {
      expect(rows).to.have.length(20_000);
      const ids = rows.map((row) => row[column('REGN_NUM')] ?? '');
      expect(new Set(ids).size).to.equal(20_000);
      for (const id of ids) expect(id).to.match(/^[1-9]\d{8}$/);
      for (const row of rows.slice(0, 500)) {
        for (const name of ['FIRST_NAME', 'LAST_NAME', 'CITY']) {
          const value = row[column(name)] ?? '';
          expect(value, name).to.equal(value.toUpperCase());
        }
      }
    });

    it('draws surnames from a census head and a long tail', () => {
      const surnames = rows.map((row) => row[column('LAST_NAME')] ?? '');
      const counts = new Map<string, number>();
      for (const surname of surnames) counts.set(surname, (counts.get(surname) ?? 0) + 1);
      expect(counts.size).to.be.greaterThan(5_000);
      const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([name]) => name);
      expect(top).to.include('SMITH');
      expect(surnames.filter((surname) => /^[A-Z']+-[A-Z']+$/.test(surname)).length).to.be.within(100, 600);
      expect(surnames.some((surname) => / /.test(surname))).to.equal(true);
    });

    it('has a frequency-skewed given-name head, missing middle names and a few suffixes', () => {
      const firsts = new Map<string, number>();
      for (const row of rows) firsts.set(row[column('FIRST_NAME')] ?? '', (firsts.get(row[column('FIRST_NAME')] ?? '') ?? 0) + 1);
      expect(firsts.size).to.be.greaterThan(2_000);
      expect(firsts.get('JAMES') ?? 0).to.be.within(200, 1_200);
      const noMiddle = rows.filter((row) => row[column('MIDDLE_NAME')] === '').length / rows.length;
      expect(noMiddle).to.be.within(0.08, 0.16);
      const suffixes = new Set(rows.map((row) => row[column('NAME_SUFFIX')]));
      expect([...suffixes]).to.include.members(['', 'JR', 'SR', 'III']);
    });

    it('has ~20% voters without phone and ~10% sharing a household phone', () => {
      const phones = rows.map((row) => normalizePhone(row[column('PHONENO')] ?? '').phone);
      const withoutPhone = phones.filter((phone) => phone === null).length / rows.length;
      const perPhone = new Map<string, number>();
      for (const phone of phones) if (phone !== null) perPhone.set(phone, (perPhone.get(phone) ?? 0) + 1);
      const sharing = phones.filter((phone) => phone !== null && (perPhone.get(phone) ?? 0) > 1).length / rows.length;
      expect(withoutPhone).to.be.within(0.17, 0.23);
      expect(sharing).to.be.within(0.07, 0.14);
    });

    it('puts phone sharers in one household: same surname and address', () => {
      const byPhone = new Map<string, string[][]>();
      for (const row of rows) {
        const phone = normalizePhone(row[column('PHONENO')] ?? '').phone;
        if (phone !== null) byPhone.set(phone, [...(byPhone.get(phone) ?? []), row]);
      }
      // The written city may differ ("W DES MOINES"), the normalized one may not.
      const address = (row: string[]): string => [...['LAST_NAME', 'HOUSE_NUM', 'STREET_NAME', 'ZIP_CODE']
        .map((name) => row[column(name)]), iowa.normalizeCity(row[column('CITY')] ?? '')].join('|');
      const households = [...byPhone.values()].filter((members) => members.length > 1);
      expect(households.length).to.be.greaterThan(500);
      for (const members of households) expect(new Set(members.map(address)).size).to.equal(1);
    });

    it('uses real Iowa cities, counties, districts, ZIPs and area codes', () => {
      const counties = new Set(iowa.counties.map((county) => county.name));
      const cities = new Set(iowa.cities);
      let abbreviated = 0;
      for (const row of rows) {
        const written = row[column('CITY')] ?? '';
        const city = iowa.normalizeCity(written);
        expect(cities.has(city), written).to.equal(true);
        if (city.toUpperCase() !== written) abbreviated += 1;
        expect(counties.has((row[column('COUNTY')] ?? '').toLowerCase()), row[column('COUNTY')]).to.equal(true);
        expect(row[column('ZIP_CODE')]).to.match(/^5[0-2]\d{3}$/);
        expect(iowa.districts).to.include(row[column('CONGRESSIONAL')]);
        const phone = normalizePhone(row[column('PHONENO')] ?? '').phone;
        if (phone !== null) expect(iowa.areaCodes).to.include(phone.slice(0, 3));
      }
      expect(abbreviated).to.be.greaterThan(10);
      expect(rows.some((row) => row[column('CITY')] === 'W DES MOINES')).to.equal(true);
      expect(new Set(rows.map((row) => row[column('CONGRESSIONAL')])).size).to.equal(4);
    });

    it('weights cities by population', () => {
      const count = (city: string): number => rows.filter((row) => iowa.normalizeCity(row[column('CITY')] ?? '') === city).length;
      expect(count('des moines')).to.be.greaterThan(count('ames'));
      expect(count('ames')).to.be.greaterThan(count('adel'));
      expect(count('des moines') / rows.length).to.be.within(0.04, 0.12);
    });
  });
});
