// A vote whose reply is lost (the primary died between commit and reply) is sent again by ioredis on
// the new connection. Here a proxy in front of a real redis-server cuts the connection when the vote
// commit's reply comes back, so Redis runs the commit script twice. A raw unguarded commit shows the
// resend really happens (two entries); the vote, guarded on the vote it replaces, writes exactly one
// audit entry and the caller still gets its answer.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type AppContext } from '../../src/app/context.js';
import { importRollFile } from '../../src/app/roll-import-service.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/config/logger.js';
import { amesVoters, writeIowaZip } from '../support/iowa-zip.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { ReplyDroppingProxy } from './support/reply-dropping-proxy.js';

const voters = amesVoters(3, 6201, 'resend');

describe('cluster/vote-resend: a vote resent after a lost reply writes one audit entry', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let proxy: ReplyDroppingProxy;
  let dir: string;
  let context: AppContext;

  before(async () => {
    redis = await startTestRedis();
    proxy = await ReplyDroppingProxy.start(redis.server.socketPath);
    dir = mkdtempSync(join(tmpdir(), 'dn-resend-'));
    context = await createContext(loadConfig({ REDIS_URL: proxy.url, DATA_DIR: dir }), createLogger('silent'));
    await writeIowaZip(join(dir, 'roll.zip'), voters);
    await importRollFile(context, join(dir, 'roll.zip'));
    await context.democracy.addBills([{ id: 'hr1', number: 'H.R. 1', title: 'Resend bill', week: '' }], 'cli');
  });
  after(async () => {
    await context.close();
    await proxy.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function logBodies(): Promise<string[]> {
    return redis.client().lrange('{ia}:log', 0, -1);
  }

  it('shows that ioredis resends an unanswered commit (an unguarded one lands twice)', async () => {
    const before = (await logBodies()).length;
    proxy.dropReplyTo('resend-probe');
    const result = await context.committer.commit({ guards: [], writes: [{ op: 'rpush', key: '{ia}:resend-probe', value: 'x' }],
      entries: [{ actor: 'operator', actorId: null, channel: 'cli', text: 'resend-probe', event: { type: 'bill',
        bill: { id: 'hr9', number: 'H.R. 9', title: 'probe', week: '' } } }] });
    expect(result.ok).to.equal(true);
    expect(proxy.dropped).to.equal(1);
    expect(await redis.client().llen('{ia}:resend-probe'), 'Redis ran the commit twice').to.equal(2);
    expect((await logBodies()).length - before).to.equal(2);
  });

  it('records the vote once when its reply is lost and the commit is resent', async () => {
    const caller = await context.callers.byVoterId('6201', 'cli');
    const dropsBefore = proxy.dropped;
    const before = (await logBodies()).length;
    proxy.dropReplyTo('votes yes on H.R. 1');
    const result = await context.democracy.vote(caller, 'hr1', 'yes');
    expect(proxy.dropped - dropsBefore, 'the reply to the vote was lost').to.equal(1);
    // The resend met its guard (the first one landed), so the retry found the vote cast: no second entry.
    expect(result.changed).to.equal(false);
    const added = (await logBodies()).slice(before);
    expect(added.filter((body) => body.includes('"type":"vote"'))).to.have.length(1);
    expect(added[0]).to.include('"voter":"6201"').and.to.include('"choice":"yes"');
    expect(await context.store.voteOf('6201', 'hr1')).to.equal('yes');

    // A change of mind afterwards is an ordinary vote, also once.
    proxy.dropReplyTo('votes no on H.R. 1');
    const changed = await context.democracy.vote(caller, 'hr1', 'no');
    expect(changed.changed).to.equal(false);
    const all = (await logBodies()).slice(before).filter((body) => body.includes('"type":"vote"'));
    expect(all.map((body) => /"choice":"(\w+)"/.exec(body)?.[1])).to.deep.equal(['yes', 'no']);
    expect(await context.store.voteOf('6201', 'hr1')).to.equal('no');
  });
});
