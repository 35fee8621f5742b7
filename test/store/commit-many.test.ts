// The commit script's multi-field write (`hsetmany`, used for demurrage markers): thousands of fields
// land in one atomic step with the journal entry, or none of them when a guard fails.
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
});
