// Group commit (commit-batcher.ts): commits made at the same moment on one connection share script
// calls, yet each one is judged alone, in call order, exactly as if it had been sent by itself.
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import type { AuditDraft } from '../../src/core/audit-entry.js';
import { CommitScriptError } from '../../src/store/commit-batcher.js';
import { commitScript } from '../../src/store/commit-script.js';
import { Committer } from '../../src/store/commit.js';
import { jurisdictionKeys } from '../../src/store/keys.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { thrown } from '../support/thrown.js';

const keys = jurisdictionKeys('ia');

function draft(n: number): AuditDraft {
  return { actor: `Voter ${n} of Ames`, actorId: String(n), channel: 'cli', text: `takes seat ${n}`,
    event: { type: 'test', n } };
}

/** Script calls Redis has run so far (EVALSHA, and EVAL when the script was not cached yet). */
async function scriptCalls(client: Redis): Promise<number> {
  const stats = await client.info('commandstats');
  let calls = 0;
  for (const match of stats.matchAll(/cmdstat_(?:evalsha|eval):calls=(\d+)/g)) calls += Number(match[1]);
  return calls;
}

describe('store/commit: commits made together share script calls, each judged alone', function () {
  this.timeout(20_000);
  let redis: TestRedis;

  beforeEach(async () => {
    redis = await startTestRedis();
  });
  afterEach(async () => {
    await redis.stop();
  });

  it('200 concurrent commits: fewer script calls than commits, call order kept, guards see earlier writes', async () => {
    const client = redis.client();
    const committer = new Committer(client, keys);
    const seats = keys.key('seats');
    const before = await scriptCalls(client);
    // Ten seats, twenty claimants each: only the first claim of each seat may win.
    const results = await Promise.all(Array.from({ length: 200 }, (_, n) => committer.commit({
      guards: [{ kind: 'hash', key: seats, field: String(n % 10), expected: null }],
      writes: [{ op: 'hset', key: seats, field: String(n % 10), value: String(n) }], entries: [draft(n)] })));
    const calls = (await scriptCalls(client)) - before;
    expect(calls, 'script calls for 200 commits').to.be.below(200).and.above(0);
    const won = results.flatMap((result, n) => result.ok ? [n] : []);
    expect(won).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    results.forEach((result, n) => {
      if (!result.ok) expect(result.conflict).to.deep.equal({ key: seats, field: String(n % 10) });
    });
    expect(results.flatMap((result) => result.ok ? result.entries.map((entry) => entry.seq) : []))
      .to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const log = await client.lrange(keys.key('log'), 0, -1);
    expect(log.map((line) => (JSON.parse(line) as { text: string }).text))
      .to.deep.equal(won.map((n) => `takes seat ${n}`));
    expect(await client.hgetall(seats)).to.deep.equal(Object.fromEntries(won.map((n) => [String(n), String(n)])));
  });

  it('writes every entry\'s seq as its place in the log, across the tens the script formats once each', async () => {
    const client = redis.client();
    const committer = new Committer(client, keys);
    // Calls starting at seq 1, 9, 10 and 99 (single digits, a carry into the tens, into the hundreds),
    // then 1,100 entries in one request and 37 concurrent commits (one call, many requests).
    const sizes = [8, 1, 89, 1, 1_100];
    for (const size of sizes) {
      const result = await committer.commit({ guards: [], writes: [],
        entries: Array.from({ length: size }, (_, n) => draft(n)) });
      expect(result.ok).to.equal(true);
    }
    const concurrent = await Promise.all(Array.from({ length: 37 }, (_, n) => committer.commit({ guards: [], writes: [],
      entries: [draft(n)] })));
    const total = sizes.reduce((sum, size) => sum + size, 0) + 37;
    expect(concurrent.map((result) => result.ok ? result.entries[0]?.seq : null))
      .to.deep.equal(Array.from({ length: 37 }, (_, n) => total - 36 + n));
    const log = await client.lrange(keys.key('log'), 0, -1);
    expect(log).to.have.length(total);
    log.forEach((line, i) => {
      expect((JSON.parse(line) as { seq: number }).seq, line).to.equal(i + 1);
      expect(line.startsWith(`{"seq":${i + 1},"ts":`), line).to.equal(true);
    });
  });

  it('returns each committed entry as its draft plus seq and ts, with amount only where the draft has one', async () => {
    const committer = new Committer(redis.client(), keys);
    const withAmount = { ...draft(1), amount: 250 };
    const result = await committer.commit({ guards: [], writes: [], entries: [draft(0), withAmount] });
    if (!result.ok) throw new Error('commit refused');
    const [first, second] = result.entries;
    expect(first).to.deep.equal({ ...draft(0), seq: 1, ts: first?.ts });
    expect(first).to.not.have.property('amount');
    expect(second).to.deep.equal({ ...withAmount, seq: 2, ts: first?.ts });
    expect(first?.ts).to.be.a('number').and.to.be.above(0);
  });

  it('a commit whose command fails inside Redis fails alone; the commits batched with it land', async () => {
    const client = redis.client();
    const committer = new Committer(client, keys);
    const wrongType = keys.key('plain');
    await client.set(wrongType, 'a string, not a hash');
    const good = (n: number): ReturnType<Committer['commit']> => committer.commit({ guards: [],
      writes: [{ op: 'hset', key: keys.key('good'), field: String(n), value: 'x' }], entries: [draft(n)] });
    // Issued together: the first goes alone, the other three share the next call.
    const outcomes = await Promise.allSettled([good(1), good(2),
      committer.commit({ guards: [], writes: [{ op: 'hset', key: wrongType, field: 'f', value: 'v' }], entries: [draft(3)] }),
      good(4)]);
    expect(outcomes.map((outcome) => outcome.status)).to.deep.equal(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const failure = outcomes[2] as PromiseRejectedResult;
    expect(failure.reason).to.be.instanceOf(CommitScriptError);
    expect(String(failure.reason)).to.match(/WRONGTYPE/);
    const log = await client.lrange(keys.key('log'), 0, -1);
    expect(log.map((line) => (JSON.parse(line) as { seq: number; text: string })).map(({ seq, text }) => [seq, text]))
      .to.deep.equal([[1, 'takes seat 1'], [2, 'takes seat 2'], [3, 'takes seat 4']]);
    expect(await client.get(wrongType)).to.equal('a string, not a hash');
  });

  it('a request refused before sending (outside the jurisdiction) takes nothing else with it', async () => {
    const client = redis.client();
    const committer = new Committer(client, keys);
    const [ok, refused] = await Promise.allSettled([
      committer.commit({ guards: [], writes: [{ op: 'set', key: keys.key('fine'), value: '1' }], entries: [draft(1)] }),
      committer.commit({ guards: [], writes: [{ op: 'set', key: 'other:key', value: '1' }], entries: [draft(2)] }),
    ]);
    expect(ok?.status).to.equal('fulfilled');
    expect(String((refused as PromiseRejectedResult).reason)).to.match(/outside jurisdiction/);
    expect(await client.llen(keys.key('log'))).to.equal(1);
    expect(String(await thrown(() => committer.commit({ guards: [], writes: [], entries: [{ ...draft(3), actor: '' }] }))))
      .to.match(/needs actor and text/);
  });

  it('committers on separate connections do not share calls; both logs stay one sequence', async () => {
    const [a, b] = [new Committer(redis.client(), keys), new Committer(redis.client(), keys)];
    const results = await Promise.all(Array.from({ length: 40 }, (_, n) => (n % 2 === 0 ? a : b).commit({
      guards: [], writes: [{ op: 'hincrby', key: keys.key('count'), field: 'n', by: 1 }], entries: [draft(n)] })));
    const seqs = results.flatMap((result) => result.ok ? result.entries.map((entry) => entry.seq) : [])
      .sort((x, y) => x - y);
    expect(seqs).to.deep.equal(Array.from({ length: 40 }, (_, n) => n + 1));
    expect(await redis.client().hget(keys.key('count'), 'n')).to.equal('40');
  });

  it('a commit of 300,000 fields goes as one call (its 600,000 tokens are not spread into arguments)', async () => {
    const client = redis.client();
    const committer = new Committer(client, keys);
    const fields = Array.from({ length: 300_000 }, (_, i): [string, string] => [`f${i}`, String(i)]);
    const result = await committer.commit({ guards: [], writes: [{ op: 'hsetmany', key: keys.key('big'), fields }],
      entries: [draft(1)] });
    expect(result.ok).to.equal(true);
    expect(await client.hlen(keys.key('big'))).to.equal(300_000);
    expect(await client.hget(keys.key('big'), 'f299999')).to.equal('299999');
  });

  it('the script refuses a request whose token count does not match its tokens, writing nothing of it', async () => {
    const client = redis.client();
    const log = keys.key('log');
    const target = keys.key('target');
    const body = JSON.stringify({ actor: 'operator', text: 'miscounted' });
    // One request: 0 guards, 1 write, 1 entry, but 3 tokens announced for the write's 4 (hset key field value).
    const reply = await client.eval(commitScript, 2, log, target, '1', '', '0 1 1 3', 'hset', '2', 'f', 'v', body);
    expect((reply as unknown[]).slice(1)).to.deep.equal(['error', 'malformed commit request']);
    expect(await client.exists(target)).to.equal(0);
    expect(await client.llen(log)).to.equal(0);
  });

  it('the script refuses a batch with a malformed request header before writing anything', async () => {
    const client = redis.client();
    const log = keys.key('log');
    const target = keys.key('target');
    const body = JSON.stringify({ actor: 'operator', text: 'three counts' });
    for (const header of ['0 1 1', '0 1 1 4 5', '0,1,1,4', 'a 1 1 4']) {
      const error = await thrown(() => client.eval(commitScript, 2, log, target, '1', '', header, 'hset', '2', 'f', 'v', body));
      expect(String(error), header).to.match(/malformed commit request header/);
    }
    expect(await client.exists(target)).to.equal(0);
    expect(await client.llen(log)).to.equal(0);
  });
});
