// Runs the corpus generator (dist/src/speech/corpus/make.js) as scripts/make-corpus does, without its setup.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const makeScript = fileURLToPath(new URL('../../../src/speech/corpus/make.js', import.meta.url));

export function runMake(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [makeScript, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? -1, stderr }));
  });
}
