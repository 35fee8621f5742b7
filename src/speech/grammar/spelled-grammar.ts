// The spelled-letters grammar built from the roll: a caller spells a surname ("S W A N S O N") so the
// only letter strings worth hearing are the roll's surnames. Letters over the telephone are the hardest
// words there are (the E-set b c d e g p t v z differ only in a consonant the channel blurs), and with
// the free letter loop of grammars/spelled.gram pocketsphinx got 0 of 8 tuning surnames right; with the
// roll's surnames as the only paths the nearest real surname wins. Built like the name grammars: a trie
// minimized into a word graph (shared prefixes and suffixes), written as an FSG file per roll generation.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GrammarDefinition } from './grammar-definition.js';
import { plainLetters } from '../../core/plain-letters.js';
import { buildWordGraph, fsgText } from './name-grammar.js';

/** Said at every prompt (grammars/spelled.gram has them too). */
const promptWords = ['help', 'menu'];

/**
 * The letters of a surname as the words a caller says ("o'brien" → o b r i e n, "smith-jones" → s m i t h
 * j o n e s): punctuation is not spelled aloud reliably, so it is left out; accents fold to their letter.
 * Empty when the name has no letter a-z.
 */
export function spelledLetters(surname: string): string[] {
  return [...plainLetters(surname)].filter((character) => /^[a-z]$/.test(character));
}

/** The grammar key of the surname grammar of a roll generation. */
export function spelledGrammarKey(generation: string): string {
  return `${generation}/surnames`;
}

/**
 * Writes `<outDir>/<generation>/spelled-surnames.fsg` (every distinct surname of `surnames`, letter by
 * letter, plus help and menu) and returns its definition. Letter words are in every engine's dictionary.
 */
export async function buildSpelledSurnameGrammar(options: { surnames: Iterable<string>; generation: string;
  outDir: string }): Promise<GrammarDefinition> {
  const phrases = new Map<string, string[]>();
  for (const surname of options.surnames) {
    const letters = spelledLetters(surname);
    if (letters.length > 0) phrases.set(letters.join(' '), letters);
  }
  if (phrases.size === 0) throw new Error('the roll has no surname to spell');
  for (const word of promptWords) phrases.set(word, [word]);
  const graph = buildWordGraph(phrases.values());
  const directory = join(options.outDir, options.generation);
  await mkdir(directory, { recursive: true });
  const path = join(directory, 'spelled-surnames.fsg');
  await writeFile(path, fsgText('spelled_surnames', graph));
  const words = [...new Set([...phrases.values()].flat())].sort();
  return { context: 'spelled', grammarKey: spelledGrammarKey(options.generation), format: 'fsg', source: path,
    pronunciations: new Map(), words };
}
