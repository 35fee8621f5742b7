// The prompt grammars committed in `grammars/` (one JSGF file per context except names, which are
// generated from the roll by name-grammar.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../roll/data-dir.js';
import type { StaticGrammarContext } from '../recognizer.js';
import { jsgfWords, type GrammarDefinition } from './grammar-definition.js';

export const staticGrammarContexts: readonly StaticGrammarContext[] = [
  'command', 'yesno', 'vote', 'bill', 'amount', 'digits', 'phone', 'spelled',
];

/** `<repo>/grammars`. */
export function grammarsDir(): string {
  return join(packageRoot(), 'grammars');
}

export function loadStaticGrammars(directory: string = grammarsDir()): GrammarDefinition[] {
  return staticGrammarContexts.map((context) => {
    const path = join(directory, `${context}.gram`);
    if (!existsSync(path)) throw new Error(`missing grammar file ${path}`);
    const source = readFileSync(path, 'utf8');
    return { context, grammarKey: '', format: 'jsgf', source, pronunciations: new Map(), words: jsgfWords(source) };
  });
}
