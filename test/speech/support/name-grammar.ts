// A small name grammar for tests that drive a decoder directly, built as the roll's are: the grammar's words
// with their CMUdict pronunciations.
import { jsgfWords, type GrammarDefinition } from '../../../src/speech/grammar/grammar-definition.js';
import { loadCmudict } from '../../../src/speech/lexicon/cmudict.js';

/** A 'name' grammar under `grammarKey` whose one rule is the given phrases (every word in CMUdict). */
export async function smallNameGrammar(grammarKey: string, phrases: readonly string[]): Promise<GrammarDefinition> {
  const source = `#JSGF V1.0;\ngrammar names;\npublic <name> = ${phrases.join(' | ')};\n`;
  const words = jsgfWords(source);
  const dictionary = await loadCmudict();
  return { context: 'name', grammarKey, format: 'jsgf', source, words,
    pronunciations: new Map(words.map((word) => [word, dictionary.pronunciations(word)])) };
}
