// Real redis-server and redis-sentinel processes on namespace hosts (netns.ts), each with its own data
// directory in a temp dir, plus a way to wait for them and to ask them things with redis-cli.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestNetwork } from './netns.js';

export const redisPort = 6379;
export const sentinelPort = 26379;
export const masterName = 'dn';
const pollIntervalMs = 100;

/** The environment of an app process using the Sentinels on r1-r3 and waiting for one replica per commit. */
export function sentinelAppEnv(
  net: TestNetwork | null, root: string, app: string, sovereignPhone: string,
): Record<string, string> {
  const sentinels = ['r1', 'r2', 'r3'].map((host) => `${net?.address(host)}:${sentinelPort}`).join(',');
  return { REDIS_SENTINELS: sentinels, REDIS_SENTINEL_MASTER: masterName, REDIS_WAIT_REPLICAS: '1',
    REDIS_WAIT_TIMEOUT_MS: '1000', DATA_DIR: join(root, app), AUDIT_LOG: join(root, app, 'audit_log.txt'),
    SOVEREIGN_PHONES: sovereignPhone, LOG_LEVEL: 'warn' };
}

export async function redisCli(net: TestNetwork, host: string, port: number, ...args: string[]): Promise<string> {
  const result = await net.run(host, 'redis-cli', ['-h', net.address(host), '-p', String(port), ...args]);
  if (result.code !== 0) throw new Error(`redis-cli on ${host}: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

export async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return Date.now() - started;
    await sleep(pollIntervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export interface RedisOptions {
  replicaOf?: string;
  /** Refuse writes unless this many replicas are connected and not lagging (min-replicas-to-write). */
  minReplicas?: number;
  cluster?: boolean;
}

export async function startRedis(
  net: TestNetwork, host: string, root: string, options: RedisOptions = {},
): Promise<ChildProcess> {
  const dir = join(root, `redis-${host}`);
  mkdirSync(dir, { recursive: true });
  const args = ['--port', String(redisPort), '--bind', net.address(host), '--protected-mode', 'no', '--dir', dir,
    '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--daemonize', 'no', '--loglevel', 'warning',
    '--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0', '--repl-ping-replica-period', '1'];
  if (options.minReplicas !== undefined) args.push('--min-replicas-to-write', String(options.minReplicas), '--min-replicas-max-lag', '2');
  if (options.replicaOf !== undefined) args.push('--replicaof', options.replicaOf, String(redisPort));
  if (options.cluster === true) args.push('--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'), '--cluster-node-timeout', '2000');
  const child = net.spawn(host, 'redis-server', args);
  await waitFor(`redis-server on ${host}`, 10_000, async () => (await redisCli(net, host, redisPort, 'ping')) === 'PONG');
  return child;
}

export async function startSentinel(
  net: TestNetwork, host: string, root: string, primaryHost: string,
): Promise<ChildProcess> {
  const dir = join(root, `sentinel-${host}`);
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, 'sentinel.conf');
  writeFileSync(conf, [
    `port ${sentinelPort}`, `bind ${net.address(host)}`, 'protected-mode no', `dir ${dir}`,
    `sentinel monitor ${masterName} ${net.address(primaryHost)} ${redisPort} 2`,
    `sentinel down-after-milliseconds ${masterName} 1000`,
    `sentinel failover-timeout ${masterName} 4000`,
    `sentinel parallel-syncs ${masterName} 2`, '',
  ].join('\n'));
  const child = net.spawn(host, 'redis-sentinel', [conf]);
  await waitFor(`redis-sentinel on ${host}`, 10_000, async () => (await redisCli(net, host, sentinelPort, 'ping')) === 'PONG');
  return child;
}

/** The primary's address as a sentinel on `host` sees it. */
export async function sentinelPrimary(net: TestNetwork, host: string): Promise<string> {
  return (await redisCli(net, host, sentinelPort, 'sentinel', 'get-master-addr-by-name', masterName)).split('\n')[0] ?? '';
}

export async function connectedReplicas(net: TestNetwork, host: string): Promise<number> {
  const info = await redisCli(net, host, redisPort, 'info', 'replication');
  return Number(/connected_slaves:(\d+)/.exec(info)?.[1] ?? '0');
}

/** Exits of a child, for kill -9. */
export async function kill9(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}
