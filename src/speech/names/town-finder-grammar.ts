// The fallback for a name said after its town: the town's given names and surnames as independent slots,
// `<given> [<given>] <surname>`, no town after it. A town's voter grammar often ends with no complete path on a
// name of two short words (its best partial path is a first name alone), and then nothing at all is heard;
// the slots can say any pairing of the town's words, so they nearly always end, and the phonetic matcher
// decides whether what they heard is a voter of the town (within-town-stream.ts). Its size grows with the
// town's distinct name words, not its voters.
import type { GrammarDefinition } from '../grammar/grammar-definition.js';
import type { RollName } from '../grammar/name-grammar.js';
import type { Lexicon } from '../lexicon/lexicon.js';
import { nameWords } from './city-finder-grammar.js';

export function buildTownFinderGrammar(voters: readonly RollName[], lexicon: Lexicon, generation: string,
  slug: string): GrammarDefinition | null {
  const { given, surname } = nameWords(voters, lexicon);
  if (given.length === 0 || surname.length === 0) return null;
  const alternatives = (words: readonly string[]): string => words.join(' | ');
  const source = ['#JSGF V1.0;', 'grammar town_names;', 'public <name> = <given> [<given>] <surname>;',
    `<given> = ${alternatives(given)};`, `<surname> = ${alternatives(surname)};`, ''].join('\n');
  const words = [...new Set([...given, ...surname])].sort();
  return { context: 'name', grammarKey: `${generation}/town-finder:${slug}`, format: 'jsgf', source,
    // The finders' wide word beam: with the tight one a slots grammar loses every path before its last word.
    wideWordBeam: true, pronunciations: new Map(words.map((word) => [word, lexicon.pronunciations(word)] as const)),
    words };
}
