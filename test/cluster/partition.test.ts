// Partition on several hosts (network namespaces): the primary's host is cut off the network (its link
// at the bridge set down) while an app process on that same host and one on another host vote and pay
// with REDIS_WAIT_REPLICAS=1 against primaries running min-replicas-to-write 1. The minority side (old
// primary, its sentinel, the app beside it) stops acknowledging writes; the majority's sentinels promote
// a replica and the other app goes on. After healing, the old primary rejoins as a replica, and every
// acknowledged write from both sides is in the log at its seq; ledger and log verify.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliPath } from '../support/cli.js';
import { amesVoters, writeIowaZip } from '../support/iowa-zip.js';
import { collect, expectAcknowledgedPresent, follow, type DriverRun } from './support/acks.js';
import { skipWithoutNetns, TestNetwork } from './support/netns.js';
import { driverPath } from './support/paths.js';
import {
  connectedReplicas, redisCli, redisPort, sentinelAppEnv, sentinelPrimary, startRedis,
  startSentinel, waitFor,
} from './support/redis-hosts.js';

const voters = amesVoters(20, 9101, 'parted');
const minorityVoters = voters.slice(0, 10).map((voter) => voter.id).join(',');
const majorityVoters = voters.slice(10).map((voter) => voter.id).join(',');
const loadMs = 12_000;
/** An ack emitted this long after the cut could only be one WAIT confirmed before it. */
const inFlightMarginMs = 1_000;

describe('cluster/partition: the primary cut off the network stops acknowledging; nothing acknowledged is lost', function () {
  this.timeout(150_000);
  let net: TestNetwork | null = null;
  let root = '';

  before(function () {
    skipWithoutNetns(this);
  });
  after(async () => {
    await net?.destroy();
    if (root !== '') rmSync(root, { recursive: true, force: true });
  });

  function appEnv(app: string): Record<string, string> {
    return sentinelAppEnv(net, root, app, voters[0]?.phone ?? '');
  }

  async function cli(...args: string[]): Promise<string> {
    const result = await net?.run('app2', process.execPath, [cliPath, ...args], appEnv('app2'));
    if (result?.code !== 0) throw new Error(`${args.join(' ')} exited ${result?.code}: ${result?.stderr}`);
    return result.stdout;
  }

  it('refuses writes on the minority side, fails over on the majority, and keeps every acknowledged write', async () => {
    net = new TestNetwork(['r1', 'r2', 'r3', 'app2']);
    const n = net;
    root = mkdtempSync(join(tmpdir(), 'dn-partition-'));
    await startRedis(n, 'r1', root, { minReplicas: 1 });
    for (const host of ['r2', 'r3']) await startRedis(n, host, root, { minReplicas: 1, replicaOf: n.address('r1') });
    await waitFor('two replicas', 10_000, async () => (await connectedReplicas(n, 'r1')) === 2);
    for (const host of ['r1', 'r2', 'r3']) await startSentinel(n, host, root, 'r1');
    await writeIowaZip(join(root, 'roll.zip'), voters);
    const setup = await collect(n.spawn('app2', process.execPath,
      [driverPath, 'setup', join(root, 'roll.zip'), `${minorityVoters},${majorityVoters}`, '100000'], appEnv('app2')));
    expect(setup.code, setup.stderr).to.equal(0);

    // The minority app runs on the primary's own host, so it still reaches the old primary after the cut.
    const minority = follow(n.spawn('r1', process.execPath,
      [driverPath, 'load', minorityVoters, String(loadMs), 'min'], appEnv('app1')));
    const majority = follow(n.spawn('app2', process.execPath,
      [driverPath, 'load', majorityVoters, String(loadMs), 'maj'], appEnv('app2')));
    await Promise.all([minority.working, majority.working]);
    await sleep(1_500);
    const cutAt = Date.now();
    n.cut('r1');
    const [minorityRun, majorityRun] = await Promise.all([minority.done, majority.done]) as [DriverRun, DriverRun];
    n.heal('r1');
    for (const run of [minorityRun, majorityRun]) expect(run.code, run.stderr).to.equal(0);

    const minorityLate = minorityRun.lines
      .filter((line) => line.ack !== undefined && line.at > cutAt + inFlightMarginMs);
    const majorityAfter = majorityRun.lines.filter((line) => line.ack !== undefined && line.at > cutAt);
    const minorityRefused = minorityRun.lines.filter((line) => line.fail !== undefined && line.at > cutAt);
    console.log(`      after the cut: minority acknowledged ${minorityLate.length} (refused or unconfirmed `
      + `${minorityRefused.length}); majority acknowledged ${majorityAfter.length}`);
    expect(minorityLate, 'the cut-off side acknowledged writes').to.have.length(0);
    expect(minorityRefused.length).to.be.greaterThan(0);
    expect(majorityAfter.length, 'the majority side goes on after failover').to.be.greaterThan(10);

    const primary = await sentinelPrimary(n, 'r2');
    expect(primary).to.be.oneOf([n.address('r2'), n.address('r3')]);
    const primaryHost = primary === n.address('r2') ? 'r2' : 'r3';
    await waitFor('the old primary to rejoin as a replica', 30_000,
      async () => (await redisCli(n, 'r1', redisPort, 'info', 'replication')).includes('role:slave'));
    const acks = [...minorityRun.lines, ...majorityRun.lines].filter((line) => line.ack !== undefined);
    const log = (await redisCli(n, primaryHost, redisPort, 'lrange', '{ia}:log', '0', '-1')).split('\n');
    expect(expectAcknowledgedPresent(acks, log)).to.equal(acks.filter((ack) => ack.seq !== null).length);
    expect(await cli('ledger', 'verify')).to.match(/ok/i);
    expect(await cli('log', 'verify', '--store')).to.match(/^ok: \d+ entries/);
  });
});
