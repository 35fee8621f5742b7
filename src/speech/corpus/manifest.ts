// The corpus manifest (test-audio/README.md): a stable contract that operators use for their own
// recordings. Only `audio`, `context` and `expected` are required (`expected` in any form the dialog would
// read, e.g. "H.R. 7478" for hr7478: expected-value.ts); the generator adds what it knows (voice, channel,
// split, the text given to the TTS) for the report. `call` groups one caller's answers on one line
// (recordings of real calls): the runner hears them in order as one call.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { grammarContexts, type GrammarContext } from '../recognizer.js';
import { expectedValue } from './expected-value.js';

export const manifestItemSchema = z.object({
  audio: z.string().min(1).refine((path) => /\.(wav|mp3)$/i.test(path), 'audio must be a .wav or .mp3 file'),
  // "Name" or " yesno " is the context it names; the list of contexts is the error for anything else.
  context: z.preprocess((value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
    z.enum(grammarContexts)),
  // A number too ("expected": 927582995): JSON writers and spreadsheets turn REGN_NUMs and amounts into numbers.
  expected: z.union([z.string().min(1), z.number()]).transform(String),
  voice: z.string().optional(),
  channel: z.string().optional(),
  split: z.enum(['tuning', 'held-out']).optional(),
  text: z.string().optional(),
  /**
   * Items with the same call are one caller's answers on one line, heard one after another in manifest
   * order with what the recognizer learns of the line carried between them (caller-acoustics.ts). Without
   * it an item is a call of its own: its caller's first answer.
   */
  call: z.string().min(1).optional(),
  /**
   * For a name: the caller said the town first, on its own, and this is that answer's audio (relative like
   * `audio`); `audio` then holds the name alone. The runner hears the town in context 'city', then the name
   * among the likeliest towns' voters (the city-first dialog for large rolls).
   */
  cityAudio: z.string().min(1).refine((path) => /\.(wav|mp3)$/i.test(path), 'cityAudio must be a .wav or .mp3 file')
    .optional(),
}).refine((item) => item.cityAudio === undefined || item.context === 'name',
  { message: 'cityAudio is only for name items', path: ['cityAudio'] })
  // The expected value as the judge compares it ("H.R. 7478" → "hr7478": expected-value.ts). One that nothing
  // reads is that item's error in the report (runner.ts), as an unreadable audio file is: the rest still runs.
  .transform((item): typeof item & { expectedAsWritten?: string; expectedError?: string } => {
    const read = expectedValue(item.context, item.expected);
    if ('error' in read) return { ...item, expectedError: read.error };
    // How it was written stays beside it when that differs, for the report ("hr7478, written H.R. 7478").
    const written = read.value === item.expected ? {} : { expectedAsWritten: item.expected };
    return { ...item, expected: read.value, ...written };
  });

export const manifestSchema = z.object({ items: z.array(manifestItemSchema).min(1) });

export type ManifestItem = z.infer<typeof manifestItemSchema> & { context: GrammarContext };
export type Manifest = z.infer<typeof manifestSchema>;

/** A manifest that cannot be used at all (the CLI exits 2); a bad audio file is only a per-item error. */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

export function parseManifest(text: string, where: string): Manifest {
  let json: unknown;
  try {
    // A byte-order mark, as editors on Windows save UTF-8, is no part of the JSON.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ManifestError(`${where}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5)
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top)'}: ${issue.message}`);
    throw new ManifestError(`${where}: not a corpus manifest: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export async function loadManifest(path: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ManifestError(`manifest ${path} cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  return parseManifest(text, path);
}

/** Audio paths are relative to the manifest's folder. */
export function audioPath(manifestPath: string, item: ManifestItem): string {
  return manifestRelative(manifestPath, item.audio);
}

export function manifestRelative(manifestPath: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dirname(manifestPath), path);
}
