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

/**
 * How a committed grammar is decoded where not as usual. yes/no: callers answer in phrases as well as words
 * ("no thank you", "that's right", grammars/yesno.gram). Listening for single words only, the decoder forced
 * such a phrase onto one word, mostly "yep". The phrases need the wide word beam: with the tight one, no
 * path through a phrase survived to its end and nothing was heard (seed 155: asked again 3 → 14 of 90). And
 * they need complete readings only: a reading that stopped at "that" scored over fewer frames and took most
 * of the confidence, so a clear "yes please" came out at 0.06-0.11. Two generated yes/no corpora of the
 * tuning voices (seeds 155 and 156, 126 answers), right / wrong-confident / asked again: single words
 * 107 / 15 / 4; phrases on the wide beam 104 / 7 / 15; with complete readings only 112 / 9 / 5. Phone
 * numbers and spelled surnames keep their partial readings: there stopping short is a doubt about what was
 * said, and weighing complete readings only took wrong-confident phone numbers 3 → 15 of 48 (seed 157).
 * (yes/no's noise fillers: searchSettingsByContext, pocketsphinx-recognizer.ts.)
 */
const decodingByContext: Partial<Record<StaticGrammarContext, Pick<GrammarDefinition,
  'wideWordBeam' | 'completeReadingsOnly'>>> = { yesno: { wideWordBeam: true, completeReadingsOnly: true } };

/** `<repo>/grammars`. */
export function grammarsDir(): string {
  return join(packageRoot(), 'grammars');
}

export function loadStaticGrammars(directory: string = grammarsDir()): GrammarDefinition[] {
  return staticGrammarContexts.map((context) => {
    const path = join(directory, `${context}.gram`);
    if (!existsSync(path)) throw new Error(`missing grammar file ${path}`);
    const source = readFileSync(path, 'utf8');
    return { context, grammarKey: '', format: 'jsgf', source, pronunciations: new Map(), words: jsgfWords(source),
      ...decodingByContext[context] };
  });
}
