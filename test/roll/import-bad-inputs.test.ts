// Every broken export either imports what it can with row-level reports, or fails as a whole with
// a RollImportError and leaves the current generation exactly as it was.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { importRoll, RollImportError, type ImportReport, type ImportRollOptions } from '../../src/roll/import.js';
import { loadIowa } from '../../src/roll/iowa/index.js';
import { iowaExportColumns } from '../../src/roll/iowa/roll-format.js';
import { RollStore } from '../../src/store/roll-store.js';
import { startTestRollStore, type TestRedis } from '../support/redis.js';
import { csvText, iowaCsv, makeTempDir, validRow, writeZip, zipBuffer } from './roll-fixtures.js';

const baselineVoters = 3;

describe('roll import: bad inputs', function () {
  this.timeout(30_000);
  const iowa = loadIowa();
  const temp = makeTempDir();
  let testRedis: TestRedis;
  let redis: Redis;
  let store: RollStore;
  let baseline = 0;
  let zipCount = 0;

  const zipPath = (): string => join(temp.path, `export-${++zipCount}.zip`);
  const activate = (generation: number): Promise<void> => store.activateSimple(generation);
  const run = (path: string, options: Partial<ImportRollOptions> = {}): Promise<ImportReport> =>
    importRoll({ redis, jurisdiction: iowa, zipPath: path, activate, ...options });

  async function expectFailure(path: string, code: string, message: RegExp,
    options: Partial<ImportRollOptions> = {}): Promise<void> {
    let error: unknown;
    try {
      await run(path, options);
    } catch (caught) {
      error = caught;
    }
    expect(error, 'import must fail').to.be.instanceOf(RollImportError);
    expect((error as RollImportError).code).to.equal(code);
    expect((error as RollImportError).message).to.match(message);
  }

  /** The baseline generation is current, complete, and the only one with keys. */
  async function expectUnchanged(): Promise<void> {
    expect(await store.currentGeneration()).to.equal(baseline);
    expect(await store.count()).to.equal(baselineVoters);
    expect((await store.getVoter('5000001'))?.name.last).to.equal('doe1');
    expect(await store.generations()).to.deep.equal([baseline]);
    expect(await store.buildingGeneration()).to.equal(null);
    const generationKeys = (await redis.keys('{ia}:roll:*:*')).filter((key) => !key.endsWith(':lock'));
    expect(generationKeys.sort()).to.deep.equal(store.keysOfGeneration(baseline).sort());
  }

  before(async () => {
    ({ testRedis, redis, store } = await startTestRollStore());
  });
  after(async () => {
    await testRedis.stop();
    temp.remove();
  });
  beforeEach(async () => {
    await redis.flushall();
    const rows = Array.from({ length: baselineVoters }, (_, index) => validRow(index + 1));
    baseline = (await run(await writeZip(zipPath(), [{ name: 'roll.csv', data: iowaCsv(rows) }]))).generation;
  });

  describe('fail as a whole and change nothing', () => {
    it('random bytes', async () => {
      const path = zipPath();
      await writeFile(path, randomBytes(4_096));
      await expectFailure(path, 'malformed-zip', /export-\d+\.zip: not a readable ZIP file/);
      await expectUnchanged();
    });

    it('a truncated ZIP', async () => {
      const whole = await zipBuffer([{ name: 'roll.csv', data: iowaCsv([validRow(7), validRow(8)]) }]);
      const path = zipPath();
      await writeFile(path, whole.subarray(0, Math.floor(whole.length / 2)));
      await expectFailure(path, 'malformed-zip', /not a readable ZIP file/);
      await expectUnchanged();
    });

    it('a ZIP whose compressed data is corrupt, found only while importing', async () => {
      const rows = Array.from({ length: 3_000 }, (_, index) => validRow(index + 10));
      const whole = await zipBuffer([{ name: 'roll.csv', data: iowaCsv(rows) }]);
      // Scramble the middle of the deflate stream; the headers and the central directory stay intact.
      const corrupt = Buffer.from(whole);
      const start = Math.floor(corrupt.length / 3);
      for (let index = start; index < start + 200; index += 1) corrupt[index] = (corrupt[index] ?? 0) ^ 0x5a;
      const path = zipPath();
      await writeFile(path, corrupt);
      await expectFailure(path, 'malformed-zip', /roll\.csv: cannot read/);
      await expectUnchanged();
    });

    it('a header without required columns, naming them', async () => {
      const header = iowaExportColumns.filter((column) => column !== 'PHONENO' && column !== 'REGN_NUM');
      const path = await writeZip(zipPath(), [{ name: 'roll.csv', data: csvText([header, header.map(() => 'X')]) }]);
      await expectFailure(path, 'missing-columns', /roll\.csv: header lacks required column\(s\) REGN_NUM, PHONENO/);
      await expectUnchanged();
    });

    it('a good file followed by one with a wrong header', async () => {
      const path = await writeZip(zipPath(), [
        { name: 'part1.csv', data: iowaCsv([validRow(20)]) },
        { name: 'part2.csv', data: 'NAME,PHONE\r\nJOHN,5155550100\r\n' },
      ]);
      await expectFailure(path, 'missing-columns', /part2\.csv: header lacks .*REGN_NUM/);
      await expectUnchanged();
    });

    it('a ZIP without data files', async () => {
      const path = await writeZip(zipPath(), [{ name: 'README.pdf', data: 'not a roll' }]);
      await expectFailure(path, 'no-data-files', /no \.csv or \.txt files inside \(found: .*README\.pdf\)/);
      await expectUnchanged();
    });

    it('a roll in which no row is usable', async () => {
      const path = await writeZip(zipPath(), [{ name: 'roll.csv', data: iowaCsv([['1', 'SHORT']]) }]);
      await expectFailure(path, 'empty-roll', /no voter could be imported \(1 rows, 1 bad/);
      await expectUnchanged();
    });

    it('an activation that fails', async () => {
      const path = await writeZip(zipPath(), [{ name: 'roll.csv', data: iowaCsv([validRow(30)]) }]);
      await expectFailure(path, 'activation-failed', /activating roll generation \d+ failed: guard failed/, {
        activate: async () => { throw new Error('guard failed'); },
      });
      await expectUnchanged();
    });

    it('an activate() that does not switch the generation', async () => {
      const path = await writeZip(zipPath(), [{ name: 'roll.csv', data: iowaCsv([validRow(31)]) }]);
      await expectFailure(path, 'activation-failed', /current roll generation is \d+, not \d+/, { activate: async () => undefined });
      await expectUnchanged();
    });

    it('another import holding the lock', async () => {
      expect(await store.acquireImportLock('someone-else', 10_000)).to.equal(true);
      const path = await writeZip(zipPath(), [{ name: 'roll.csv', data: iowaCsv([validRow(32)]) }]);
      await expectFailure(path, 'import-locked', /another roll import is running/, { lockWaitMs: 300 });
      await store.releaseImportLock('someone-else');
      await expectUnchanged();
    });
  });

  describe('import the good rows and report the bad ones', () => {
    it('short rows are bad, with file and line', async () => {
      const path = await writeZip(zipPath(), [{ name: 'roll.csv', data: iowaCsv([validRow(40), validRow(41).slice(0, 10), validRow(42)]) }]);
      const report = await run(path);
      expect(report).to.include({ votersImported: 2, badRows: 1, rowsRead: 3 });
      expect(report.badRowReports).to.deep.equal([{ file: `${path.split('/').pop()}/roll.csv`, line: 3, reason: 'short row: 10 fields, 22 needed' }]);
      expect(await store.getVoter('5000041')).to.equal(null);
      expect(await store.getVoter('5000042')).to.not.equal(null);
    });

    it('long rows are clipped and kept', async () => {
      const path = await writeZip(zipPath(), [{ name: 'roll.csv', data: iowaCsv([[...validRow(50), 'EXTRA', 'MORE'], validRow(51)]) }]);
      const report = await run(path);
      expect(report).to.include({ votersImported: 2, badRows: 0, clippedRows: 1 });
      expect((await store.getVoter('5000050'))?.name.last).to.equal('doe50');
    });

    it('non-UTF-8 rows are decoded as Windows-1252 and kept with a warning', async () => {
      const csv = Buffer.concat([
        Buffer.from(iowaCsv([validRow(60)]), 'utf8'),
        Buffer.from(csvText([validRow(61, { FIRST_NAME: 'JOS\u00c9', LAST_NAME: 'NU\u00d1EZ' })]), 'latin1'),
        Buffer.from(csvText([validRow(62, { FIRST_NAME: 'ZO\u00cb' })]), 'utf8'),
      ]);
      const path = await writeZip(zipPath(), [{ name: 'roll.csv', data: csv }]);
      const report = await run(path);
      expect(report).to.include({ votersImported: 3, badRows: 0, reencodedRows: 1 });
      expect(report.warningReports).to.deep.include({ file: `${path.split('/').pop()}/roll.csv`, line: 3,
        reason: 'row is not valid UTF-8; decoded as Windows-1252' });
      expect((await store.getVoter('5000061'))?.name).to.deep.include({ first: 'josé', last: 'nuñez' });
      expect((await store.getVoter('5000062'))?.name.first).to.equal('zoë');
    });

    it('a duplicate REGN_NUM keeps the first row and reports the second', async () => {
      const rows = [validRow(70), validRow(71), validRow(70, { LAST_NAME: 'IMPOSTOR' })];
      const path = await writeZip(zipPath(), [{ name: 'roll.csv', data: iowaCsv(rows) }]);
      const report = await run(path);
      expect(report).to.include({ votersImported: 2, badRows: 1 });
      expect(report.badRowReports).to.deep.equal([{ file: `${path.split('/').pop()}/roll.csv`, line: 4,
        reason: 'duplicate REGN_NUM 5000070 (first occurrence kept)' }]);
      expect((await store.getVoter('5000070'))?.name.last).to.equal('doe70');
    });

    it('bad REGN_NUMs, empty last names and unparseable phones, line by line', async () => {
      const rows = [validRow(80, { REGN_NUM: 'A12' }), validRow(81, { LAST_NAME: ' ' }), validRow(82, { PHONENO: '555-0123' }),
        validRow(83, { CITY: 'W DES MOINES', COUNTY: '77' })];
      const path = await writeZip(zipPath(), [{ name: 'roll.csv', data: iowaCsv(rows) }]);
      const report = await run(path);
      expect(report).to.include({ votersImported: 2, badRows: 2, warnings: 1 });
      expect(report.badRowReports.map((issue) => [issue.line, issue.reason])).to.deep.equal([
        [2, 'REGN_NUM "A12" is not a registration number'], [3, 'LAST_NAME is empty']]);
      expect(report.warningReports.map((issue) => issue.line)).to.deep.equal([4]);
      expect(report.warningReports[0]?.reason).to.match(/phone "555-0123" has 7 digits/);
      expect((await store.getVoter('5000082'))?.phone).to.equal(null);
      expect(await store.getVoter('5000083')).to.deep.include({ city: 'west des moines', county: 'polk' });
    });

    it('keeps only the first N detailed reports but counts them all', async () => {
      const rows = [validRow(90), ...Array.from({ length: 25 }, (_, index) => validRow(100 + index).slice(0, 5))];
      const path = await writeZip(zipPath(), [{ name: 'roll.csv', data: iowaCsv(rows) }]);
      const report = await run(path, { issueReportsMax: 10 });
      expect(report.badRows).to.equal(25);
      expect(report.badRowReports).to.have.length(10);
      expect(report.badRowReports[9]?.line).to.equal(12);
    });

    it('accepts a UTF-8 BOM, fully quoted fields and MAILING_-named mailing columns', async () => {
      const header = iowaExportColumns.map((name, index) => (index >= 28 ? `MAILING_${name}` : name));
      const quoted = (row: readonly string[]): string => `${row.map((field) => `"${field}"`).join(',')}\r\n`;
      const text = `\uFEFF${quoted(header)}${quoted(validRow(150, { CITY: 'FT DODGE', COUNTY: 'WEBSTER' }))}`;
      const path = await writeZip(zipPath(), [{ name: 'roll.csv', data: text }]);
      const report = await run(path);
      expect(report).to.include({ votersImported: 1, badRows: 0, warnings: 0 });
      expect(await store.getVoter('5000150')).to.deep.include({ city: 'fort dodge', county: 'webster' });
    });

    it('an unclosed quote makes the rest of the file one unreadable row, reported', async () => {
      const text = `${iowaCsv([validRow(140), validRow(141)])}5000142,"JANE,Q,DOE142\r\n${csvText([validRow(143)])}`;
      const path = await writeZip(zipPath(), [{ name: 'roll.csv', data: text }]);
      const report = await run(path);
      expect(report).to.include({ votersImported: 2, badRows: 1 });
      expect(report.badRowReports[0]?.reason).to.match(/^unreadable CSV: Quote Not Closed/);
      expect(report.badRowReports[0]?.line).to.be.at.least(4);
      expect(await store.getVoter('5000143')).to.equal(null);
    });

    it('line numbers stay right across empty lines and quoted newlines', async () => {
      const text = `${csvText([iowaExportColumns])}\r\n${csvText([validRow(130, { STREET_NAME: 'MAIN\nSTREET' })])}`
        + `${csvText([validRow(131).slice(0, 3)])}`;
      const path = await writeZip(zipPath(), [{ name: 'roll.csv', data: text }]);
      const report = await run(path);
      expect(report.badRowReports.map((issue) => issue.line)).to.deep.equal([5]);
      expect((await store.getVoter('5000130'))?.street).to.equal('main street st');
    });
  });

  describe('nested exports', () => {
    it('imports a ZIP inside a ZIP inside a ZIP, several CSVs, naming the path in reports', async () => {
      const inner = await zipBuffer([
        { name: 'part1.csv', data: iowaCsv([validRow(200), validRow(201)]) },
        { name: 'part2.CSV', data: iowaCsv([validRow(202), validRow(203).slice(0, 4)]) },
      ]);
      const middle = await zipBuffer([{ name: 'inner.zip', data: inner }, { name: 'readme.pdf', data: 'x' }]);
      const path = await writeZip(zipPath(), [{ name: 'middle.zip', data: middle }]);
      const extractDir = join(temp.path, 'extract');
      await mkdir(extractDir);
      let extractedDuringImport = 0;
      const onProgress = (): void => {
        extractedDuringImport = Math.max(extractedDuringImport, readdirSync(extractDir).length);
      };
      const report = await run(path, { tempDir: extractDir, onProgress });
      expect(extractedDuringImport, 'inner ZIPs are extracted under tempDir').to.equal(1);
      expect(await readdir(extractDir), 'extracted inner ZIPs are removed').to.deep.equal([]);
      const outer = path.split('/').pop() ?? '';
      expect(report.files).to.deep.equal([`${outer}/middle.zip/inner.zip/part1.csv`, `${outer}/middle.zip/inner.zip/part2.CSV`]);
      expect(report.ignoredEntries).to.deep.equal([`${outer}/middle.zip/readme.pdf`]);
      expect(report).to.include({ votersImported: 3, badRows: 1 });
      expect(report.badRowReports[0]).to.include({ file: `${outer}/middle.zip/inner.zip/part2.CSV`, line: 3 });
      expect(await store.count()).to.equal(3);
      expect(report.sha256).to.match(/^[0-9a-f]{64}$/).and.equal(
        (await import('node:crypto')).createHash('sha256').update(await readFile(path)).digest('hex'));
    });

    it('refuses ZIPs nested deeper than the bound', async () => {
      let data = await zipBuffer([{ name: 'roll.csv', data: iowaCsv([validRow(300)]) }]);
      for (let depth = 0; depth < 4; depth += 1) data = await zipBuffer([{ name: `level${depth}.zip`, data }]);
      const path = zipPath();
      await writeFile(path, data);
      await expectFailure(path, 'malformed-zip', /nested deeper than 3 levels/);
      await expectUnchanged();
    });
  });
});
