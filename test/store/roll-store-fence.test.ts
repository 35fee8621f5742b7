// Fenced roll writes on a real redis-server: a store fenced by an import lock token writes while the
// lock holds that token, and once the lock passed to another importer every kind of generation write
// (begin, batch, meta, finish, delete, leftover cleanup) is refused inside its script and changes nothing.
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { encodeVoterRecord, RollFenceError, RollStore, type EncodedVoterRow } from '../../src/store/roll-store.js';
import { startTestRollStore, type TestRedis } from '../support/redis.js';
import { thrown } from '../support/thrown.js';

function row(id: string): EncodedVoterRow {
  return { id, phone: '5155550100', record: encodeVoterRecord({ id, name: { first: 'ann', middle: '', last: 'fence', suffix: '' },
    city: 'ames', county: 'story', phone: '5155550100', houseNumber: '1', street: 'main st', zip: '50010', district: '4', precinct: 'a' }) };
}

const meta = (generation: number): Parameters<RollStore['writeMeta']>[0] => ({ generation, voters: 1, rowsRead: 1,
  badRows: 0, warnings: 0, source: 'a.zip', sha256: 'cd'.repeat(32), importedAt: '2026-12-01T00:00:00.000Z', district: '' });

describe('store/roll-store: writes fenced by the import lock token', () => {
  let testRedis: TestRedis;
  let redis: Redis;
  let store: RollStore;

  before(async () => {
    ({ testRedis, redis, store } = await startTestRollStore());
  });
  after(async () => {
    await testRedis.stop();
  });

  it('writes while the lock holds the token, and refuses every write once another importer holds it', async () => {
    expect(await store.acquireImportLock('token-a', 60_000)).to.equal(true);
    const a = store.fencedBy('token-a');
    const generation = await a.beginGeneration();
    await a.writeVoterBatch(generation, [row('1')]);
    await a.writeMeta(meta(generation));
    expect(await store.count(generation)).to.equal(1);

    // A's lock lapses (here: released for it) and B takes the lock: A is now a stale importer.
    await store.releaseImportLock('token-a');
    expect(await store.acquireImportLock('token-b', 60_000)).to.equal(true);
    const before = await redis.dump(store.keysOfGeneration(generation)[0] ?? '');
    const nextBefore = await redis.get('{ia}:roll:next');
    const refusals = [
      await thrown(() => a.beginGeneration()),
      await thrown(() => a.writeVoterBatch(generation, [row('2')])),
      await thrown(() => a.writeMeta({ ...meta(generation), voters: 99 })),
      await thrown(() => a.finishBuilding(generation)),
      await thrown(() => a.deleteGeneration(generation)),
      await thrown(() => a.removeLeftoverGenerations()),
    ];
    for (const refusal of refusals) {
      expect(refusal).to.be.instanceOf(RollFenceError);
      expect((refusal as Error).message).to.match(/\{ia\}:roll:lock no longer holds token token-a/);
    }
    expect(await redis.get('{ia}:roll:next'), 'no generation number handed out').to.equal(nextBefore);
    expect(await redis.dump(store.keysOfGeneration(generation)[0] ?? ''), 'voters untouched').to.deep.equal(before);
    expect((await store.meta(generation))?.voters).to.equal(1);
    expect(await store.buildingGeneration()).to.equal(generation);
    expect(await store.generations()).to.include(generation);

    // B, holding the lock, cleans up A's unfinished generation.
    const b = store.fencedBy('token-b');
    expect(await b.removeLeftoverGenerations()).to.deep.equal([generation]);
    expect(await redis.exists(...store.keysOfGeneration(generation))).to.equal(0);
    await store.releaseImportLock('token-b');
  });

  it('leaves an unfenced store (tools, tests) writing without a lock', async () => {
    const generation = await store.beginGeneration();
    await store.writeVoterBatch(generation, [row('3')]);
    expect(await store.count(generation)).to.equal(1);
    expect(await store.deleteGeneration(generation)).to.equal(true);
  });
});
