// Prompts reach FreeSWITCH as files: 8 kHz mono 16-bit PCM WAV in a directory both can read
// (a shared volume in docker-compose). Written atomically (temp name, rename) so FreeSWITCH never
// opens half a file.
import { randomBytes } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const wavSampleRate = 8_000;

export function wavBytes(samples: Int16Array): Buffer {
  const data = samples.length * 2;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(wavSampleRate, 24);
  header.writeUInt32LE(wavSampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data, 40);
  const body = Buffer.allocUnsafe(data);
  for (let index = 0; index < samples.length; index += 1) body.writeInt16LE(samples[index] ?? 0, index * 2);
  return Buffer.concat([header, body]);
}

/** Writes one prompt and returns its path. */
export async function writePromptWav(dir: string, callId: string, samples: Int16Array): Promise<string> {
  const name = `${callId.replace(/[^A-Za-z0-9-]/g, '_').slice(0, 64)}-${randomBytes(6).toString('hex')}.wav`;
  const path = join(dir, name);
  await writeFile(`${path}.tmp`, wavBytes(samples));
  await rename(`${path}.tmp`, path);
  return path;
}
