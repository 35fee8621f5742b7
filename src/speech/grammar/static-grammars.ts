// The prompt grammars committed in `grammars/` (one JSGF file per context except names, which are
// generated from the roll by name-grammar.ts).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GrammarContext } from '../recognizer.js';
import { jsgfWords, type GrammarDefinition } from './grammar-definition.js';

export const staticGrammarContexts: readonly GrammarContext[] = [
  'command', 'yesno', 'vote', 'bill', 'amount', 'digits', 'phone', 'spelled',
];

const parentLevelsMax = 8;

/** `<repo>/grammars`, found by walking up from this module (it runs from dist/src/...). */
export function grammarsDir(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < parentLevelsMax; level += 1) {
    if (existsSync(join(directory, 'grammars', 'command.gram'))) return join(directory, 'grammars');
    directory = dirname(directory);
  }
  throw new Error(`cannot find grammars/command.gram above ${fileURLToPath(import.meta.url)}`);
}

export function loadStaticGrammars(directory: string = grammarsDir()): GrammarDefinition[] {
  return staticGrammarContexts.map((context) => {
    const path = join(directory, `${context}.gram`);
    if (!existsSync(path)) throw new Error(`missing grammar file ${path}`);
    const source = readFileSync(path, 'utf8');
    return { context, grammarKey: '', format: 'jsgf', source, pronunciations: new Map(), words: jsgfWords(source) };
  });
}
