// Scale benchmark (issue 9), in one run, every figure against one app process on one Redis measured
// in the same run:
//  - acknowledged votes + payments per second through the app services (full commit) with 1, 2 and 4
//    app processes on one redis-server;
//  - the same on a 3-primary Redis Cluster with several jurisdictions (hash tags {ia}, {il}, {mn}, {wi}),
//    one process per jurisdiction, plus 4 processes on one jurisdiction (its slot is one primary);
//    the shapes are measured in interleaved rounds (BENCH_SCALE_ROUNDS, default 2), each BENCH_SCALE_MS;
//  - failover: kill -9 of the Sentinel-managed primary under load (REDIS_WAIT_REPLICAS=1), the time
//    from the kill to the first acknowledged write afterwards, and acknowledged writes lost (must be 0).
// Every Redis runs the same way (AOF appendfsync everysec, test/cluster/support/redis-hosts.ts) on its
// own network-namespace host, and the app processes (test/cluster/support/load-driver.ts) reach it over
// TCP, so the rows differ only in topology. Needs root for the namespaces; otherwise it says why.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { acknowledgedLost, collect, follow, type DriverLine, type DriverRun } from '../test/cluster/support/acks.js';
import { netnsUnavailableReason, TestNetwork } from '../test/cluster/support/netns.js';
import { driverPath } from '../test/cluster/support/paths.js';
import {
  connectedReplicas, kill9, redisCli, redisPort, sentinelAppEnv, sentinelPrimary, startRedis, startSentinel, waitFor,
} from '../test/cluster/support/redis-hosts.js';
import { writeIowaZip, type HandVoter } from '../test/support/iowa-zip.js';
import { benchArgument, isMainModule, writeBenchResult } from './support.js';

const votersPerProcess = 10;
const processCounts = [1, 2, 4];
const clusterJurisdictions = ['ia', 'il', 'mn', 'wi'];
const clusterHosts = ['c1', 'c2', 'c3'];
const mintCents = '10000000';

const voters: HandVoter[] = Array.from({ length: 4 * votersPerProcess }, (_, i) => ({
  id: String(60001 + i), first: `first${String.fromCharCode(97 + (i % 26))}`, last: `scale${String.fromCharCode(97 + Math.floor(i / 26))}`,
  city: 'ames', county: 'story', phone: `5155${String(600001 + i).padStart(6, '0')}`,
}));
const idsOf = (from: number, count: number): string => voters.slice(from, from + count).map((voter) => voter.id).join(',');

interface Row { store: string; processes: number; jurisdictions: number; perRound: number[]; writesPerSecond: number;
  refused: number }

function uptime(): string {
  return `load average ${loadavg().map((value) => value.toFixed(2)).join(', ')} on ${cpus().length} CPUs`;
}

async function setup(net: TestNetwork, env: Record<string, string>, zip: string, jurisdiction: string): Promise<void> {
  const run = await collect(net.spawn('app', process.execPath, [driverPath, 'setup', zip, idsOf(0, voters.length), mintCents],
    { ...env, DRIVER_JURISDICTION: jurisdiction, AUDIT_LOG: join(env.DATA_DIR ?? '', `setup-${jurisdiction}.txt`) }));
  if (run.code !== 0) throw new Error(`setup of {${jurisdiction}} failed: ${run.stderr}`);
}

/** `plan[p]` is process p's jurisdiction; each process drives voters of its own. */
async function measure(
  net: TestNetwork, env: Record<string, string>, plan: readonly string[], durationMs: number, label: string,
): Promise<{ writesPerSecond: number; refused: number }> {
  const runs = await Promise.all(plan.map((jurisdiction, p) => collect(net.spawn('app', process.execPath,
    [driverPath, 'load', idsOf(p * votersPerProcess, votersPerProcess), String(durationMs), `${label}-p${p}`],
    { ...env, DRIVER_JURISDICTION: jurisdiction, AUDIT_LOG: join(env.DATA_DIR ?? '', `${label}-p${p}.txt`) }))));
  for (const run of runs) if (run.code !== 0) throw new Error(`driver failed: ${run.stderr}`);
  const lines = runs.flatMap((run) => run.lines);
  return {
    writesPerSecond: Math.round(lines.filter((line) => line.ack !== undefined).length / (durationMs / 1000)),
    refused: lines.filter((line) => line.fail !== undefined).length };
}

/** Which cluster host owns the slot of `{code}`. */
async function slotOwner(net: TestNetwork, code: string): Promise<{ code: string; slot: number; primary: string }> {
  const slot = Number(await redisCli(net, 'c1', redisPort, 'cluster', 'keyslot', `{${code}}`));
  for (const line of (await redisCli(net, 'c1', redisPort, 'cluster', 'nodes')).split('\n')) {
    const fields = line.split(' ');
    const owns = fields.slice(8).some((range) => {
      const [low, high = low] = range.split('-').map(Number);
      return low !== undefined && high !== undefined && slot >= low && slot <= high;
    });
    const host = clusterHosts.find((candidate) => fields[1]?.startsWith(`${net.address(candidate)}:`));
    if (owns && host !== undefined) return { code, slot, primary: host };
  }
  throw new Error(`no owner for slot ${slot}`);
}

async function startCluster(net: TestNetwork, root: string): Promise<void> {
  for (const host of clusterHosts) await startRedis(net, host, root, { cluster: true });
  const created = await net.run('app', 'redis-cli', ['--cluster', 'create',
    ...clusterHosts.map((host) => `${net.address(host)}:${redisPort}`), '--cluster-replicas', '0', '--cluster-yes']);
  if (created.code !== 0) throw new Error(`cluster create: ${created.stderr}${created.stdout}`);
  await waitFor('cluster_state:ok', 20_000, async () => (await Promise.all(clusterHosts.map(
    (host) => redisCli(net, host, redisPort, 'cluster', 'info')))).every((info) => info.includes('cluster_state:ok')));
}

interface Shape { store: 'one redis' | 'cluster'; env: Record<string, string>; plan: string[] }

/**
 * One Redis and the Cluster side by side on one network; every shape is measured once per round and
 * the rounds interleave the shapes, so a burst of load from elsewhere on the machine hits all alike.
 */
async function throughput(
  root: string, durationMs: number, rounds: number,
): Promise<{ slots: unknown[]; rows: Row[] }> {
  const net = new TestNetwork(['r1', ...clusterHosts, 'app']);
  try {
    await startRedis(net, 'r1', root);
    await startCluster(net, root);
    const common = { SOVEREIGN_PHONES: voters[0]?.phone ?? '', LOG_LEVEL: 'warn' };
    const one = { ...common, REDIS_URL: `redis://${net.address('r1')}:${redisPort}`, DATA_DIR: join(root, 'one') };
    const clustered = { ...common, DATA_DIR: join(root, 'cluster'),
      REDIS_CLUSTER_NODES: clusterHosts.map((host) => `${net.address(host)}:${redisPort}`).join(',') };
    await setup(net, one, join(root, 'roll.zip'), 'ia');
    for (const code of clusterJurisdictions) await setup(net, clustered, join(root, 'roll.zip'), code);
    // Right after `cluster create` a node's view of the others may still lack their addresses: ask until it has them.
    let slots: Array<{ code: string; slot: number; primary: string }> = [];
    await waitFor('the slot owners', 20_000, async () => {
      slots = await Promise.all(clusterJurisdictions.map((code) => slotOwner(net, code)));
      return true;
    });
    const shapes: Shape[] = [
      ...processCounts.map((n): Shape => ({ store: 'one redis', env: one, plan: Array.from({ length: n }, () => 'ia') })),
      ...processCounts.map((n): Shape => ({ store: 'cluster', env: clustered, plan: clusterJurisdictions.slice(0, n) })),
      { store: 'cluster', env: clustered, plan: Array.from({ length: 4 }, () => 'ia') },
    ];
    const measured = shapes.map(() => [] as Array<{ writesPerSecond: number; refused: number }>);
    for (let round = 0; round < rounds; round += 1) {
      for (const [i, shape] of shapes.entries()) {
        measured[i]?.push(await measure(net, shape.env, shape.plan, durationMs, `r${round}-s${i}`));
      }
    }
    const rows = shapes.map((shape, i) => {
      const runs = measured[i] ?? [];
      return { store: shape.store, processes: shape.plan.length, jurisdictions: new Set(shape.plan).size,
        perRound: runs.map((run) => run.writesPerSecond),
        writesPerSecond: Math.round(runs.reduce((sum, run) => sum + run.writesPerSecond, 0) / Math.max(1, runs.length)),
        refused: runs.reduce((sum, run) => sum + run.refused, 0) };
    });
    return { slots, rows };
  } finally {
    await net.destroy();
  }
}

async function failover(root: string, loadMs: number): Promise<Record<string, unknown>> {
  const net = new TestNetwork(['r1', 'r2', 'r3', 'app']);
  try {
    const primary = await startRedis(net, 'r1', root, { minReplicas: 1 });
    for (const host of ['r2', 'r3']) await startRedis(net, host, root, { minReplicas: 1, replicaOf: net.address('r1') });
    await waitFor('two replicas', 10_000, async () => (await connectedReplicas(net, 'r1')) === 2);
    for (const host of ['r1', 'r2', 'r3']) await startSentinel(net, host, root, 'r1');
    const env = sentinelAppEnv(net, join(root, 'failover'), 'app', voters[0]?.phone ?? '');
    await setup(net, env, join(root, 'roll.zip'), 'ia');
    const drivers = [0, 1].map((p) => follow(net.spawn('app', process.execPath,
      [driverPath, 'load', idsOf(p * votersPerProcess, votersPerProcess), String(loadMs), `failover-p${p}`],
      { ...env, AUDIT_LOG: join(root, 'failover', `p${p}.txt`) })));
    await Promise.all(drivers.map((driver) => driver.working));
    await sleep(loadMs / 4);
    await kill9(primary as ChildProcess);
    // From here the old primary is gone: a write begun afterwards can only be acknowledged by a new one.
    const killedAt = Date.now();
    const runs: DriverRun[] = await Promise.all(drivers.map((driver) => driver.done));
    for (const run of runs) if (run.code !== 0) throw new Error(`driver failed: ${run.stderr}`);
    const promoted = await sentinelPrimary(net, 'r2');
    const promotedHost = ['r2', 'r3'].find((host) => net.address(host) === promoted);
    if (promotedHost === undefined) throw new Error(`no replica was promoted (sentinels name ${promoted})`);
    const lines: DriverLine[] = runs.flatMap((run) => run.lines);
    const acks = lines.filter((line) => line.ack !== undefined);
    const after = acks.filter((line) => (line.started ?? 0) > killedAt);
    const log = (await redisCli(net, promotedHost, redisPort, 'lrange', '{ia}:log', '0', '-1')).split('\n');
    return {
      setup: '1 primary + 2 replicas (min-replicas-to-write 1), 3 sentinels (down-after 1000 ms), 2 app processes, REDIS_WAIT_REPLICAS=1',
      // The first write begun after the primary's exit and acknowledged (on the promoted replica).
      killToFirstAcknowledgedWriteMs: after.length === 0 ? null : Math.min(...after.map((line) => line.at)) - killedAt,
      acknowledgedBegunBeforeKill: acks.length - after.length,
      acknowledgedBegunAfterKill: after.length,
      acknowledgedLost: acknowledgedLost(acks, log).length,
      refusedOrUnconfirmed: lines.filter((line) => line.fail !== undefined).length,
    };
  } finally {
    await net.destroy();
  }
}

export async function benchScale(options: { resultsDir: string }): Promise<Record<string, unknown>> {
  const durationMs = Number(benchArgument('duration-ms', process.env.BENCH_SCALE_MS ?? '5000'));
  if (!Number.isSafeInteger(durationMs) || durationMs < 1000) throw new RangeError('BENCH_SCALE_MS must be ≥ 1000');
  const rounds = Number(process.env.BENCH_SCALE_ROUNDS ?? '2');
  if (!Number.isSafeInteger(rounds) || rounds < 1 || rounds > 10) throw new RangeError('BENCH_SCALE_ROUNDS must be 1-10');
  const unavailable = netnsUnavailableReason();
  if (unavailable !== null) {
    process.stdout.write(`bench scale: not run: ${unavailable}\n`);
    return { skipped: unavailable };
  }
  const machineBefore = uptime();
  const root = mkdtempSync(join(tmpdir(), 'dn-scale-'));
  try {
    await writeIowaZip(join(root, 'roll.zip'), voters);
    const { slots, rows } = await throughput(root, durationMs, rounds);
    const baseline = rows[0]?.writesPerSecond ?? 1;
    const ratio = (row: Row): Row & { ratioToOneProcessOneRedis: number } =>
      ({ ...row, ratioToOneProcessOneRedis: Number((row.writesPerSecond / baseline).toFixed(2)) });
    const failed = await failover(root, Math.max(durationMs, 8_000));
    const result = {
      what: 'acknowledged votes + payments per second through the app services (full commit: guards, audit entry), '
        + 'each app process a load driver with 10 voters of its own, alternating votes and payments',
      redis: 'redis-server 7 per namespace host, AOF appendfsync everysec, reached over TCP (veth); no replica WAIT except in failover',
      durationMs,
      machine: { before: machineBefore, after: uptime(),
        note: 'shared 2-core machine, other helpers building and testing at the same time: ratios matter, not absolute rates' },
      rounds,
      rows: rows.map(ratio),
      cluster: { primaries: 3, replicas: 0, jurisdictionSlots: slots },
      failover: failed,
    };
    writeBenchResult(options.resultsDir, 'scale', result);
    return result;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (isMainModule(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await benchScale({ resultsDir: benchArgument('results', 'bench/results') }), null, 2)}\n`);
}
