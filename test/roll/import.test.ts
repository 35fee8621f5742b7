import { join } from 'node:path';
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { generateRoll } from '../../src/roll/generate.js';
import { importRoll, RollImportError, type ImportReport, type ImportRollOptions } from '../../src/roll/import.js';
import { loadIowa } from '../../src/roll/iowa/index.js';
import { iowaExportColumns } from '../../src/roll/iowa/roll-format.js';
import { normalizePhone } from '../../src/roll/normalize.js';
import { RollStore } from '../../src/store/roll-store.js';
import { startTestRollStore, type TestRedis } from '../support/redis.js';
import { makeTempDir, readZipCsvs } from './roll-fixtures.js';

const column = (name: string): number => iowaExportColumns.indexOf(name);
const rollSize = 5_000;

describe('roll import: round trip', function () {
  this.timeout(60_000);
  const iowa = loadIowa();
  const temp = makeTempDir();
  let testRedis: TestRedis;
  let redis: Redis;
  let store: RollStore;
  let zipPath = '';
  let rows: string[][] = [];

  const activate = (generation: number): Promise<void> => store.activateSimple(generation);
  const runImport = (options: Partial<ImportRollOptions> = {}): Promise<ImportReport> =>
    importRoll({ redis, jurisdiction: iowa, zipPath, activate, ...options });

  before(async () => {
    ({ testRedis, redis, store } = await startTestRollStore());
    zipPath = (await generateRoll({ seed: 5, voters: rollSize, jurisdiction: iowa, outputPath: join(temp.path, 'roll.zip') })).path;
    rows = (await readZipCsvs(zipPath))[0]?.rows.slice(1) ?? [];
    expect(rows).to.have.length(rollSize);
  });
  after(async () => {
    await testRedis.stop();
    temp.remove();
  });
  beforeEach(async () => redis.flushall());

  it('imports every voter, normalized, and reports progress to the last byte', async () => {
    const progress: Array<[number, number, number]> = [];
    const report = await runImport({ onProgress: (done, bytes, total) => progress.push([done, bytes, total]) });
    expect(report).to.include({ rowsRead: rollSize, votersImported: rollSize, badRows: 0, rowsFiltered: 0,
      previousGeneration: null });
    expect(report.files).to.deep.equal(['roll.zip/IA_VOTER_EXPORT_01.csv']);
    expect(await store.count()).to.equal(rollSize);
    expect(await store.currentGeneration()).to.equal(report.generation);
    expect(progress.length).to.be.greaterThan(2);
    const last = progress[progress.length - 1];
    expect(last?.[0]).to.equal(rollSize);
    expect(last?.[1]).to.equal(last?.[2]);
    const monotonic = progress.every(([, bytes, total], index) =>
      bytes <= total && (index === 0 || bytes >= (progress[index - 1]?.[1] ?? 0)));
    expect(monotonic).to.equal(true);
    expect((await store.meta())?.voters).to.equal(rollSize);
  });

  it('decodes a sampled voter with lower-case names and a 10-digit phone', async () => {
    await runImport();
    const sample = rows.find((row) => (row[column('PHONENO')] ?? '').includes('-') && row[column('MIDDLE_NAME')] !== '');
    expect(sample).to.not.equal(undefined);
    const row = sample as string[];
    const voter = await store.getVoter(row[column('REGN_NUM')] as string);
    expect(voter).to.deep.include({
      id: row[column('REGN_NUM')],
      name: {
        first: row[column('FIRST_NAME')]?.toLowerCase(), middle: row[column('MIDDLE_NAME')]?.toLowerCase(),
        last: row[column('LAST_NAME')]?.toLowerCase(), suffix: row[column('NAME_SUFFIX')]?.toLowerCase(),
      },
      city: iowa.normalizeCity(row[column('CITY')] ?? ''),
      county: row[column('COUNTY')]?.toLowerCase(),
      zip: row[column('ZIP_CODE')],
      district: row[column('CONGRESSIONAL')],
    });
    expect(voter?.phone).to.match(/^\d{10}$/).and.equal((row[column('PHONENO')] ?? '').replace(/\D/g, '').slice(-10));
    expect(voter?.name.last).to.equal(voter?.name.last.toLowerCase());
  });

  it('finds every member of a household by their shared phone', async () => {
    await runImport();
    const byPhone = new Map<string, string[]>();
    for (const row of rows) {
      const phone = normalizePhone(row[column('PHONENO')] ?? '').phone;
      if (phone !== null) byPhone.set(phone, [...(byPhone.get(phone) ?? []), row[column('REGN_NUM')] as string]);
    }
    const shared = [...byPhone.entries()].filter(([, ids]) => ids.length > 1);
    expect(shared.length).to.be.greaterThan(50);
    for (const [phone, ids] of shared.slice(0, 20)) {
      const members = await store.votersByPhone(phone);
      expect(members.map((member) => member.id).sort()).to.deep.equal([...ids].sort());
    }
  });

  it('replaces the previous generation and deletes its keys', async () => {
    const first = await runImport();
    const second = await runImport();
    expect(second.previousGeneration).to.equal(first.generation);
    expect(second.previousGenerationDeleted).to.equal(true);
    expect(await redis.exists(...store.keysOfGeneration(first.generation))).to.equal(0);
    expect(await store.generations()).to.deep.equal([second.generation]);
    expect(await store.count()).to.equal(rollSize);
  });

  it('imports only the VOTING_DISTRICT when one is given', async () => {
    const inDistrict = rows.filter((row) => row[column('CONGRESSIONAL')] === '3').length;
    expect(inDistrict).to.be.within(500, rollSize - 500);
    const report = await runImport({ district: '03' });
    expect(report).to.include({ district: '3', votersImported: inDistrict, rowsFiltered: rollSize - inDistrict });
    expect(await store.count()).to.equal(inDistrict);
    for await (const batch of store.scanVoters()) {
      for (const voter of batch) expect(voter.district).to.equal('3');
    }
    expect((await store.meta())?.district).to.equal('3');
  });

  it('refuses a district the jurisdiction does not have, before touching Redis', async () => {
    let error: unknown;
    try {
      await runImport({ district: '7' });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(RollImportError);
    expect((error as RollImportError).code).to.equal('bad-options');
    expect((error as RollImportError).message).to.match(/VOTING_DISTRICT "7".*1, 2, 3, 4/);
    expect(await redis.dbsize()).to.equal(0);
  });
});
