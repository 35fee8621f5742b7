// Prompts: text to 8 kHz mono 16-bit speech with flite (a local engine, installed by scripts/setup),
// cached on disk by SHA-256 of voice and text so each prompt is synthesized once per machine. The
// disk cache is written atomically (temp file + rename), so concurrent processes never read half a file.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withoutAccents } from '../core/plain-letters.js';

export const promptSampleRateHz = 8000;
const promptTextCharactersMax = 4000;
const synthesisTimeoutMs = 30_000;
const memoryCacheEntriesMax = 64;
const wavBytesMax = 64 * 1024 * 1024;

export class PromptError extends Error {
  override name = 'PromptError';
}

export interface PromptSynthesizerOptions {
  readonly cacheDir: string;
  /** A flite voice: `kal` (8 kHz) by default; 16 kHz voices are decimated to 8 kHz. */
  readonly voice?: string;
  readonly fliteBinary?: string;
}

export class PromptSynthesizer {
  private readonly voice: string;
  private readonly binary: string;
  private readonly memory = new Map<string, Int16Array>();
  private readonly inFlight = new Map<string, Promise<Int16Array>>();

  constructor(private readonly options: PromptSynthesizerOptions) {
    this.voice = options.voice ?? 'kal';
    this.binary = options.fliteBinary ?? 'flite';
    if (!/^[A-Za-z0-9_]+$/.test(this.voice)) throw new PromptError(`invalid flite voice "${this.voice}"`);
  }

  cacheKey(text: string): string {
    return createHash('sha256').update(`${this.voice}\u0000${text}`).digest('hex');
  }

  /** 8 kHz mono 16-bit samples of `text`. */
  async synthesize(text: string): Promise<Int16Array> {
    // flite reads ASCII: an accented letter of a voter's name ("Núñez") would be dropped from what it says.
    const trimmed = withoutAccents(text).trim();
    if (trimmed.length === 0 || trimmed.length > promptTextCharactersMax) {
      throw new PromptError(`prompt text must be 1-${promptTextCharactersMax} characters`);
    }
    const key = this.cacheKey(trimmed);
    const cached = this.memory.get(key);
    if (cached !== undefined) return cached;
    const running = this.inFlight.get(key);
    if (running !== undefined) return running;
    const work = this.load(key, trimmed).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, work);
    const samples = await work;
    if (this.memory.size >= memoryCacheEntriesMax) this.memory.delete(this.memory.keys().next().value ?? '');
    this.memory.set(key, samples);
    return samples;
  }

  private async load(key: string, text: string): Promise<Int16Array> {
    const path = join(this.options.cacheDir, `${key}.pcm`);
    try {
      return pcmFromBytes(await readFile(path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await mkdir(this.options.cacheDir, { recursive: true });
    const wavPath = join(this.options.cacheDir, `${key}.${randomBytes(6).toString('hex')}.wav`);
    try {
      await runFlite(this.binary, ['-voice', this.voice, '-t', text, '-o', wavPath]);
      const samples = decodeWav(await readFile(wavPath));
      const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temporary, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
      await rename(temporary, path);
      return samples;
    } finally {
      await rm(wavPath, { force: true });
    }
  }
}

function runFlite(binary: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { timeout: synthesisTimeoutMs, maxBuffer: 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) reject(new PromptError(`flite failed: ${error.message} ${String(stderr).slice(0, 200)}`));
      else resolve();
    });
  });
}

function pcmFromBytes(bytes: Buffer): Int16Array {
  if (bytes.length % 2 !== 0) throw new PromptError('cached prompt has an odd byte count');
  const copy = new Int16Array(bytes.length / 2);
  for (let index = 0; index < copy.length; index += 1) copy[index] = bytes.readInt16LE(index * 2);
  return copy;
}

/** PCM 16-bit mono WAV at 8 kHz, or at a multiple of it (decimated by averaging). */
export function decodeWav(bytes: Buffer): Int16Array {
  if (bytes.length > wavBytesMax || bytes.length < 12) throw new PromptError('WAV size out of range');
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') throw new PromptError('not a WAV file');
  let offset = 12;
  let format: { channels: number; rate: number; bits: number; code: number } | null = null;
  // Bounded: each chunk advances offset by at least 8 bytes.
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && size >= 16 && body + 16 <= bytes.length) {
      format = {
        code: bytes.readUInt16LE(body), channels: bytes.readUInt16LE(body + 2),
        rate: bytes.readUInt32LE(body + 4), bits: bytes.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (format === null || format.code !== 1 || format.channels !== 1 || format.bits !== 16) throw new PromptError('WAV must be PCM 16-bit mono');
      const factor = format.rate / promptSampleRateHz;
      if (!Number.isInteger(factor) || factor < 1 || factor > 6) throw new PromptError(`unsupported WAV rate ${format.rate} Hz`);
      const count = Math.floor(Math.min(size, bytes.length - body) / 2);
      const output = new Int16Array(Math.floor(count / factor));
      for (let index = 0; index < output.length; index += 1) {
        let sum = 0;
        for (let tap = 0; tap < factor; tap += 1) sum += bytes.readInt16LE(body + (index * factor + tap) * 2);
        output[index] = Math.round(sum / factor);
      }
      return output;
    }
    offset = body + size + (size % 2);
  }
  throw new PromptError('WAV has no data chunk');
}
