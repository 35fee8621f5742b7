// Web benchmark: requests per second of a bill page (server-rendered tally, chart and top
// influencers) with a large roll loaded, against /healthz (one Redis PING, no page) on the same
// server in the same run as the baseline. Also the cold first view (loading the state and resolving
// the tally) and the memory of the process.
//
//   node dist/bench/web.js [--voters 2200000] [--results bench/results] [--seconds 10]
//
// Setup: a private redis-server (unix socket, AOF), a generated roll imported through the real
// importer, and a seeded democracy written straight into the Redis projection with pipelined HSETs
// (60 % delegators, 5 % direct voters): the benchmark measures reads, so the setup skips the commit
// path to finish in minutes. The HTTP client runs in this process (keep-alive fetch, 32 requests in
// flight), so both figures pay for it alike; they alternate in one-second slices. Writes <resultsDir>/web.json.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createContext } from '../src/app/context.js';
import { importRollFile } from '../src/app/roll-import-service.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/config/logger.js';
import { generateRoll } from '../src/roll/generate.js';
import { jurisdictionFor } from '../src/roll/jurisdictions.js';
import { Prng } from '../src/roll/prng.js';
import { RedisServer } from '../src/store/redis-server.js';
import { startWebServer } from '../src/web/web-server.js';
import { benchArgument, isMainModule, writeBenchResult } from './support.js';

const bill = 'hr1';
const inFlight = 32;
const roundCount = 2;
const delegatorShare = 0.6;
const directVoterShare = 0.05;
const projectionBatch = 5_000;

async function load(url: string, seconds: number): Promise<{ perSecond: number; requests: number; failures: number }> {
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  let requests = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) requests += 1;
      else failures += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { perSecond: requests / ((performance.now() - started) / 1000), requests, failures };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function benchWeb(
  options: { voters: number; resultsDir: string; seconds?: number },
): Promise<Record<string, unknown>> {
  const seconds = options.seconds ?? 10;
  const dir = mkdtempSync(join(tmpdir(), 'dn-bench-web-'));
  const server = new RedisServer({ dir: join(dir, 'redis') });
  await server.start();
  const config = loadConfig({ REDIS_SOCKET: server.socketPath, DATA_DIR: dir, LOG_LEVEL: 'warn' });
  const context = await createContext(config, createLogger('warn'));
  try {
    const setupStarted = performance.now();
    const rollPath = join(dir, 'roll.zip');
    await generateRoll({ seed: 3, voters: options.voters, outputPath: rollPath, jurisdiction: jurisdictionFor('iowa') });
    await importRollFile(context, rollPath);
    rmSync(rollPath);
    await context.democracy.addBills([{ id: bill, number: 'H.R. 1', title: 'Benchmark Act', week: '2026-11-23' }], 'import');
    const ids: string[] = [];
    for await (const batch of context.roll.scanVoters({ batchSize: 10_000 })) {
      for (const voter of batch) ids.push(voter.id);
    }
    const prng = new Prng(9);
    const { redis } = context.connection;
    for (let start = 0; start < ids.length; start += projectionBatch) {
      const pipeline = redis.pipeline();
      for (let index = start; index < Math.min(ids.length, start + projectionBatch); index += 1) {
        const draw = prng.int(1_000_000) / 1_000_000;
        const voter = ids[index] as string;
        if (draw < directVoterShare) {
          pipeline.hset(context.store.votesKey(bill), voter, ['yes', 'no', 'abstain'][prng.int(3)] as string);
        } else if (draw < directVoterShare + delegatorShare && index > 0) {
          pipeline.hset(context.store.defaultsKey, voter, JSON.stringify([ids[prng.int(index)]]));
        }
      }
      await pipeline.exec();
    }
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    const web = await startWebServer(context, '127.0.0.1:0', { cookieSecure: true });
    try {
      const coldStarted = performance.now();
      const cold = await fetch(`${web.url}/bills/${bill}`);
      const page = await cold.text();
      const coldMs = performance.now() - coldStarted;
      if (cold.status !== 200 || !page.includes('data-tally="yes"')) throw new Error(`bill page failed: ${cold.status}`);
      // Alternating one-second slices: this machine's load swings, and each figure must see the same load.
      const rounds: Array<{ healthz: number; bill: number; billFailures: number }> = [];
      for (let round = 0; round < roundCount; round += 1) {
        let healthzRequests = 0;
        let billRequests = 0;
        let failures = 0;
        for (let slice = 0; slice < seconds; slice += 1) {
          const healthz = await load(`${web.url}/healthz`, 1);
          const billPage = await load(`${web.url}/bills/${bill}`, 1);
          healthzRequests += healthz.perSecond;
          billRequests += billPage.perSecond;
          failures += billPage.failures + healthz.failures;
        }
        rounds.push({ healthz: healthzRequests / seconds, bill: billRequests / seconds, billFailures: failures });
        process.stdout.write(`  round ${round + 1}: bill page ${(billRequests / seconds).toFixed(0)}/s, `
          + `/healthz ${(healthzRequests / seconds).toFixed(0)}/s\n`);
      }
      const billPerSecond = median(rounds.map((round) => round.bill));
      const healthzPerSecond = median(rounds.map((round) => round.healthz));
      const result = {
        benchmark: 'web', voters: options.voters, registered: await context.roll.count(),
        setupSeconds: Number(setupSeconds.toFixed(1)), billPageBytes: page.length,
        coldBillPageMs: Number(coldMs.toFixed(0)),
        billPageRequestsPerSecond: Number(billPerSecond.toFixed(0)),
        baselineHealthzRequestsPerSecond: Number(healthzPerSecond.toFixed(0)),
        ratioBillPageToHealthz: Number((billPerSecond / healthzPerSecond).toFixed(3)),
        requestsInFlight: inFlight, secondsPerRound: seconds, rounds,
        peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
        machine: { platform: platform(), release: release(), cpus: cpus().length, loadAverage1m: loadavg()[0] },
        note: 'client and server in one process; the bill page is served from the tally cache after the cold view',
      };
      writeBenchResult(options.resultsDir, 'web', result);
      return result;
    } finally {
      await web.close();
    }
  } finally {
    await context.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMainModule(import.meta.url)) {
  const result = await benchWeb({ voters: Number(benchArgument('voters', '2200000')),
    resultsDir: benchArgument('results', 'bench/results'), seconds: Number(benchArgument('seconds', '10')) });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
