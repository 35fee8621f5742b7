// The commit script's multi-field write (`hsetmany`, used for demurrage markers and balances): thousands
// of fields land in one atomic step with the journal entry, or none of them when a guard fails; and its
// multi-field guard (`hash-many`): every field at its expected value (or absent), checked in chunks.
import { expect } from 'chai';
import { commitScript } from '../../src/store/commit-script.js';
import { encodeCommitRequest } from '../../src/store/commit-encoding.js';
import { Committer, type CommitRequest } from '../../src/store/commit.js';
import { jurisdictionKeys } from '../../src/store/keys.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { thrown } from '../support/thrown.js';

describe('store/commit: hsetmany', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  const keys = jurisdictionKeys('ia');

  before(async () => {
    redis = await startTestRedis();
  });
  after(async () => {
    await redis.stop();
  });

  it('writes 2,501 fields (three chunks inside the script) together with the entry, or nothing on a conflict', async () => {
    const committer = new Committer(redis.client(), keys);
    const fields = Array.from({ length: 2_501 }, (_, i): [string, string] => [`f${i}`, String(i)]);
    const key = keys.key('many');
    const draft = { actor: 'operator', actorId: null, channel: 'system' as const, text: 'marks many', event: { type: 'test' } };
    const refused = await committer.commit({ guards: [{ kind: 'string', key: keys.key('gate'), expected: 'open' }],
      writes: [{ op: 'hsetmany', key, fields }], entries: [draft] });
    expect(refused.ok).to.equal(false);
    expect(await redis.client().exists(key)).to.equal(0);
    const ok = await committer.commit({ guards: [], writes: [{ op: 'hsetmany', key, fields }], entries: [draft] });
    expect(ok.ok).to.equal(true);
    const stored = await redis.client().hgetall(key);
    expect(Object.keys(stored)).to.have.length(2_501);
    expect(stored.f0).to.equal('0');
    expect(stored.f2500).to.equal('2500');
    expect(await redis.client().llen(keys.key('log'))).to.equal(1);
    expect(String(await thrown(() => committer.commit({ guards: [], writes: [{ op: 'hsetmany', key, fields: [] }], entries: [] }))))
      .to.match(/at least one field/);
  });

  it('hash-many holds only when every field is as expected (absent for null), across HMGET chunks', async () => {
    const client = redis.client();
    const committer = new Committer(client, keys);
    const key = keys.key('guarded');
    const fields = Array.from({ length: 1_203 }, (_, i): [string, string] => [`a${i}`, String(i * 3)]);
    await client.hset(key, Object.fromEntries(fields));
    const target = keys.key('written');
    const draft = { actor: 'operator', actorId: null, channel: 'system' as const, text: 'guarded write', event: { type: 'test' } };
    const attempt = (expected: ReadonlyArray<readonly [string, string | null]>): ReturnType<Committer['commit']> =>
      committer.commit({ guards: [{ kind: 'hash-many', key, fields: expected }],
        writes: [{ op: 'hset', key: target, field: 'x', value: '1' }], entries: [draft] });
    // A wrong value in the last chunk, a present field expected absent, an absent field expected present.
    const wrongLast = fields.map(([field, value], i): [string, string] => [field, i === 1_202 ? 'nope' : value]);
    expect(await attempt(wrongLast)).to.deep.equal({ ok: false, conflict: { key, field: 'a1202' } });
    expect(await attempt([...fields, ['a5', null]])).to.deep.equal({ ok: false, conflict: { key, field: 'a5' } });
    expect(await attempt([['missing', '0']])).to.deep.equal({ ok: false, conflict: { key, field: 'missing' } });
    expect(await client.exists(target), 'nothing written by a refused commit').to.equal(0);
    const ok = await attempt([...fields, ['missing', null]]);
    expect(ok.ok).to.equal(true);
    expect(await client.hget(target, 'x')).to.equal('1');
    expect(String(await thrown(() => attempt([])))).to.match(/at least one field/);
  });

  it('writes naming exactly a hash-many guard\'s fields send them once (hsetref, saddref), all or nothing', async () => {
    const client = redis.client();
    const committer = new Committer(client, keys);
    const [balances, marks] = [keys.key('ref-balances'), keys.key('ref-marks')];
    // 1,203 fields: the referenced HSET and SADD go in several chunks.
    const fields = Array.from({ length: 1_203 }, (_, i): [string, string] => [`v${i}`, String(100 + i)]);
    await client.hset(balances, Object.fromEntries(fields));
    const request = (expected: ReadonlyArray<readonly [string, string]>): CommitRequest => ({
      guards: [{ kind: 'hash-many', key: balances, fields: expected }],
      writes: [{ op: 'hsetmany', key: balances, fields: fields.map(([field, value]) => [field, String(Number(value) - 1)]) },
        { op: 'saddmany', key: marks, members: fields.map(([field]) => field) }],
      entries: [] });
    const encoded = encodeCommitRequest(request(fields), keys.tag);
    expect(encoded.tokens.filter((token) => token === 'hsetref' || token === 'saddref')).to.deep.equal(['hsetref', 'saddref']);
    // Each field name travels once: the guard's, not again for the HSET or the SADD.
    expect(encoded.tokens.filter((token) => token === 'v7')).to.have.length(1);
    const stale = fields.map(([field, value], i): [string, string] => [field, i === 600 ? '0' : value]);
    expect(await committer.commit(request(stale))).to.deep.equal({ ok: false, conflict: { key: balances, field: 'v600' } });
    expect(await client.exists(marks)).to.equal(0);
    expect(await client.hget(balances, 'v600')).to.equal('700');
    expect((await committer.commit(request(fields))).ok).to.equal(true);
    expect(await client.hget(balances, 'v0')).to.equal('99');
    expect(await client.hget(balances, 'v1202')).to.equal('1301');
    expect(await client.scard(marks)).to.equal(1_203);
    // A list that is not the guard's (other order) is sent whole.
    const reordered = encodeCommitRequest({ ...request(fields),
      writes: [{ op: 'saddmany', key: marks, members: fields.map(([field]) => field).reverse() }] }, keys.tag);
    expect(reordered.tokens).to.include('saddmany');
  });

  it('the script refuses a reference outside its own request, writing nothing of it', async () => {
    const client = redis.client();
    const target = keys.key('ref-target');
    // One request: 0 guards, 1 write 'saddref' pointing 9 tokens back (before the request's first token).
    const reply = await client.eval(commitScript, 2, keys.key('ref-log'), target, '1', '', '0 1 0 4',
      'saddref', '2', '9', '1');
    expect((reply as unknown[]).slice(1)).to.deep.equal(['error', 'malformed commit request']);
    expect(await client.exists(target)).to.equal(0);
  });

  it('hash-many tells a field expected to hold the empty string from one expected absent', async () => {
    const client = redis.client();
    const committer = new Committer(client, keys);
    const key = keys.key('guarded-empty');
    await client.hset(key, { empty: '', nul: '\u0000' });
    const attempt = async (expected: ReadonlyArray<readonly [string, string | null]>): Promise<unknown> =>
      committer.commit({ guards: [{ kind: 'hash-many', key, fields: expected }], writes: [], entries: [] });
    expect(await attempt([['empty', null]])).to.deep.equal({ ok: false, conflict: { key, field: 'empty' } });
    expect(await attempt([['empty', ''], ['gone', '']])).to.deep.equal({ ok: false, conflict: { key, field: 'gone' } });
    expect(await attempt([['empty', ''], ['nul', null]])).to.deep.equal({ ok: false, conflict: { key, field: 'nul' } });
    expect(await attempt([['empty', ''], ['nul', '\u0000'], ['gone', null]])).to.deep.equal({ ok: true, entries: [] });
  });
});
