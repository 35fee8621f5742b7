// The money menu's own grammar (grammars/money-menu.gram), handed to the engine at run time like the week's
// bill grammar, with pronunciations from CMUdict (espeak-ng for a word it lacks) for its words the committed
// grammars do not have. Built once per process; if it cannot be built the menu is keyed only, as before.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jsgfWords, type GrammarDefinition } from '../speech/grammar/grammar-definition.js';
import { grammarsDir, loadStaticGrammars } from '../speech/grammar/static-grammars.js';
import { titleLexicon } from '../speech/grammar/title-lexicon.js';

export const moneyMenuGrammarKey = 'money-menu';

export interface MoneyMenuGrammarLog {
  warn(object: object, message: string): void;
}

/** Builds the grammar from `path`; throws when a word has no pronunciation (the engine could not compile it). */
export async function buildMoneyMenuGrammar(path = join(grammarsDir(), 'money-menu.gram')): Promise<GrammarDefinition> {
  const source = await readFile(path, 'utf8');
  const words = jsgfWords(source);
  // The committed grammars' words are in the decoder's dictionary already, with their narrowband variants.
  const committedWords = new Set(loadStaticGrammars().flatMap((grammar) => grammar.words));
  const newWords = words.filter((word) => !committedWords.has(word));
  const lexicon = await titleLexicon(newWords);
  const pronunciations = new Map(newWords.map((word) => [word, lexicon.pronunciations(word)] as const));
  const unsayable = newWords.filter((word) => (pronunciations.get(word)?.length ?? 0) === 0);
  if (unsayable.length > 0) throw new Error(`${path}: no pronunciation for ${unsayable.join(', ')}`);
  return { context: 'command', grammarKey: moneyMenuGrammarKey, format: 'jsgf', source, pronunciations, words };
}

let built: Promise<GrammarDefinition | null> | null = null;

/** The money menu's grammar, or null when it cannot be built (the menu is then keyed only; logged once). */
export function moneyMenuGrammar(log?: MoneyMenuGrammarLog): Promise<GrammarDefinition | null> {
  built ??= buildMoneyMenuGrammar().catch((error: unknown) => {
    log?.warn({ err: error }, 'building the money menu grammar failed; the money menu is keyed only');
    return null;
  });
  return built;
}
