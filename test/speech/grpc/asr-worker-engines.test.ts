// The built-in engines of `asr-worker`: a real CLI worker running pocketsphinx recognizes real
// synthesized telephone speech for a RemoteRecognizer over gRPC; asking for Vosk without a model is a
// clear error, never a silent fallback.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { RemoteRecognizer } from '../../../src/speech/grpc/remote-recognizer.js';
import { parseYesNo } from '../../../src/speech/parse/yes-no.js';
import { recognize } from '../support/recognize.js';
import { telephoneSpeech } from '../support/telephone-tts.js';

const cliPath = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'src', 'cli', 'main.js');

interface Started {
  readonly child: ChildProcess;
  readonly address: Promise<string>;
  readonly exited: Promise<{ code: number | null; stderr: string }>;
}

function startWorker(engine: string): Started {
  const child = spawn(process.execPath, [cliPath, 'asr-worker', '--listen', '127.0.0.1:0', '--engine', engine], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    child.once('exit', (code) => resolve({ code, stderr }));
  });
  const address = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (\S+)/.exec(stdout);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    void exited.then(({ code }) => reject(new Error(`asr-worker exited ${code}: ${stderr}`)));
  });
  address.catch(() => undefined);
  return { child, address, exited };
}

describe('speech/grpc: asr-worker with its built-in engines', function () {
  this.timeout(90_000);
  let dir: string;

  before(() => { dir = mkdtempSync(join(tmpdir(), 'dn-asr-engines-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--engine pocketsphinx recognizes telephone speech for a remote pool', async () => {
    const worker = startWorker('pocketsphinx');
    const pool = new RemoteRecognizer({ workers: [await worker.address], logger: pino({ level: 'silent' }) });
    try {
      const result = await recognize(pool, await telephoneSpeech('no', 'flite-kal', dir), { context: 'yesno' });
      expect(parseYesNo(result.hypotheses[0]?.text ?? '')).to.equal('no');
      expect(result.speechStarts).to.equal(1);
    } finally {
      await pool.close();
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
  });

  it('--engine vosk without VOSK_MODEL stops with what to do', async () => {
    const { code, stderr } = await startWorker('vosk').exited;
    expect(code).to.not.equal(0);
    expect(stderr).to.include('VOSK_MODEL').and.to.include('models/README.md');
  });
});
