// CMUdict: the Carnegie Mellon pronouncing dictionary, as Debian's pocketsphinx-en-us ships it
// (`word PH ON ES`, variants as `word(2)`, no stress digits) and as the upstream cmudict-0.7b spells it
// (upper case, stress digits, `;;;` comment lines, `#` trailing comments). One parser reads both.

import { readFile } from 'node:fs/promises';
import { MapLexicon, isArpabetPhone } from './lexicon.js';

/** Where Debian's `pocketsphinx-en-us` package puts the dictionary that matches its acoustic model. */
export const debianCmudictPath = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';

export class CmudictParseError extends Error {
  constructor(readonly lineNumber: number, readonly line: string, reason: string) {
    super(`cmudict line ${lineNumber}: ${reason}: ${JSON.stringify(line.slice(0, 80))}`);
    this.name = 'CmudictParseError';
  }
}

export interface CmudictEntry {
  /** Lower case, without the `(2)` variant marker. */
  readonly word: string;
  /** ARPAbet without stress digits. */
  readonly phones: readonly string[];
}

const variantSuffix = /\(\d+\)$/;
const stressDigits = /[012]$/;

/** Parses one line; null for blank and comment lines. Throws CmudictParseError for a malformed line. */
export function parseCmudictLine(line: string, lineNumber: number): CmudictEntry | null {
  const hash = line.indexOf('#');
  const content = (hash >= 0 ? line.slice(0, hash) : line).trim();
  if (content.length === 0 || content.startsWith(';;;')) return null;
  const fields = content.split(/\s+/);
  const head = fields[0];
  if (head === undefined || fields.length < 2) throw new CmudictParseError(lineNumber, line, 'a word without phones');
  const word = head.replace(variantSuffix, '').toLowerCase();
  if (word.length === 0) throw new CmudictParseError(lineNumber, line, 'an empty word');
  const phones = fields.slice(1).map((field) => field.toUpperCase().replace(stressDigits, ''));
  const unknown = phones.find((phone) => !isArpabetPhone(phone));
  if (unknown !== undefined) throw new CmudictParseError(lineNumber, line, `unknown phone "${unknown}"`);
  return { word, phones };
}

/** Parses a whole dictionary text into a lexicon (variants in file order, the base entry first). */
export function parseCmudict(text: string): MapLexicon {
  const lexicon = new MapLexicon();
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index += 1) {
    const entry = parseCmudictLine(lines[index] ?? '', index + 1);
    if (entry !== null) lexicon.add(entry.word, entry.phones);
  }
  return lexicon;
}

/** Reads CMUdict from disk (Debian's copy by default) with a clear error when it is not installed. */
export async function loadCmudict(path: string = debianCmudictPath): Promise<MapLexicon> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new Error(`CMUdict not found at ${path}: install the Debian package pocketsphinx-en-us`, { cause: error });
    }
    throw error;
  }
  return parseCmudict(text);
}
