// Money state in snapshots (SPEC §5): a store with rewards, mints, payments, a tentative wallet,
// a registered property with an escrowed bid and a finished demurrage run is exported, then
// imported into a fresh redis-server: balances, serials, properties and the supply are the same,
// and `ledger verify` passes on the replica. A snapshot at an earlier seq carries the balances of
// that seq (replayed from the journal) and leaves properties out.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createContext, type AppContext } from '../../src/app/context.js';
import { DemurrageService } from '../../src/app/demurrage-service.js';
import { PropertyService } from '../../src/app/property-service.js';
import { importRollFile } from '../../src/app/roll-import-service.js';
import { exportSnapshot, importSnapshot } from '../../src/app/snapshot-service.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/config/logger.js';
import { writeIowaZip, type HandVoter } from '../support/iowa-zip.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

const voters: HandVoter[] = [
  { id: '8001', first: 'sol', last: 'sovereign', city: 'ames', county: 'story', phone: '5155558001' },
  { id: '8002', first: 'pat', last: 'payer', city: 'ames', county: 'story', phone: '5155558002' },
  { id: '8003', first: 'olga', last: 'owner', city: 'adel', county: 'dallas', phone: '5155558003' },
  { id: '8004', first: 'bea', last: 'bidder', city: 'boone', county: 'boone', phone: '5155558004' },
];

describe('app/snapshot-service: money state in snapshots', function () {
  this.timeout(60_000);
  let origin: TestRedis;
  let dir: string;
  let context: AppContext;

  async function replicaOf(snapshot: string): Promise<{ replica: AppContext; close(): Promise<void> }> {
    const redis = await startTestRedis();
    const replica = await createContext(loadConfig({ REDIS_SOCKET: redis.server.socketPath, DATA_DIR: mkdtempSync(join(dir, 'replica-')) }),
      createLogger('silent'));
    await importSnapshot(replica, snapshot);
    return { replica, close: async () => { await replica.close(); await redis.stop(); } };
  }

  /** A balance moved back to zero keeps its field in Redis; the journal (and so the snapshot) has no such account. */
  function nonZero(balances: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(balances).filter(([, cents]) => cents !== '0'));
  }

  async function moneyState(store: AppContext): Promise<Record<string, unknown>> {
    const { redis } = store.connection;
    return {
      balances: nonZero(await redis.hgetall(store.ledger.balanceKey)),
      serials: await redis.hgetall(store.ledger.serialsKey),
      lastSerial: await redis.get(store.ledger.lastSerialKey),
      properties: await redis.hgetall(store.ledger.propertiesKey),
    };
  }

  before(async () => {
    origin = await startTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'dn-money-snapshot-'));
    const config = loadConfig({ REDIS_SOCKET: origin.server.socketPath, DATA_DIR: dir, SOVEREIGN_PHONES: '5155558001',
      NUMBER_OF_ACTIVATIONS_TO_REWARD: '10' });
    context = await createContext(config, createLogger('silent'));
    await writeIowaZip(join(dir, 'roll.zip'), voters);
    await importRollFile(context, join(dir, 'roll.zip'));
    const caller = async (id: string): Promise<Awaited<ReturnType<AppContext['callers']['byVoterId']>>> =>
      context.callers.byVoterId(id, 'cli');
    await context.democracy.delegate(await caller('8002'), '8003'); // serial 1: $9 reward
    await context.democracy.delegate(await caller('8004'), '8003'); // serial 2: $8 reward
    await context.money.mint(await caller('8001'), { to: { voter: '8004' }, amountCents: 50_000, idempotencyKey: 'snap-mint-1' });
    await context.money.pay(await caller('8002'), { to: { voter: '8003' }, amountCents: 275, idempotencyKey: 'snap-pay-01' });
    await context.money.pay(await caller('8004'), { to: { phone: '5155558999' }, amountCents: 150, idempotencyKey: 'snap-pay-02' });
    const properties = new PropertyService(context.ledger, context.committer, context.roll,
      { sovereignPhones: config.sovereignPhones, amountMaxCents: config.moneyAmountMaxCents });
    const registered = await properties.register(await caller('8003'), { kind: 'property', what: 'Barn on 5th St',
      declaredCents: 12_345, idempotencyKey: 'snap-prop-1' });
    await properties.bid(await caller('8004'), { property: registered.id, cents: 20_000, idempotencyKey: 'snap-bid-01' });
    await new DemurrageService(context.ledger, context.committer, { rateBasisPoints: 100, periodUnit: 'month' }).run('2026-11');
    expect((await context.ledger.verify()).ok).to.equal(true);
  });

  after(async () => {
    await context.close();
    await origin.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a snapshot at the head reproduces balances, serials, properties and a verify-clean ledger', async () => {
    const snapshot = join(dir, 'head.jsonl.gz');
    await exportSnapshot(context, snapshot, null);
    const text = gunzipSync(readFileSync(snapshot)).toString();
    // Public state only: the payee phone outside the roll appears nowhere, not even masked.
    expect(text).not.to.match(/5155558999/);
    const { replica, close } = await replicaOf(snapshot);
    try {
      const expected = await moneyState(context);
      expect(await moneyState(replica)).to.deep.equal(expected);
      expect(Object.keys(expected.properties as object)).to.have.length(1);
      const verification = await replica.ledger.verify();
      expect(verification.problems).to.deep.equal([]);
      expect(verification.serialProblems).to.deep.equal([]);
      expect(verification.ok).to.equal(true);
      expect(verification.supplyCents).to.equal((await context.ledger.verify()).supplyCents);
      expect(verification.participants).to.equal(2);
      // The replica keeps working: a payment from an imported balance verifies too.
      const pat = await replica.callers.byVoterId('8002', 'cli');
      await replica.money.pay(pat, { to: { voter: '8003' }, amountCents: 100, idempotencyKey: 'replica-pay-1' });
      expect((await replica.ledger.verify()).ok).to.equal(true);
    } finally {
      await close();
    }
  });

  it('a snapshot at an earlier seq carries that seq\'s balances and no properties', async () => {
    const seq = await context.auditLog.sealAll();
    const balancesThen = nonZero(await context.connection.redis.hgetall(context.ledger.balanceKey));
    await context.money.pay(await context.callers.byVoterId('8004', 'cli'),
      { to: { voter: '8002' }, amountCents: 1_000, idempotencyKey: 'snap-pay-after' });
    await context.auditLog.sealAll();
    const snapshot = join(dir, 'earlier.jsonl.gz');
    await exportSnapshot(context, snapshot, seq);
    const { replica, close } = await replicaOf(snapshot);
    try {
      expect(nonZero(await replica.connection.redis.hgetall(replica.ledger.balanceKey))).to.deep.equal(balancesThen);
      expect(await replica.connection.redis.hlen(replica.ledger.propertiesKey)).to.equal(0);
      expect((await replica.ledger.verify()).ok).to.equal(true);
    } finally {
      await close();
    }
  });
});
