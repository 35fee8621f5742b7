// The gRPC ASR transport with real grpc-js servers on loopback: an utterance's audio reaches the
// worker intact and its N-best comes back; bad requests get INVALID_ARGUMENT with a reason and the
// worker keeps serving; a worker killed (-9) mid-utterance is replaced by another, which receives
// the whole utterance again; a stuck worker is cut by the deadline; with every worker down the
// client fails fast with AsrWorkersDownError (the dialog's cue to use the keypad). The engine
// behind the workers is ScriptedRecognizer, a named test double (see its file).
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { concatSamples } from '../../../src/speech/audio/samples.js';
import { newRecognitionClient, type WireRequest, type WireResponse } from '../../../src/speech/grpc/asr-proto.js';
import { startAsrWorker, type RunningAsrWorker } from '../../../src/speech/grpc/asr-worker.js';
import { AsrWorkersDownError, RemoteRecognizer } from '../../../src/speech/grpc/remote-recognizer.js';
import type { RecognizeOptions } from '../../../src/speech/recognizer.js';
import { cliPath } from '../../support/cli.js';
import { thrown } from '../../support/thrown.js';
import { scriptedAnswer, ScriptedRecognizer } from './scripted-recognizer.js';

const quiet = pino({ level: 'silent' });
const engineModule = fileURLToPath(new URL('./fixtures/scripted-engine.js', import.meta.url));
const utterance: RecognizeOptions = { context: 'yesno', noSpeechTimeoutMs: 3_000, maxSpeechMs: 5_000, nBest: 3 };

/** 20 ms frames of a deterministic waveform, so digests differ frame by frame. */
function frames(count: number, seed: number): Int16Array[] {
  return Array.from({ length: count }, (_, f) => Int16Array.from({ length: 160 },
    (_, i) => Math.round(8000 * Math.sin((seed + f * 160 + i) / 7))));
}


async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface WorkerProcess {
  readonly child: ChildProcess;
  readonly address: string;
  readonly streams: () => number;
  /** Kills the worker (if it still runs) and removes its temp dir, which a kill -9 leaves behind. */
  stop(): Promise<void>;
}

/** The real CLI `asr-worker` as a child process, serving the scripted engine, with a temp dir of its own. */
async function spawnWorker(): Promise<WorkerProcess> {
  const tmp = mkdtempSync(join(tmpdir(), 'dn-asr-worker-test-'));
  const child = spawn(process.execPath, [cliPath, 'asr-worker', '--listen', '127.0.0.1:0', '--engine-module', engineModule], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => { child.once('exit', () => resolve()); });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`asr-worker did not start: ${stderr}`)), 40_000);
    const check = (): void => {
      const match = /listening on (\S+)/.exec(stdout);
      if (match?.[1] !== undefined) { clearTimeout(timer); resolve(match[1]); }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`asr-worker exited ${code}: ${stderr}`)); });
  });
  return { child, address, streams: () => stdout.split('\n').filter((l) => l.startsWith('stream ')).length,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      rmSync(tmp, { recursive: true, force: true });
    } };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('speech/grpc: ASR workers and the client pool over real gRPC', function () {
  this.timeout(60_000);
  const cleanups: Array<() => Promise<void> | void> = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function inProcessWorker(recognizer: ScriptedRecognizer): Promise<RunningAsrWorker> {
    const worker = await startAsrWorker({ listen: '127.0.0.1:0', recognizer, logger: quiet });
    cleanups.push(() => worker.close());
    return worker;
  }

  function pool(workers: string[], options: { deadlineSlackMs?: number } = {}): RemoteRecognizer {
    const recognizer = new RemoteRecognizer({ workers, logger: quiet, healthIntervalMs: 60_000, ...options });
    cleanups.push(() => recognizer.close());
    return recognizer;
  }

  it('carries an utterance to a worker and its N-best back, with one speech-start', async () => {
    const worker = await inProcessWorker(new ScriptedRecognizer({ speechAfterMs: 100 }));
    const remote = pool([worker.address]);
    const audio = frames(50, 1);
    const stream = remote.start({ ...utterance, grammarKey: 'gen3/city:ames' });
    let speechStarts = 0;
    stream.onSpeechStart(() => { speechStarts += 1; });
    for (const frame of audio) stream.write(frame);
    stream.end();
    const result = await stream.result;
    expect(result.end).to.equal('finished');
    expect(result.hypotheses.map((h) => h.text)).to.deep.equal([scriptedAnswer(concatSamples(audio))]);
    expect(result.hypotheses[0]?.phones).to.deep.equal(['HH', 'ER', 'D']);
    expect(result.hypotheses[0]?.confidence).to.be.closeTo(0.9, 1e-6);
    expect(result.speechMs).to.equal(1000);
    expect(speechStarts).to.equal(1);
    expect((await remote.checkHealth())[0]?.healthy).to.equal(true);
  });

  it('refuses bad requests with INVALID_ARGUMENT and a reason, and keeps serving', async () => {
    const worker = await inProcessWorker(new ScriptedRecognizer());
    const client = newRecognitionClient(worker.address);
    cleanups.push(() => client.close());
    const refusal = (messages: object[]): Promise<grpc.ServiceError> => new Promise((resolve, reject) => {
      const call = client.Recognize({ deadline: Date.now() + 5_000 });
      call.on('data', (message: WireResponse) => reject(new Error(`unexpected ${message.response}`)));
      call.on('error', resolve);
      call.on('end', () => reject(new Error('ended without an error')));
      for (const message of messages) call.write(message as WireRequest);
      call.end();
    });
    const config = { request: 'config', config: { context: 'yesno', grammarKey: '', noSpeechTimeoutMs: 1000, maxSpeechMs: 1000, nBest: 1 } };
    const noConfig = await refusal([{ request: 'audio', audio: Buffer.alloc(320) }]);
    expect(noConfig.code).to.equal(grpc.status.INVALID_ARGUMENT);
    expect(noConfig.details).to.match(/first message of a stream must be its config/);
    const odd = await refusal([config, { request: 'audio', audio: Buffer.alloc(321) }]);
    expect(odd.code).to.equal(grpc.status.INVALID_ARGUMENT);
    expect(odd.details).to.match(/321 bytes is not 16-bit PCM/);
    const huge = await refusal([config, { request: 'audio', audio: Buffer.alloc(40_000) }]);
    expect(huge.details).to.match(/exceeds 16000/);
    const context = await refusal([{ ...config, config: { ...config.config, context: 'weather' } }]);
    expect(context.details).to.match(/unknown grammar context "weather"/);
    const nBest = await refusal([{ ...config, config: { ...config.config, nBest: 0 } }]);
    expect(nBest.details).to.match(/n_best must be 1-10, got 0/);
    // The worker is still fine for the next caller.
    const stream = pool([worker.address]).start(utterance);
    stream.write(frames(1, 2)[0] ?? new Int16Array());
    stream.end();
    expect((await stream.result).hypotheses).to.have.length(1);
  });

  it('finishes an utterance on another worker when its worker is killed -9 mid-stream', async () => {
    const workers = await Promise.all([spawnWorker(), spawnWorker()]);
    for (const worker of workers) cleanups.push(() => worker.stop());
    const remote = pool(workers.map((w) => w.address));
    const audio = frames(60, 3);
    const stream = remote.start(utterance);
    let speechStarts = 0;
    stream.onSpeechStart(() => { speechStarts += 1; });
    for (const frame of audio.slice(0, 30)) stream.write(frame);
    await waitFor(() => workers.some((w) => w.streams() === 1), 'a worker to take the stream');
    const victim = workers.find((w) => w.streams() === 1);
    const survivor = workers.find((w) => w !== victim);
    victim?.child.kill('SIGKILL');
    await new Promise((resolve) => victim?.child.once('exit', resolve));
    const killedAt = Date.now();
    for (const frame of audio.slice(30)) stream.write(frame);
    stream.end();
    const result = await stream.result;
    const failoverMs = Date.now() - killedAt;
    expect(failoverMs).to.be.below(3_000);
    // The survivor heard the utterance from its first sample: the client replayed it.
    expect(result.hypotheses[0]?.text).to.equal(scriptedAnswer(concatSamples(audio)));
    expect(survivor?.streams()).to.equal(1);
    expect(speechStarts).to.equal(1);
    const health = await remote.checkHealth();
    expect(health.find((w) => w.address === victim?.address)?.healthy).to.equal(false);
    expect(health.find((w) => w.address === survivor?.address)?.healthy).to.equal(true);
  });

  it('cuts a stuck worker at the deadline and answers from the next one', async () => {
    const stuck = new ScriptedRecognizer({ hang: true });
    const stuckWorker = await inProcessWorker(stuck);
    const goodWorker = await inProcessWorker(new ScriptedRecognizer());
    const remote = pool([stuckWorker.address, goodWorker.address], { deadlineSlackMs: 300 });
    const audio = frames(10, 4);
    const started = Date.now();
    const stream = remote.start({ ...utterance, noSpeechTimeoutMs: 200, maxSpeechMs: 300 });
    for (const frame of audio) stream.write(frame);
    stream.end();
    const result = await stream.result;
    const elapsed = Date.now() - started;
    expect(stuck.streams).to.have.length(1);
    expect(result.hypotheses[0]?.text).to.equal(scriptedAnswer(concatSamples(audio)));
    expect(elapsed).to.be.at.least(700).and.below(3_000);
    // Only one stuck stream: that worker still answers pings, so it is not marked down.
    expect((await remote.checkHealth()).map((w) => w.healthy)).to.deep.equal([true, true]);
  });

  it('fails fast with AsrWorkersDownError when every worker is down', async () => {
    const remote = pool([`127.0.0.1:${await freePort()}`, `127.0.0.1:${await freePort()}`]);
    const started = Date.now();
    const stream = remote.start(utterance);
    stream.write(frames(1, 5)[0] ?? new Int16Array());
    const error = await thrown(() => stream.result);
    expect(error).to.be.instanceOf(AsrWorkersDownError);
    expect(Date.now() - started).to.be.below(2_000);
    // Now both are known down: the next utterance is refused at once.
    expect(() => remote.start(utterance)).to.throw(AsrWorkersDownError, 'every ASR worker is down');
  });
});
