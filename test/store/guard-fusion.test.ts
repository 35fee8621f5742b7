// Claims and debits (guard-fusion.ts, commit-script.ts): a guard fused with its one write does check
// and write in one Redis command, and a request refused or failed after it leaves every key exactly as
// it was. The unfused path (an HGET or EXISTS first) must give the same outcomes.
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import type { AuditDraft } from '../../src/core/audit-entry.js';
import { CommitScriptError } from '../../src/store/commit-batcher.js';
import { commitScript } from '../../src/store/commit-script.js';
import { Committer, type CommitRequest } from '../../src/store/commit.js';
import { encodeCommitRequest } from '../../src/store/commit-encoding.js';
import { guardFusions } from '../../src/store/guard-fusion.js';
import { jurisdictionKeys } from '../../src/store/keys.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { thrown } from '../support/thrown.js';

const keys = jurisdictionKeys('ia');
const balances = keys.key('balance');
const claimKey = keys.key('idem', 'one');
const draft: AuditDraft = { actor: 'Voter of Ames', actorId: '1', channel: 'cli', text: 'pays', event: { type: 'test' } };

/** A payment as money-service builds it: claim the idempotency key, debit the payer, credit the payee. */
function payment(from: string, to: string, cents: number, claim = claimKey): CommitRequest {
  return {
    guards: [{ kind: 'string', key: claim, expected: null }, { kind: 'hash-min', key: balances, field: from, min: cents }],
    writes: [{ op: 'hincrbymany', key: balances, deltas: [[from, -cents], [to, cents]] },
      { op: 'setpx', key: claim, value: 'fingerprint', ttlMs: 60_000 }],
    entries: [draft],
  };
}

/** Redis commands of each name run so far (from INFO commandstats), e.g. { hget: 3 }. */
async function commandCounts(client: Redis): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const match of (await client.info('commandstats')).matchAll(/cmdstat_([a-z|]+):calls=(\d+)/g)) {
    counts[match[1] as string] = Number(match[2]);
  }
  return counts;
}

describe('store/commit: claims and debits take what they check, and are undone on refusal', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let client: Redis;
  let committer: Committer;

  beforeEach(async () => {
    redis = await startTestRedis();
    client = redis.client();
    committer = new Committer(client, keys);
  });
  afterEach(async () => {
    await redis.stop();
  });

  it('a payment commits with SET NX and HINCRBY only: no EXISTS, no HGET', async () => {
    await client.hset(balances, 'a', '500');
    await client.config('RESETSTAT');
    const result = await committer.commit(payment('a', 'b', 200));
    expect(result.ok).to.equal(true);
    expect(await client.hgetall(balances)).to.deep.equal({ a: '300', b: '200' });
    expect(await client.get(claimKey)).to.equal('fingerprint');
    const ttl = await client.pttl(claimKey);
    expect(ttl).to.be.above(50_000).and.at.most(60_000);
    const counts = await commandCounts(client);
    expect(counts.exists ?? 0, 'EXISTS calls').to.equal(0);
    expect(counts.hget ?? 0, 'HGET calls').to.equal(0);
    expect(counts.set, 'SET calls').to.equal(1);
    expect(counts.hincrby, 'HINCRBY calls').to.equal(2);
  });

  it('refused for funds: the claim is undone and the balance is exactly as before (held, negative, 0, absent)', async () => {
    await client.hset(balances, 'held', '100', 'negative', '-40', 'zero', '0');
    for (const [payer, cents] of [['held', 101], ['negative', 1], ['zero', 1], ['absent', 1]] as const) {
      const before = await client.hgetall(balances);
      const result = await committer.commit(payment(payer, 'payee', cents));
      expect(result, payer).to.deep.equal({ ok: false, conflict: { key: balances, field: payer } });
      const after = await client.hgetall(balances);
      // A field that held 0 reads back absent (missing means 0); every other balance is untouched.
      if (payer === 'zero') expect(after).to.deep.equal({ held: '100', negative: '-40' });
      else expect(after, payer).to.deep.equal(before);
      expect(await client.exists(claimKey), `claim after ${payer}`).to.equal(0);
    }
    expect(await client.llen(keys.key('log'))).to.equal(0);
  });

  it('refused on the claim: nothing moves, and the conflict names the claimed key', async () => {
    await client.hset(balances, 'a', '500');
    await client.set(claimKey, 'earlier payment');
    const result = await committer.commit(payment('a', 'b', 200));
    expect(result).to.deep.equal({ ok: false, conflict: { key: claimKey, field: null } });
    expect(await client.hgetall(balances)).to.deep.equal({ a: '500' });
    expect(await client.get(claimKey)).to.equal('earlier payment');
  });

  it('a later guard that refuses undoes both the claim and the debit', async () => {
    await client.hset(balances, 'a', '500');
    const gate = keys.key('gate');
    const request = payment('a', 'b', 200);
    const result = await committer.commit({ ...request,
      guards: [...request.guards, { kind: 'string', key: gate, expected: 'open' }] });
    expect(result).to.deep.equal({ ok: false, conflict: { key: gate, field: null } });
    expect(await client.hgetall(balances)).to.deep.equal({ a: '500' });
    expect(await client.exists(claimKey)).to.equal(0);
  });

  it('a guard failing inside Redis after them (WRONGTYPE) undoes both; batched payments still land', async () => {
    await client.hset(balances, 'a', '500');
    const plain = keys.key('plain');
    await client.set(plain, 'a string, not a hash');
    const request = payment('a', 'b', 200);
    const failing = committer.commit({ ...request,
      guards: [...request.guards, { kind: 'hash', key: plain, field: 'f', expected: null }] });
    const others = [1, 2, 3].map((n) => committer.commit(payment('a', 'c', 10, keys.key('idem', `other-${n}`))));
    const error = await thrown(() => failing);
    expect(error).to.be.instanceOf(CommitScriptError);
    expect(String(error)).to.match(/WRONGTYPE/);
    for (const other of await Promise.all(others)) expect(other.ok).to.equal(true);
    expect(await client.hgetall(balances)).to.deep.equal({ a: '470', c: '30' });
    expect(await client.exists(claimKey)).to.equal(0);
  });

  it('a write failing after every guard held keeps them with the earlier writes, so money still balances', async () => {
    await client.hset(balances, 'a', '500');
    const plain = keys.key('plain');
    await client.set(plain, 'a string, not a hash');
    const request = payment('a', 'b', 200);
    const error = await thrown(() => committer.commit({ ...request,
      writes: [...request.writes, { op: 'hset', key: plain, field: 'f', value: 'v' }] }));
    expect(String(error)).to.match(/WRONGTYPE/);
    // As without fusion: the writes before the failing one stand (debit and credit together).
    expect(await client.hgetall(balances)).to.deep.equal({ a: '300', b: '200' });
    expect(await client.get(claimKey)).to.equal('fingerprint');
  });

  it('a miscounted request refused by the script after its claim leaves the claim undone', async () => {
    const target = keys.key('target');
    // 1 guard (claim), 1 write (hset: 4 tokens), 1 entry, but 7 tokens announced for the 8 sent.
    const reply = await client.eval(commitScript, 3, keys.key('log'), claimKey, target, '1', '', '1 1 1 7',
      'c', '2', 'v', '60000', 'hset', '3', 'f', 'v', '"actor":"operator"}');
    expect((reply as unknown[]).slice(1)).to.deep.equal(['error', 'malformed commit request']);
    expect(await client.exists(claimKey, target)).to.equal(0);
  });

  it('a miscounted request with no writes (a claim and a move) is refused too, its claim and debit undone', async () => {
    await client.hset(balances, 'a', '500');
    // 2 guards (claim: 4 tokens, move: 5), no writes, 1 entry, but 8 tokens announced for the 9 sent.
    const reply = await client.eval(commitScript, 3, keys.key('log'), claimKey, balances, '1', '', '2 0 1 8',
      'c', '2', 'v', '60000', 'v', '3', 'a', '-200', 'b', '"actor":"operator"}');
    expect((reply as unknown[]).slice(1)).to.deep.equal(['error', 'malformed commit request']);
    expect(await client.exists(claimKey)).to.equal(0);
    expect(await client.hgetall(balances)).to.deep.equal({ a: '500' });
    expect(await client.llen(keys.key('log'))).to.equal(0);
  });

  it('two payers in one transfer are both debited, and one short payer refuses both', async () => {
    await client.hset(balances, 'a', '50', 'b', '50');
    const transfer = (cents: number, claim: string): CommitRequest => ({
      guards: [{ kind: 'string', key: claim, expected: null }, { kind: 'hash-min', key: balances, field: 'a', min: cents },
        { kind: 'hash-min', key: balances, field: 'b', min: cents }],
      writes: [{ op: 'hincrbymany', key: balances, deltas: [['a', -cents], ['b', -cents], ['c', 2 * cents]] },
        { op: 'setpx', key: claim, value: 'x', ttlMs: 60_000 }],
      entries: [draft] });
    expect(guardFusions(transfer(30, claimKey))?.guards.size).to.equal(3);
    expect((await committer.commit(transfer(30, claimKey))).ok).to.equal(true);
    expect(await client.hgetall(balances)).to.deep.equal({ a: '20', b: '20', c: '60' });
    await client.hset(balances, 'b', '5');
    const refused = await committer.commit(transfer(10, keys.key('idem', 'two')));
    expect(refused).to.deep.equal({ ok: false, conflict: { key: balances, field: 'b' } });
    expect(await client.hgetall(balances)).to.deep.equal({ a: '20', b: '5', c: '60' });
    expect(await client.exists(keys.key('idem', 'two'))).to.equal(0);
  });

  it('a move refused for funds, or by a later guard, leaves payer, payee (absent stays absent) and claim as they were',
    async () => {
      await client.hset(balances, 'a', '150');
      expect(await committer.commit(payment('a', 'b', 200))).to.deep.equal({ ok: false, conflict: { key: balances, field: 'a' } });
      expect(await client.hgetall(balances)).to.deep.equal({ a: '150' });
      const gate = keys.key('gate');
      const request = payment('a', 'b', 100);
      const result = await committer.commit({ ...request, guards: [...request.guards, { kind: 'string', key: gate, expected: 'open' }] });
      expect(result).to.deep.equal({ ok: false, conflict: { key: gate, field: null } });
      expect(await client.hgetall(balances)).to.deep.equal({ a: '150' });
      expect(await client.exists(claimKey)).to.equal(0);
      expect(await client.llen(keys.key('log'))).to.equal(0);
    });

  it('moves from one account twice in one call: the second sees the first\'s debit and is refused alone', async () => {
    await client.hset(balances, 'a', '300');
    const [first, second, third] = await Promise.all([
      committer.commit(payment('a', 'b', 200, keys.key('idem', 'first'))),
      committer.commit(payment('a', 'c', 200, keys.key('idem', 'second'))),
      committer.commit(payment('a', 'c', 100, keys.key('idem', 'third')))]);
    expect(first?.ok).to.equal(true);
    expect(second).to.deep.equal({ ok: false, conflict: { key: balances, field: 'a' } });
    expect(third?.ok).to.equal(true);
    expect(await client.hgetall(balances)).to.deep.equal({ a: '0', b: '200', c: '100' });
    expect(await client.exists(keys.key('idem', 'first'), keys.key('idem', 'second'), keys.key('idem', 'third'))).to.equal(2);
    expect(await client.llen(keys.key('log'))).to.equal(2);
  });

  it('no move where the credit is touched elsewhere, differs from the debit, or has company; each commits the same',
    async () => {
      const base = payment('a', 'b', 50);
      const touched: CommitRequest = { ...base, writes: [...base.writes, { op: 'hset', key: balances, field: 'b', value: '7' }] };
      const guarded: CommitRequest = { ...base, guards: [...base.guards, { kind: 'hash', key: balances, field: 'b', expected: null }] };
      const uneven: CommitRequest = { ...base, writes: [
        { op: 'hincrbymany', key: balances, deltas: [['a', -50], ['b', 40], ['pool:x', 10]] },
        base.writes[1] as CommitRequest['writes'][number]] };
      for (const request of [touched, guarded, uneven]) {
        expect([...(guardFusions(request)?.guards.values() ?? [])].map((guard) => guard.kind)).to.not.include('move');
      }
      await client.hset(balances, 'a', '500');
      const outcomes = [];
      for (const [n, request] of [touched, guarded, uneven].entries()) {
        const claim = keys.key('idem', `other-${n}`);
        const claimed = { ...request,
          guards: request.guards.map((guard) => guard.kind !== 'claim' && guard.key === claimKey ? { ...guard, key: claim } : guard),
          writes: request.writes.map((write) => write.key === claimKey ? { ...write, key: claim } : write) };
        outcomes.push((await committer.commit(claimed)).ok);
      }
      // touched: b set to 7 after the credit; guarded: b now exists, refused; uneven: 40 to b, 10 to the pool.
      expect(outcomes).to.deep.equal([true, false, true]);
      expect(await client.hgetall(balances)).to.deep.equal({ a: '400', b: '47', 'pool:x': '10' });
    });

  it('fuses nothing where another guard or write touches the same key or field, and commits the same', async () => {
    const crowded: CommitRequest = {
      guards: [{ kind: 'string', key: claimKey, expected: null }, { kind: 'hash-min', key: balances, field: 'a', min: 5 },
        { kind: 'hash', key: balances, field: 'a', expected: '9' }],
      writes: [{ op: 'hincrby', key: balances, field: 'a', by: -5 }, { op: 'setpx', key: claimKey, value: 'x', ttlMs: 1000 },
        { op: 'set', key: claimKey, value: 'y' }],
      entries: [draft] };
    expect(guardFusions(crowded)).to.equal(null);
    // A debit by other than the guarded amount, or a claim whose write is not setpx: not fused either.
    expect(guardFusions({ guards: [{ kind: 'hash-min', key: balances, field: 'a', min: 5 }],
      writes: [{ op: 'hincrby', key: balances, field: 'a', by: -4 }], entries: [] })).to.equal(null);
    expect(guardFusions({ guards: [{ kind: 'string', key: claimKey, expected: null }],
      writes: [{ op: 'set', key: claimKey, value: 'x' }], entries: [] })).to.equal(null);
    await client.hset(balances, 'a', '9');
    await client.config('RESETSTAT');
    expect((await committer.commit(crowded)).ok).to.equal(true);
    expect(await client.hget(balances, 'a')).to.equal('4');
    expect(await client.get(claimKey)).to.equal('y');
    expect((await commandCounts(client)).exists, 'the unfused claim guard ran EXISTS').to.equal(1);
  });
});

describe('store/guard-fusion: what a payment is fused into (no Redis)', () => {
  it('a payment is a claim and a move: its transfer travels as one op, the hincrbymany taken whole', () => {
    const fusions = guardFusions(payment('a', 'b', 200));
    expect([...(fusions?.guards.values() ?? [])].map((guard) => guard.kind)).to.deep.equal(['claim', 'move']);
    expect([...(fusions?.takenWrites ?? [])].sort()).to.deep.equal([0, 1]);
    const encoded = encodeCommitRequest(payment('a', 'b', 200), keys.tag);
    expect(encoded.header).to.equal('2 0 1 9');
    expect(encoded.tokens).to.deep.equal(['c', 1, 'fingerprint', '60000', 'v', 2, 'a', '-200', 'b']);
  });
});
