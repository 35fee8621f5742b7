// What an engine needs to listen with one grammar: its source (JSGF text or an FSG file built from the
// roll) and how to say the words a general dictionary may lack (roll names).
import type { GrammarContext } from '../recognizer.js';

/** Each word's pronunciations, ARPAbet phones without stress. */
export type Pronunciations = ReadonlyMap<string, readonly (readonly string[])[]>;

export interface GrammarDefinition {
  readonly context: GrammarContext;
  /** '' for the context's default grammar; otherwise e.g. `gen7/city:ames` (RecognizeOptions.grammarKey). */
  readonly grammarKey: string;
  readonly format: 'jsgf' | 'fsg';
  /** JSGF text, or the path of an FSG file. */
  readonly source: string;
  /** Pronunciations (ARPAbet, no stress) of words the engine's dictionary may not know. */
  readonly pronunciations: Pronunciations;
  /** Every word the grammar can output (lower case). */
  readonly words: readonly string[];
  /**
   * Compile with the engine's wide word beam for whole-roll city finders and the yes/no phrases
   * (pocketsphinx: nameWordBeam), not the decoder's tight one, which pruned every path of those graphs
   * before their last word.
   */
  readonly wideWordBeam?: boolean;
  /**
   * Weigh only readings the grammar can say (pocketsphinx: a reading that stopped partway through a phrase
   * takes no share of the confidence). For grammars of phrases that begin with carrier words ("that is
   * right"), where such a reading is a path that ended early, not a doubt about what was said.
   */
  readonly completeReadingsOnly?: boolean;
}

export function grammarId(context: GrammarContext, grammarKey = ''): string {
  return grammarKey === '' ? context : `${context}/${grammarKey}`;
}

/** Words of a JSGF grammar: tokens outside rule names, keywords, comments and operators. */
export function jsgfWords(text: string): string[] {
  const body = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ')
    .replace(/^#JSGF[^\n]*/m, ' ').replace(/^\s*grammar\s+[^;]+;/m, ' ');
  const words = new Set<string>();
  for (const statement of body.split(';')) {
    const right = statement.includes('=') ? statement.slice(statement.indexOf('=') + 1) : '';
    for (const token of right.replace(/<[^>]*>/g, ' ').split(/[\s|()[\]*+]+/)) {
      if (/^[a-z][a-z'.]*$/.test(token)) words.add(token);
    }
  }
  return [...words].sort();
}
