// Claims in time-bucketed hashes (claim-buckets.ts, commit-script.ts): a claim id is taken once
// whether the second try comes in the same script call, a later call, the next bucket or after a
// kill -9; a refused request leaves no claim; buckets of a narrow width show the boundary and the
// expiry in seconds; an app process whose clock is off still reads and writes the script's buckets.
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import type { AuditDraft } from '../../src/core/audit-entry.js';
import { ClaimBuckets } from '../../src/store/claim-buckets.js';
import { CommitScriptError } from '../../src/store/commit-batcher.js';
import { commitScript } from '../../src/store/commit-script.js';
import { Committer, type CommitRequest, type CommitResult } from '../../src/store/commit.js';
import { noDurability } from '../../src/store/durability.js';
import { jurisdictionKeys } from '../../src/store/keys.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { thrown } from '../support/thrown.js';

const keys = jurisdictionKeys('ia');
const balances = keys.key('balance');
const draft: AuditDraft = { actor: 'Voter of Ames', actorId: '1', channel: 'cli', text: 'pays', event: { type: 'test' } };
/** Narrow buckets: a boundary every 1.5 s. */
const narrowWidthMs = 1_500;

/** A payment as money-service builds it: the claim first, then the payer's balance guard and the move. */
function payment(id: string, from: string, to: string, cents: number, value = `fingerprint ${id}`): CommitRequest {
  return {
    guards: [{ kind: 'claim', id, value }, { kind: 'hash-min', key: balances, field: from, min: cents }],
    writes: [{ op: 'hincrbymany', key: balances, deltas: [[from, -cents], [to, cents]] }],
    entries: [draft],
  };
}

async function scriptCalls(client: Redis): Promise<number> {
  let calls = 0;
  for (const match of (await client.info('commandstats')).matchAll(/cmdstat_(?:evalsha|eval):calls=(\d+)/g)) {
    calls += Number(match[1]);
  }
  return calls;
}

async function serverMs(client: Redis): Promise<number> {
  const [seconds, micros] = await client.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the server's clock is in a bucket of `widthMs` after `after`, `atLeastMs` into it and
 * at most 300 ms further; that bucket.
 */
async function waitIntoBucket(client: Redis, widthMs: number, atLeastMs: number, after = -1): Promise<number> {
  for (;;) {
    const now = await serverMs(client);
    const into = now % widthMs;
    const bucket = Math.floor(now / widthMs);
    if (bucket > after && into >= atLeastMs && into < atLeastMs + 300) return bucket;
    if (bucket <= after) {
      await sleep(widthMs - into);
      continue;
    }
    await sleep(into < atLeastMs ? atLeastMs - into : widthMs - into + atLeastMs);
  }
}

describe('store/claim-buckets: idempotency claims as fields of time-bucketed hashes', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let client: Redis;
  let committer: Committer;
  let claims: ClaimBuckets;

  beforeEach(async () => {
    redis = await startTestRedis();
    client = redis.client();
    committer = new Committer(client, keys);
    claims = committer.claims;
    await client.hset(balances, 'a', '1000', 'b', '1000');
  });
  afterEach(async () => {
    await redis.stop();
  });

  it('two requests of one script call claiming one id: the first pays, the second is refused', async () => {
    await committer.commit(payment('warm', 'a', 'b', 1));
    const callsBefore = await scriptCalls(client);
    // Two fillers take both call slots; the two claims of 'same' wait and go together in the third call.
    const results = await Promise.all([payment('filler-1', 'a', 'b', 1), payment('filler-2', 'b', 'a', 1),
      payment('same', 'a', 'b', 100, 'first'), payment('same', 'a', 'b', 100, 'second')].map((request) => committer.commit(request)));
    expect(await scriptCalls(client) - callsBefore).to.equal(3);
    expect(results.map((result) => result.ok)).to.deep.equal([true, true, true, false]);
    expect((results[3] as CommitResult & { ok: false }).conflict).to.deep.equal({ key: claims.conflictKey, field: 'same' });
    expect(await committer.claimOf('same')).to.equal('first');
    expect(await client.hgetall(balances)).to.deep.equal({ a: '899', b: '1101' });
  });

  it('a claim taken by an earlier call refuses a later one, and its value stays the first', async () => {
    expect((await committer.commit(payment('once', 'a', 'b', 100, 'first'))).ok).to.equal(true);
    const again = await committer.commit(payment('once', 'a', 'b', 100, 'second'));
    expect(again).to.deep.equal({ ok: false, conflict: { key: claims.conflictKey, field: 'once' } });
    expect(await committer.claimOf('once')).to.equal('first');
    expect(await client.hgetall(balances)).to.deep.equal({ a: '900', b: '1100' });
    // One hash holds the claims, with an expiry: no key per claim.
    const bucketKeys = await client.keys(`${keys.key('money', 'claim')}:*`);
    expect(bucketKeys).to.have.length(1);
    expect(await client.hgetall(bucketKeys[0] as string)).to.deep.equal({ once: 'first' });
    const bucket = claims.bucketAt(await serverMs(client));
    expect(bucketKeys[0]).to.equal(claims.key(bucket));
    expect(Number(await client.call('PEXPIRETIME', claims.key(bucket)))).to.equal((bucket + 2) * claims.widthMs);
  });

  it('a request refused by a later guard, or failing, leaves no claim: the id can still be taken', async () => {
    const refused = await committer.commit(payment('poor', 'a', 'b', 5_000));
    expect(refused).to.deep.equal({ ok: false, conflict: { key: balances, field: 'a' } });
    expect(await committer.claimOf('poor')).to.equal(null);
    expect(await client.keys(`${keys.key('money', 'claim')}:*`)).to.deep.equal([]);
    // A command failing inside Redis (WRONGTYPE on the payer's guard) undoes the claim as well.
    await client.set(keys.key('not-a-hash'), 'x');
    const failing: CommitRequest = { guards: [{ kind: 'claim', id: 'fails', value: 'v' },
      { kind: 'hash', key: keys.key('not-a-hash'), field: 'f', expected: null }], writes: [], entries: [draft] };
    expect(await thrown(() => committer.commit(failing))).to.be.instanceOf(CommitScriptError);
    expect(await committer.claimOf('fails')).to.equal(null);
    // In one call: the refused request's claim leaves the call's table, so the next request takes it.
    await committer.commit(payment('warm', 'a', 'b', 1));
    const results = await Promise.all([payment('filler-1', 'a', 'b', 1), payment('filler-2', 'b', 'a', 1),
      payment('poor', 'a', 'b', 5_000, 'too much'), payment('poor', 'a', 'b', 50, 'affordable')]
      .map((request) => committer.commit(request)));
    expect(results.map((result) => result.ok)).to.deep.equal([true, true, false, true]);
    expect(await committer.claimOf('poor')).to.equal('affordable');
    expect(await client.hget(balances, 'a')).to.equal(String(1000 - 1 - 1 + 1 - 50));
  });

  it('the script refuses a claim its batch did not list (never read from the buckets), writing nothing of it', async () => {
    const log = keys.key('log');
    const bucket = claims.bucketAt(await serverMs(client));
    const body = JSON.stringify({ actor: 'operator', text: 'unlisted' }).slice(1);
    const reply = await client.eval(commitScript, 3, log, claims.key(bucket), claims.key(bucket - 1),
      '1', `1 ${bucket} ${claims.widthMs}`, 'listed', '1 0 1 3', 'C', 'ghost', 'value', body);
    expect((reply as unknown[]).slice(1)).to.deep.equal(['error', 'claim not listed in the batch']);
    expect(await client.exists(claims.key(bucket), log)).to.equal(0);
  });

  it('a claim is refused in its bucket and the next, and gone two buckets on (narrow buckets)', async () => {
    const narrowClient = redis.client();
    const narrow = new Committer(narrowClient, keys, noDurability, null, new ClaimBuckets(keys, narrowWidthMs));
    const bucket = await waitIntoBucket(client, narrowWidthMs, 100);
    expect((await narrow.commit(payment('edge', 'a', 'b', 10))).ok).to.equal(true);
    expect(await client.hget(narrow.claims.key(bucket), 'edge')).to.not.equal(null);
    // The next bucket: still refused (read from the previous bucket); a new claim goes to the new bucket.
    expect(await waitIntoBucket(client, narrowWidthMs, 100, bucket)).to.equal(bucket + 1);
    expect(await narrow.commit(payment('edge', 'a', 'b', 10))).to.deep.equal(
      { ok: false, conflict: { key: narrow.claims.conflictKey, field: 'edge' } });
    expect(await narrow.claimOf('edge')).to.equal('fingerprint edge');
    expect((await narrow.commit(payment('later', 'a', 'b', 10))).ok).to.equal(true);
    expect(await client.hget(narrow.claims.key(bucket + 1), 'later')).to.equal('fingerprint later');
    // Two buckets on, at least one width after it was taken: the first claim's bucket has expired.
    expect(await waitIntoBucket(client, narrowWidthMs, 100, bucket + 1)).to.equal(bucket + 2);
    expect(await client.exists(narrow.claims.key(bucket))).to.equal(0);
    expect(await narrow.claimOf('edge')).to.equal(null);
    expect((await narrow.commit(payment('later', 'a', 'b', 10))).ok).to.equal(false);
    expect((await narrow.commit(payment('edge', 'a', 'b', 10))).ok).to.equal(true);
    // Buckets of another width are other keys: the default committer never sees these.
    expect(await committer.claimOf('later')).to.equal(null);
    expect(await client.hgetall(balances)).to.deep.equal({ a: '970', b: '1030' });
  });

  it('an app process whose clock is a few buckets off still claims in the script\'s bucket (one call sent again)', async () => {
    const skewedClient = redis.client();
    const skewed = new Committer(skewedClient, keys, noDurability, null, new ClaimBuckets(keys, narrowWidthMs));
    const narrow = new Committer(redis.client(), keys, noDurability, null, new ClaimBuckets(keys, narrowWidthMs));
    // The script is in Redis's cache before counting: the skewed client's EVALSHA finds it.
    expect((await narrow.commit(payment('warm', 'a', 'b', 1))).ok).to.equal(true);
    await waitIntoBucket(client, narrowWidthMs, 100);
    const callsBefore = await scriptCalls(client);
    const realNow = Date.now;
    Date.now = (): number => realNow() + 5 * narrowWidthMs;
    let result: CommitResult;
    try {
      result = await skewed.commit(payment('skewed', 'a', 'b', 10));
    } finally {
      Date.now = realNow;
    }
    expect(result.ok).to.equal(true);
    // Refused for naming buckets five ahead, then sent with the script's.
    expect(await scriptCalls(client) - callsBefore).to.equal(2);
    expect(await narrow.commit(payment('skewed', 'a', 'b', 10))).to.deep.equal(
      { ok: false, conflict: { key: narrow.claims.conflictKey, field: 'skewed' } });
    expect(await client.hgetall(balances)).to.deep.equal({ a: '989', b: '1011' });
  });

  it('claims acknowledged just before a kill -9 are still there after the restart: retries pay nothing', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `crash-${i}`);
    const first = await Promise.all(ids.map((id, i) => committer.commit(payment(id, i % 2 === 0 ? 'a' : 'b', i % 2 === 0 ? 'b' : 'a', 1 + i))));
    expect(first.every((result) => result.ok)).to.equal(true);
    const balancesBefore = await client.hgetall(balances);
    client.on('error', () => undefined);
    await redis.server.kill9();
    await redis.server.start();
    const after = redis.client();
    const restarted = new Committer(after, keys);
    const retried = await Promise.all(ids.map((id, i) => restarted.commit(payment(id, i % 2 === 0 ? 'a' : 'b', i % 2 === 0 ? 'b' : 'a', 1 + i))));
    expect(retried.map((result) => result.ok ? 'paid' : result.conflict.field)).to.deep.equal(ids);
    expect(await after.hgetall(balances)).to.deep.equal(balancesBefore);
    expect(await restarted.claimOf('crash-7')).to.equal('fingerprint crash-7');
  });
});
