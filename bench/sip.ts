// SIP benchmark: sipp's built-in UAC (INVITE → 200 → ACK → pause → BYE, PCMU offer) against the
// embedded endpoint at rising call rates; the figure is the highest rate with 0 failed calls. The
// baseline in the same run is sipp's own UAS (`-sn uas`, C++, no media) on another port.
//
//   node dist/bench/sip.js [--results bench/results] [--rates 25,50,100,200,400] [--seconds 4]
//
// Writes <resultsDir>/sip.json. Each answered call also runs its RTP session (20 ms pacing), so the
// endpoint's figure includes media; sipp's UAS sends none.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, platform, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { SipEndpoint } from '../src/telephony/endpoint.js';
import { benchArgument, freePort, isMainModule, writeBenchResult } from './support.js';

const callHoldMs = 500;
const ratesDefault = [50, 100, 200, 400, 800, 1200, 1600, 2400, 3200, 4800];
const secondsPerRateDefault = 4;
const sippTimeoutSlackSeconds = 20;

export interface SipBenchOptions {
  readonly resultsDir: string;
  readonly rates?: readonly number[];
  readonly secondsPerRate?: number;
}

interface RateRun {
  readonly rateCps: number;
  readonly calls: number;
  readonly successful: number;
  readonly failed: number;
  readonly exitCode: number;
  readonly elapsedMs: number;
  /** Finished within 25% of the nominal time: the target kept up, rather than sipp queueing calls. */
  readonly sustained: boolean;
}

function runProcess(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sipp', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout = (stdout + chunk.toString()).slice(-8000); });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? -1, stdout }));
  });
}

function counter(stdout: string, name: string): number {
  const match = new RegExp(`${name}\\s+\\|\\s+\\d+\\s+\\|\\s+(\\d+)`).exec(stdout);
  return match === null ? -1 : Number(match[1]);
}

async function runRate(target: string, rateCps: number, seconds: number, cwd: string): Promise<RateRun> {
  const calls = Math.max(1, Math.round(rateCps * seconds));
  const started = Date.now();
  const { code, stdout } = await runProcess([
    '-sn', 'uac', target, '-i', '127.0.0.1', '-p', String(await freePort()), '-mi', '127.0.0.1', '-mp', String(await freePort()),
    '-r', String(rateCps), '-m', String(calls), '-d', String(callHoldMs), '-nostdin',
    '-timeout', `${seconds + sippTimeoutSlackSeconds}s`, '-timeout_error', '-max_socket', '2000',
  ], cwd);
  const elapsedMs = Date.now() - started;
  return {
    rateCps, calls, successful: counter(stdout, 'Successful call'), failed: counter(stdout, 'Failed call'), exitCode: code,
    elapsedMs, sustained: elapsedMs <= (seconds * 1000 + callHoldMs) * 1.25,
  };
}

/** Rising rates until the first with a failed call (or sipp error); returns every run. */
async function sweep(target: string, rates: readonly number[], seconds: number, cwd: string): Promise<RateRun[]> {
  const runs: RateRun[] = [];
  for (const rate of rates) {
    const run = await runRate(target, rate, seconds, cwd);
    runs.push(run);
    if (!clean(run)) break;
  }
  return runs;
}

function clean(run: RateRun): boolean {
  return run.exitCode === 0 && run.failed === 0 && run.successful === run.calls && run.sustained;
}

/** The figure: the highest rate with every call successful and completed in (about) real time. */
function highestClean(runs: readonly RateRun[]): number {
  let best = 0;
  for (const run of runs) if (clean(run)) best = Math.max(best, run.rateCps);
  return best;
}

export async function benchSip(options: SipBenchOptions) {
  const rates = options.rates ?? ratesDefault;
  const seconds = options.secondsPerRate ?? secondsPerRateDefault;
  const cwd = mkdtempSync(join(tmpdir(), 'dn-bench-sip-'));
  const endpoint = new SipEndpoint({
    host: '127.0.0.1', port: 0, rtpPortMin: 40_000, rtpPortMax: 49_999, logger: pino({ level: 'silent' }),
  });
  let uas: ReturnType<typeof spawn> | null = null;
  try {
    await endpoint.start();
    let answered = 0;
    endpoint.on('call', () => { answered += 1; });
    const endpointRuns = await sweep(`127.0.0.1:${endpoint.port}`, rates, seconds, cwd);
    await endpoint.close();
    const uasPort = await freePort();
    uas = spawn('sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(uasPort), '-nostdin', '-mi', '127.0.0.1',
      '-mp', String(await freePort())], { cwd, stdio: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const baselineRuns = await sweep(`127.0.0.1:${uasPort}`, rates, seconds, cwd);
    const result = {
      benchmark: 'sip',
      scenario: `sipp -sn uac: INVITE (PCMU SDP) → 100/180/200 → ACK → ${callHoldMs} ms → BYE → 200; ${seconds} s per rate`,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', platform: platform(), release: release(), node: process.version },
      endpoint: { highestCpsWithoutFailure: highestClean(endpointRuns), callsAnswered: answered, runs: endpointRuns },
      baseline: { name: 'sipp -sn uas (no media)', highestCpsWithoutFailure: highestClean(baselineRuns), runs: baselineRuns },
    };
    writeBenchResult(options.resultsDir, 'sip', result);
    return result;
  } finally {
    uas?.kill('SIGTERM');
    await endpoint.close();
    rmSync(cwd, { recursive: true, force: true });
  }
}


if (isMainModule(import.meta.url)) {
  const resultsDir = benchArgument('results', 'bench/results');
  const rates = benchArgument('rates', ratesDefault.join(',')).split(',').map(Number);
  const secondsPerRate = Number(benchArgument('seconds', String(secondsPerRateDefault)));
  const result = await benchSip({ resultsDir, rates, secondsPerRate });
  console.log(JSON.stringify(result, null, 2));
}
