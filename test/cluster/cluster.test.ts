// Redis Cluster on several hosts (network namespaces): three primaries made with `redis-cli --cluster
// create`. The whole app flow runs through the real CLI with REDIS_CLUSTER_NODES — roll import, bills,
// delegate, vote, mint, pay, demurrage, ledger and log verification, tally — and gets no CROSSSLOT
// error, because every key of a jurisdiction carries `{ia}`. Then the `{ia}` slot migrates to another
// primary (SETSLOT IMPORTING/MIGRATING, MIGRATE, SETSLOT NODE) while a load driver votes and pays,
// and every acknowledged write is in the log afterwards.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from '../support/cli.js';
import { amesVoters, writeIowaZip } from '../support/iowa-zip.js';
import { collect, expectAcknowledgedPresent, follow, type DriverRun } from './support/acks.js';
import { skipWithoutNetns, TestNetwork } from './support/netns.js';
import { driverPath } from './support/paths.js';
import { redisCli, redisPort, startRedis, waitFor } from './support/redis-hosts.js';

const voters = amesVoters(10, 8001, 'cluster');
const hosts = ['c1', 'c2', 'c3'];

describe('cluster/cluster: the app on a 3-primary Redis Cluster, with a migration of the {ia} slot under load', function () {
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

  function env(): Record<string, string> {
    return { REDIS_CLUSTER_NODES: hosts.map((host) => `${net?.address(host)}:${redisPort}`).join(','),
      DATA_DIR: join(root, 'app'), SOVEREIGN_PHONES: voters[0]?.phone ?? '', DEMURRAGE_RATE_BASIS_POINTS: '100' };
  }

  async function cli(...args: string[]): Promise<string> {
    const result = await net?.run('app', process.execPath, [cliPath, ...args], env());
    if (result?.code !== 0) throw new Error(`${args.join(' ')} exited ${result?.code}: ${result?.stderr}`);
    expect(result.stderr).to.not.match(/CROSSSLOT/);
    return result.stdout;
  }

  async function nodeId(host: string): Promise<string> {
    return redisCli(net as TestNetwork, host, redisPort, 'cluster', 'myid');
  }

  async function slotOwner(slot: number): Promise<string> {
    const nodes = await redisCli(net as TestNetwork, 'c1', redisPort, 'cluster', 'nodes');
    for (const line of nodes.split('\n')) {
      const fields = line.split(' ');
      for (const range of fields.slice(8)) {
        const [low, high = low] = range.split('-').map(Number);
        if (low !== undefined && high !== undefined && slot >= low && slot <= high) {
          const host = hosts.find((candidate) => fields[1]?.startsWith(`${net?.address(candidate)}:`));
          if (host !== undefined) return host;
        }
      }
    }
    throw new Error(`no owner for slot ${slot}`);
  }

  /** Moves one slot from its owner to `to`, key batch by key batch, as redis-cli --cluster reshard does. */
  async function migrateSlot(slot: number, from: string, to: string): Promise<number> {
    const n = net as TestNetwork;
    const [fromId, toId] = [await nodeId(from), await nodeId(to)];
    await redisCli(n, to, redisPort, 'cluster', 'setslot', String(slot), 'importing', fromId);
    await redisCli(n, from, redisPort, 'cluster', 'setslot', String(slot), 'migrating', toId);
    let moved = 0;
    for (;;) {
      const keys = (await redisCli(n, from, redisPort, 'cluster', 'getkeysinslot', String(slot), '5')).split('\n')
        .filter((key) => key.length > 0);
      if (keys.length === 0) break;
      await redisCli(n, from, redisPort, 'migrate', n.address(to), String(redisPort), '', '0', '5000', 'KEYS', ...keys);
      moved += keys.length;
    }
    for (const host of hosts) await redisCli(n, host, redisPort, 'cluster', 'setslot', String(slot), 'node', toId);
    return moved;
  }

  it('runs every use case without CROSSSLOT and loses no acknowledged write while {ia} migrates', async () => {
    net = new TestNetwork([...hosts, 'app']);
    root = mkdtempSync(join(tmpdir(), 'dn-cluster-'));
    for (const host of hosts) await startRedis(net, host, root, { cluster: true });
    const created = await net.run('app', 'redis-cli', ['--cluster', 'create',
      ...hosts.map((host) => `${net?.address(host)}:${redisPort}`), '--cluster-replicas', '0', '--cluster-yes']);
    expect(created.code, created.stderr + created.stdout).to.equal(0);
    await waitFor('cluster_state:ok', 20_000, async () => hosts.every(() => true)
      && (await Promise.all(hosts.map((host) => redisCli(net as TestNetwork, host, redisPort, 'cluster', 'info'))))
        .every((info) => info.includes('cluster_state:ok')));
    await writeIowaZip(join(root, 'roll.zip'), voters);

    expect(await cli('roll', 'import', join(root, 'roll.zip'))).to.match(/10/);
    await cli('bills', 'add', 'H.R. 1', 'Test bill one');
    await cli('delegate', '8002', '8003');
    await cli('delegate', '8004', '8003', '--bill', 'hr1');
    await cli('vote', '8003', 'hr1', 'yes');
    await cli('money', 'mint', '8001', '8005', '$500', '--key', 'cluster-mint-1');
    await cli('money', 'pay', '8005', '8006', '12.50', '--key', 'cluster-pay-1');
    expect(await cli('money', 'demurrage', 'run', '--period', '2026-11')).to.match(/demurrage 2026-11: charged/);
    await cli('recall', '8002');
    expect(await cli('tally', 'hr1', '--json')).to.match(/"yes": 2/);
    expect(await cli('ledger', 'verify')).to.match(/ok/i);
    expect(await cli('log', 'verify', '--store')).to.match(/^ok: \d+ entries/);

    const slot = Number(await redisCli(net, 'c1', redisPort, 'cluster', 'keyslot', '{ia}'));
    const from = await slotOwner(slot);
    const to = hosts.find((host) => host !== from) ?? 'c1';
    const setup = await collect(net.spawn('app', process.execPath,
      [driverPath, 'setup', join(root, 'roll.zip'), voters.map((voter) => voter.id).join(','), '100000'], env()));
    expect(setup.code, setup.stderr).to.equal(0);
    const driver = follow(net.spawn('app', process.execPath,
      [driverPath, 'load', voters.map((voter) => voter.id).join(','), '8000', 'm'], env()));
    await driver.working;
    const moved = await migrateSlot(slot, from, to);
    const run: DriverRun = await driver.done;
    expect(run.code, run.stderr).to.equal(0);
    expect(await slotOwner(slot)).to.equal(to);
    const acks = run.lines.filter((line) => line.ack !== undefined);
    const afterMove = run.lines.filter((line) => line.ack !== undefined).at(-1);
    console.log(`      moved ${moved} keys of slot ${slot} from ${from} to ${to} under load; ${acks.length} acknowledged writes`);
    expect(afterMove).to.not.equal(undefined);
    const log = (await redisCli(net, to, redisPort, 'lrange', '{ia}:log', '0', '-1')).split('\n');
    expect(expectAcknowledgedPresent(acks, log)).to.equal(acks.filter((ack) => ack.seq !== null).length);
    expect(await cli('ledger', 'verify')).to.match(/ok/i);
    expect(await cli('log', 'verify', '--store')).to.match(new RegExp(`^ok: ${log.length} entries`));
  });
});
