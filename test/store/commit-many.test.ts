// The commit script's multi-field write (`hsetmany`, used for demurrage markers and balances): thousands
// of fields land in one atomic step with the journal entry, or none of them when a guard fails; and its
// multi-field guard (`hash-many`): every field at its expected value (or absent), checked in chunks.
import { expect } from 'chai';
import { Committer } from '../../src/store/commit.js';
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
