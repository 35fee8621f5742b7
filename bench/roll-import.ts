// Roll import benchmark: generates a sample Iowa roll, imports it into a private redis-server (AOF,
// appendfsync always, as in production) from a child process whose peak RSS is sampled from
// /proc/<pid>/status, and compares the import's speed with plain HSET pipelines of the same number
// of pre-encoded records into the same server (the raw Redis speed on this machine, same run).
//
//   node dist/bench/roll-import.js --voters 2200000 [--results bench/results]
//
// Writes <resultsDir>/roll-import.json.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { batchesInFlightMax, batchSizeRows } from '../src/roll/batch-writer.js';
import { generateRoll } from '../src/roll/generate.js';
import { importRoll, type ImportReport } from '../src/roll/import.js';
import { loadIowa } from '../src/roll/iowa/index.js';
import { jurisdictionKeys } from '../src/store/keys.js';
import { RedisServer } from '../src/store/redis-server.js';
import { RollStore } from '../src/store/roll-store.js';
import { benchArgument, isMainModule, writeBenchResult } from './support.js';

const seedDefault = 20_100_401;
const rssSampleIntervalMs = 50;
/** Distinct real records cycled through by the raw baseline; their sizes are the roll's. */
const rawRecordPoolSize = 10_000;
const rawIdBase = 100_000_000;
const votersMin = 1_000;

export interface RollImportBenchOptions {
  voters: number;
  resultsDir: string;
  seed?: number;
}

interface ChildResult {
  report: ImportReport;
  maxRssBytes: number;
}

interface RssPeak {
  vmHwmBytes: number;
  vmRssMaxBytes: number;
}

/** Reads VmHWM (peak resident set) and VmRSS of a live process; null once it is gone. */
function readRss(pid: number): RssPeak | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kilobytes = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { vmHwmBytes: kilobytes('VmHWM') * 1024, vmRssMaxBytes: kilobytes('VmRSS') * 1024 };
  } catch {
    return null;
  }
}

/** Runs the import in a child process (this file with --child) and samples its memory. */
interface ChildRun {
  child: ChildResult;
  rss: RssPeak;
  wallMs: number;
}

async function importInChild(socketPath: string, zipPath: string): Promise<ChildRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', socketPath, zipPath],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const rss: RssPeak = { vmHwmBytes: 0, vmRssMaxBytes: 0 };
  const sampler = setInterval(() => {
    const sample = child.pid === undefined ? null : readRss(child.pid);
    if (sample === null) return;
    rss.vmHwmBytes = Math.max(rss.vmHwmBytes, sample.vmHwmBytes);
    rss.vmRssMaxBytes = Math.max(rss.vmRssMaxBytes, sample.vmRssMaxBytes);
  }, rssSampleIntervalMs);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let result: ChildResult | undefined;
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      if (line.startsWith('{')) result = JSON.parse(line) as ChildResult;
    }
    const code = await exited;
    if (code !== 0 || result === undefined) throw new Error(`import child failed with exit code ${code}`);
  } finally {
    clearInterval(sampler);
  }
  return { child: result, rss, wallMs: performance.now() - started };
}

async function runChild(socketPath: string, zipPath: string): Promise<void> {
  const redis = new Redis({ path: socketPath });
  const store = new RollStore(redis, jurisdictionKeys('ia'));
  const report = await importRoll({ redis, jurisdiction: loadIowa(), zipPath,
    activate: (generation) => store.activateSimple(generation) });
  redis.disconnect();
  const result: ChildResult = { report: { ...report, badRowReports: [], warningReports: [] },
    maxRssBytes: process.resourceUsage().maxRSS * 1024 };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** A pool of real encoded records taken from the imported roll. */
async function recordPool(redis: Redis, store: RollStore): Promise<string[]> {
  const generation = await store.currentGeneration();
  if (generation === null) throw new Error('no roll imported');
  const [votersKey] = store.keysOfGeneration(generation);
  const pool: string[] = [];
  let cursor = '0';
  do {
    const [next, flat] = await redis.hscan(votersKey as string, cursor, 'COUNT', 1_000);
    for (let index = 1; index < flat.length; index += 2) pool.push(flat[index] as string);
    cursor = next;
  } while (cursor !== '0' && pool.length < rawRecordPoolSize);
  return pool;
}

/**
 * Writes `rows` pre-encoded records with HSET in pipelines of `batchSizeRows`, at most
 * `batchesInFlightMax` in flight (the importer's own window). `fieldsPerCommand` 1 is one HSET per
 * record; batchSizeRows is one multi-field HSET per batch.
 */
async function rawHset(redis: Redis, key: string, pool: readonly string[],
  shape: { rows: number; fieldsPerCommand: number }): Promise<number> {
  const { rows, fieldsPerCommand } = shape;
  const started = performance.now();
  const inFlight: Array<Promise<unknown>> = [];
  for (let start = 0; start < rows; start += batchSizeRows) {
    const pipeline = redis.pipeline();
    const end = Math.min(rows, start + batchSizeRows);
    for (let commandStart = start; commandStart < end; commandStart += fieldsPerCommand) {
      const args: string[] = [];
      for (let row = commandStart; row < Math.min(end, commandStart + fieldsPerCommand); row += 1) {
        args.push(String(rawIdBase + row), pool[row % pool.length] as string);
      }
      pipeline.hset(key, ...args);
    }
    inFlight.push(pipeline.exec());
    if (inFlight.length >= batchesInFlightMax) await inFlight.shift();
  }
  await Promise.all(inFlight);
  const elapsedMs = performance.now() - started;
  if ((await redis.hlen(key)) !== rows) throw new Error(`raw baseline wrote ${await redis.hlen(key)} of ${rows}`);
  await redis.unlink(key);
  return elapsedMs;
}

interface RawBaselines {
  method: string;
  onePerCommand: { ms: number; rowsPerSecond: number };
  multiField: { ms: number; rowsPerSecond: number };
}

async function rawBaselines(redis: Redis, store: RollStore, rows: number): Promise<RawBaselines> {
  const pool = await recordPool(redis, store);
  const averageRecordBytes = pool.reduce((sum, record) => sum + Buffer.byteLength(record), 0) / pool.length;
  const onePerCommandMs = await rawHset(redis, '{bench}:raw1', pool, { rows, fieldsPerCommand: 1 });
  const multiFieldMs = await rawHset(redis, '{bench}:rawN', pool, { rows, fieldsPerCommand: batchSizeRows });
  return {
    method: `HSET of ${rows} pre-encoded records (pool of ${pool.length} real records, avg ${averageRecordBytes.toFixed(0)} B), `
      + `pipelines of ${batchSizeRows}, ${batchesInFlightMax} in flight`,
    onePerCommand: { ms: onePerCommandMs, rowsPerSecond: rows / (onePerCommandMs / 1000) },
    multiField: { ms: multiFieldMs, rowsPerSecond: rows / (multiFieldMs / 1000) },
  };
}

function redisUsedMemory(info: string): number {
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? 0);
}

export async function benchRollImport(options: RollImportBenchOptions): Promise<Record<string, unknown>> {
  if (!Number.isSafeInteger(options.voters) || options.voters < votersMin) throw new RangeError(`voters must be ≥ ${votersMin}`);
  const seed = options.seed ?? seedDefault;
  const temp = mkdtempSync(join(tmpdir(), 'dn-bench-roll-'));
  const server = new RedisServer({ dir: join(temp, 'redis') });
  try {
    await server.start();
    const redis = new Redis({ path: server.socketPath });
    const store = new RollStore(redis, jurisdictionKeys('ia'));
    const generateStarted = performance.now();
    const roll = await generateRoll({ seed, voters: options.voters, jurisdiction: loadIowa(), outputPath: join(temp, 'roll.zip') });
    const generateMs = performance.now() - generateStarted;
    const imported = await importInChild(server.socketPath, roll.path);
    const report = imported.child.report;
    const redisMemoryBytes = redisUsedMemory(await redis.info('memory'));
    const raw = await rawBaselines(redis, store, report.votersImported);
    const importRowsPerSecond = report.rowsRead / (report.durationMs / 1000);
    redis.disconnect();
    const result = {
      benchmark: 'roll-import', voters: options.voters, seed,
      machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version,
        os: `${platform()} ${release()}`, memoryBytes: totalmem() },
      generate: { ms: generateMs, zipBytes: roll.bytes, sha256: roll.sha256, files: roll.files,
        votersPerSecond: options.voters / (generateMs / 1000) },
      import: {
        durationMs: report.durationMs, childWallMs: imported.wallMs, rowsPerSecond: importRowsPerSecond,
        rowsRead: report.rowsRead, votersImported: report.votersImported, badRows: report.badRows,
        warnings: report.warnings, csvBytes: report.bytesRead,
        peakRssBytes: imported.rss.vmHwmBytes, peakRssSource: '/proc/<pid>/status VmHWM sampled every 50 ms',
        sampledVmRssMaxBytes: imported.rss.vmRssMaxBytes, childSelfReportedMaxRssBytes: imported.child.maxRssBytes,
      },
      redis: { usedMemoryAfterImportBytes: redisMemoryBytes, persistence: 'AOF appendfsync always' },
      raw,
      ratioImportToRawOnePerCommand: importRowsPerSecond / raw.onePerCommand.rowsPerSecond,
      ratioImportToRawMultiField: importRowsPerSecond / raw.multiField.rowsPerSecond,
    };
    writeBenchResult(options.resultsDir, 'roll-import', result);
    return result;
  } finally {
    await server.stop();
    rmSync(temp, { recursive: true, force: true });
  }
}


if (isMainModule(import.meta.url)) {
  const childIndex = process.argv.indexOf('--child');
  if (childIndex >= 0) {
    const [socketPath, zipPath] = process.argv.slice(childIndex + 1);
    if (socketPath === undefined || zipPath === undefined) throw new Error('usage: --child <redis-socket> <zip>');
    await runChild(socketPath, zipPath);
  } else {
    const voters = Number(benchArgument('voters', '2200000'));
    const result = await benchRollImport({ voters, resultsDir: benchArgument('results', 'bench/results') });
    console.log(JSON.stringify(result, null, 2));
  }
}
