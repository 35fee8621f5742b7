// Scale benchmark (issue 9): votes and payments per second through the app services with 1, 2 and 4
// app processes on one Redis (a local redis-server, AOF appendfsync always), each process a load
// driver (test/cluster/support/load-driver.ts) with voters of its own; the ratio is against one process
// in the same run. The Cluster and failover figures of the issue are NOT measured here yet: failover
// time and writes lost are printed by test/cluster/failover.test.ts (see README "Beyond one machine").
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RedisServer } from '../src/store/redis-server.js';
import { writeIowaZip, type HandVoter } from '../test/support/iowa-zip.js';
import { benchArgument, isMainModule, writeBenchResult } from './support.js';

const driverPath = fileURLToPath(new URL('../test/cluster/support/load-driver.js', import.meta.url));
const votersPerProcess = 10;
const processCounts = [1, 2, 4];

interface Lines { acks: number; fails: number }

function runDriver(args: string[], env: Record<string, string>): Promise<Lines & { code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [driverPath, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.once('error', reject);
    child.once('exit', (code) => {
      const lines = stdout.split('\n');
      resolve({ code: code ?? -1, stderr, acks: lines.filter((line) => line.includes('"ack":')).length,
        fails: lines.filter((line) => line.includes('"fail":')).length });
    });
  });
}

interface Row { processes: number; writesPerSecond: number; refused: number }

async function measure(processes: number, durationMs: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'dn-scale-'));
  const server = new RedisServer({ dir: join(dir, 'r') });
  await server.start();
  try {
    const voters: HandVoter[] = Array.from({ length: processes * votersPerProcess }, (_, i) => ({
      id: String(60001 + i), first: `first${String.fromCharCode(97 + (i % 26))}`, last: `scale${String.fromCharCode(97 + Math.floor(i / 26))}`,
      city: 'ames', county: 'story', phone: `5155${String(600001 + i).padStart(6, '0')}`,
    }));
    await writeIowaZip(join(dir, 'roll.zip'), voters);
    const env = { REDIS_SOCKET: server.socketPath, DATA_DIR: dir, SOVEREIGN_PHONES: voters[0]?.phone ?? '', LOG_LEVEL: 'warn' };
    const ids = voters.map((voter) => voter.id);
    const setup = await runDriver(['setup', join(dir, 'roll.zip'), ids.join(','), '10000000'], env);
    if (setup.code !== 0) throw new Error(`setup failed: ${setup.stderr}`);
    const runs = await Promise.all(Array.from({ length: processes }, (_, p) => runDriver(
      ['load', ids.slice(p * votersPerProcess, (p + 1) * votersPerProcess).join(','), String(durationMs), `p${p}`],
      { ...env, AUDIT_LOG: join(dir, `log-${p}.txt`) })));
    for (const run of runs) if (run.code !== 0) throw new Error(`driver failed: ${run.stderr}`);
    const acks = runs.reduce((sum, run) => sum + run.acks, 0);
    const refused = runs.reduce((sum, run) => sum + run.fails, 0);
    return { processes, writesPerSecond: Math.round(acks / (durationMs / 1000)), refused };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchScale(options: { resultsDir: string }): Promise<Record<string, unknown>> {
  const durationMs = Number(benchArgument('duration-ms', process.env.BENCH_SCALE_MS ?? '8000'));
  const rows = [];
  for (const processes of processCounts) rows.push(await measure(processes, durationMs));
  const baseline = rows[0]?.writesPerSecond ?? 1;
  const result = {
    what: 'acknowledged votes + payments per second through the app services (full commit), one local redis-server',
    durationMs,
    rows: rows.map((row) => ({ ...row, ratioToOneProcess: Number((row.writesPerSecond / baseline).toFixed(2)) })),
    notMeasured: ['3-primary Cluster with several jurisdictions', 'failover time (see test/cluster/failover.test.ts)'],
  };
  writeBenchResult(options.resultsDir, 'scale', result);
  return result;
}

if (isMainModule(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await benchScale({ resultsDir: benchArgument('results', 'bench/results') }), null, 2)}\n`);
}
