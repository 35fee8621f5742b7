import { expect } from 'chai';
import type { Redis } from 'ioredis';
import type { RegisteredVoter } from '../../src/core/voter.js';
import { jurisdictionKeys } from '../../src/store/keys.js';
import { decodeVoterRecord, encodeVoterRecord, RollStore, type EncodedVoterRow } from '../../src/store/roll-store.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

function voter(id: string, overrides: Partial<RegisteredVoter> = {}): RegisteredVoter {
  return {
    id, name: { first: 'mary', middle: 'ann', last: "o'brien-smith", suffix: 'jr' }, city: 'west des moines',
    county: 'polk', phone: '5155550100', houseNumber: '12 1/2', street: 'n main st', zip: '50265', district: '3',
    precinct: 'wdm 04', ...overrides,
  };
}

function row(v: RegisteredVoter): EncodedVoterRow {
  return { id: v.id, record: encodeVoterRecord(v), phone: v.phone ?? '' };
}

describe('store/roll-store', () => {
  describe('record encoding', () => {
    it('round-trips every field, a missing phone and non-ASCII names', () => {
      const samples = [voter('1'), voter('2', { phone: null, name: { first: 'josé', middle: '', last: 'núñez', suffix: '' } })];
      for (const sample of samples) {
        expect(decodeVoterRecord(sample.id, encodeVoterRecord(sample))).to.deep.equal(sample);
      }
    });

    it('rejects corrupt records and fields holding the separator', () => {
      expect(() => decodeVoterRecord('1', 'garbage')).to.throw(/corrupt roll record/);
      expect(() => decodeVoterRecord('1', encodeVoterRecord(voter('1')).replace(/^1/, '9'))).to.throw(/version 9/);
      expect(() => encodeVoterRecord(voter('1', { city: 'a\x1fb' }))).to.throw(/separator/);
    });
  });

  describe('with Redis', () => {
    let testRedis: TestRedis;
    let redis: Redis;
    let store: RollStore;
    const keys = jurisdictionKeys('ia');

    before(async () => {
      testRedis = await startTestRedis();
      redis = testRedis.client();
    });
    after(async () => testRedis.stop());
    beforeEach(async () => {
      await redis.flushall();
      store = new RollStore(redis, keys);
    });

    it('is empty before the first import', async () => {
      expect(await store.currentGeneration()).to.equal(null);
      expect(await store.getVoter('1')).to.equal(null);
      expect(await store.getVoters(['1', '2'])).to.deep.equal([null, null]);
      expect(await store.votersByPhone('5155550100')).to.deep.equal([]);
      expect([...await store.phonesOnRoll(['5155550100'])]).to.deep.equal([]);
      expect(await store.count()).to.equal(0);
      expect(await store.meta()).to.equal(null);
      const batches = [];
      for await (const batch of store.scanVoters()) batches.push(batch);
      expect(batches).to.deep.equal([]);
    });

    it('writes a generation under its own keys and activates it', async () => {
      const generation = await store.beginGeneration();
      expect(await store.buildingGeneration()).to.equal(generation);
      expect(await store.generations()).to.deep.equal([generation]);
      const duplicates = await store.writeVoterBatch(generation, [
        row(voter('10')), row(voter('11', { name: { first: 'john', middle: '', last: "o'brien-smith", suffix: '' } })),
        row(voter('12', { phone: null })), row(voter('10', { city: 'ames' })),
      ]);
      expect(duplicates).to.deep.equal([3]);
      expect(await store.currentGeneration()).to.equal(null);
      expect(await store.count(generation)).to.equal(3);
      await store.activateSimple(generation);
      expect(await store.currentGeneration()).to.equal(generation);
      expect(await store.buildingGeneration()).to.equal(null);
      expect((await store.getVoter('10'))?.city).to.equal('west des moines');
      const household = await store.votersByPhone('5155550100');
      expect(household.map((member) => `${member.id} ${member.name.first}`)).to.deep.equal(['10 mary', '11 john']);
      expect((await store.getVoters(['12', '99', '11'])).map((found) => found?.id ?? null)).to.deep.equal(['12', null, '11']);
      // A household's phone once, a phone nobody has not, an empty question nothing.
      expect([...await store.phonesOnRoll(['3195550199', '5155550100', '5155550100'])]).to.deep.equal(['5155550100']);
      expect([...await store.phonesOnRoll([])]).to.deep.equal([]);
      const keyNames = (await redis.keys('*')).sort();
      expect(keyNames).to.include.members(store.keysOfGeneration(generation).slice(0, 2));
      expect(keyNames.every((name) => name.startsWith('{ia}:roll:'))).to.equal(true);
    });

    it('batches HMGET for long id lists and scans every voter exactly once', async () => {
      const generation = await store.beginGeneration();
      const voters = Array.from({ length: 2_500 }, (_, index) => voter(String(index + 1), { phone: null }));
      await store.writeVoterBatch(generation, voters.map(row));
      await store.activateSimple(generation);
      const found = await store.getVoters(voters.map((v) => v.id));
      expect(found.map((v) => v?.id)).to.deep.equal(voters.map((v) => v.id));
      const seen: string[] = [];
      for await (const batch of store.scanVoters({ batchSize: 300 })) {
        expect(batch.length).to.be.at.most(1_000);
        seen.push(...batch.map((v) => v.id));
      }
      expect(seen).to.have.length(2_500);
      expect(new Set(seen).size).to.equal(2_500);
    });

    it('keeps meta per generation', async () => {
      const generation = await store.beginGeneration();
      await store.writeMeta({ generation, voters: 3, rowsRead: 5, badRows: 1, warnings: 2, source: 'roll.zip',
        sha256: 'ab'.repeat(32), importedAt: '2024-01-01T00:00:00.000Z', district: '3' });
      await store.activateSimple(generation);
      expect(await store.meta()).to.deep.equal({ generation, voters: 3, rowsRead: 5, badRows: 1, warnings: 2,
        source: 'roll.zip', sha256: 'ab'.repeat(32), importedAt: '2024-01-01T00:00:00.000Z', district: '3' });
    });

    it('never deletes the current generation and removes leftovers of others', async () => {
      const first = await store.beginGeneration();
      await store.writeVoterBatch(first, [row(voter('1'))]);
      await store.activateSimple(first);
      const crashed = await store.beginGeneration();
      await store.writeVoterBatch(crashed, [row(voter('2'))]);
      expect(await store.deleteGeneration(first)).to.equal(false);
      expect(await store.count()).to.equal(1);
      expect(await store.removeLeftoverGenerations()).to.deep.equal([crashed]);
      expect(await store.generations()).to.deep.equal([first]);
      expect(await store.buildingGeneration()).to.equal(null);
      expect(await redis.exists(...store.keysOfGeneration(crashed))).to.equal(0);
      expect(await store.getVoter('1')).to.not.equal(null);
    });

    it('grants the import lock to one holder at a time', async () => {
      expect(await store.acquireImportLock('a', 5_000)).to.equal(true);
      expect(await store.acquireImportLock('b', 5_000)).to.equal(false);
      expect(await store.refreshImportLock('b', 5_000)).to.equal(false);
      expect(await store.refreshImportLock('a', 5_000)).to.equal(true);
      await store.releaseImportLock('b');
      expect(await store.acquireImportLock('b', 5_000)).to.equal(false);
      await store.releaseImportLock('a');
      expect(await store.acquireImportLock('b', 5_000)).to.equal(true);
    });
  });
});
