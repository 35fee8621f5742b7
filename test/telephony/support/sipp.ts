// Runs the real sipp binary (Debian sip-tester) against our endpoint, with ports chosen free at run
// time and everything written into a temp dir.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const scenarioDir = fileURLToPath(new URL('../../../../test/sipp/', import.meta.url));

export interface SippResult {
  code: number;
  mediaPort: number;
  stdout: string;
  stderr: string;
}

/**
 * Ports handed to sipp and fake trunks: below Linux's ephemeral range (32768-60999), so no bind(0) anywhere can
 * take one between our check and sipp's bind, and apart from the ranges tests give the endpoint's RTP
 * (30000-50000), the product's default RTP range (20000-20999) and baresip's (56000+). Handed out in turn, four
 * apart (sipp binds its media port and the one two above for video), so two calls never get the same port,
 * as two bind(0) probes once did (sipp then failed with "Unable to bind audio RTP socket").
 */
const testPortMin = 21_000;
const testPortMax = 29_996;
const testPortStep = 4;
let nextTestPort = testPortMin + testPortStep * (process.pid % ((testPortMax - testPortMin) / testPortStep));

/** A UDP port free a moment ago and not handed out recently (even, so it can also serve as an RTP port). */
export async function freeUdpPort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = nextTestPort;
    nextTestPort = nextTestPort + testPortStep > testPortMax ? testPortMin : nextTestPort + testPortStep;
    if (await udpBindable(port)) return port;
  }
  throw new Error(`no free UDP port in ${testPortMin}-${testPortMax}`);
}

async function udpBindable(port: number): Promise<boolean> {
  const socket = createSocket('udp4');
  const bound = await new Promise<boolean>((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => resolve(true));
  });
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return bound;
}

export interface SippRun {
  readonly scenario: string;
  readonly target: string;
  readonly cwd: string;
  readonly extraArgs?: readonly string[];
  readonly timeoutMs?: number;
}

export async function runSipp(run: SippRun & { readonly port?: number }): Promise<SippResult> {
  const port = run.port ?? await freeUdpPort();
  const mediaPort = await freeUdpPort();
  const args = [
    '-sf', `${scenarioDir}${run.scenario}`, ...(run.target.length > 0 ? [run.target] : []), '-i', '127.0.0.1', '-mi', '127.0.0.1', '-p', String(port),
    '-mp', String(mediaPort), '-m', '1', '-nostdin', '-timeout', `${Math.round((run.timeoutMs ?? 20_000) / 1000)}s`,
    '-timeout_error', '-trace_err', '-error_file', `${run.cwd}/errors.log`, '-s', '5550001', ...(run.extraArgs ?? []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('sipp', args, { cwd: run.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout = (stdout + chunk.toString()).slice(-20_000); });
    child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-20_000); });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? -1, mediaPort, stdout, stderr }));
  });
}

/**
 * Starts sipp as the far end (a UAS on `port`) and resolves once its SIP socket is bound, so our first
 * INVITE is never sent to a closed port. A fixed pause was not enough on a loaded machine. The result
 * is wrapped so that awaiting this does not await sipp's exit; sipp exiting first is an error.
 */
export async function startSippServer(
  run: SippRun & { readonly port: number },
): Promise<{ done: Promise<SippResult> }> {
  const done = runSipp(run);
  let exited: SippResult | null = null;
  void done.then((result) => { exited = result; }, () => undefined);
  const deadline = Date.now() + 15_000;
  while (!(await udpPortBound(run.port))) {
    const result = exited as SippResult | null;
    if (result !== null) {
      const output = `${result.stderr.slice(-500)}${result.stdout.slice(-500)}`;
      throw new Error(`sipp exited (${result.code}) before binding port ${run.port}: ${output}`);
    }
    if (Date.now() > deadline) throw new Error(`sipp did not bind UDP port ${run.port} within 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { done };
}

/** Whether a local UDP socket is bound to `port` (/proc/net/udp and udp6 list local addresses as hex ADDR:PORT). */
async function udpPortBound(port: number): Promise<boolean> {
  const suffix = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const table of ['/proc/net/udp', '/proc/net/udp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const local = line.trim().split(/\s+/)[1];
      if (local?.endsWith(suffix) === true) return true;
    }
  }
  return false;
}
