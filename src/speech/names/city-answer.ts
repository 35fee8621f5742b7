// The town said on its own (context 'city'), the first answer of the city-first name dialog: on a roll too
// large to hear "first last of town" in one utterance, the caller says the town, then the name, which is
// heard only among that town's voters (within-town-stream.ts). The grammar is the roll's towns, each said
// alone or after "in" / "of" ("Ames", "in Ames"): about 1,000 phrases for Iowa, whatever the roll's size.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GrammarDefinition } from '../grammar/grammar-definition.js';
import type { Lexicon } from '../lexicon/lexicon.js';
import type { Hypothesis } from '../recognizer.js';
import type { NameRoll } from './name-roll.js';
import { readingWords } from './reading-words.js';

/**
 * How strongly the towns' sizes weigh (1: the roll's own shares; 0: every town alike). A caller names a voter,
 * and a voter of Des Moines is a hundred times likelier than one of a town of 400 people.
 */
export const townPriorExponent = 1;

/**
 * Writes the roll's towns as one FSG; towns with a word no lexicon can say are left out. Each town is said
 * alone or after "in" / "of", and is weighted by its share of the roll's voters (townPriorExponent): the
 * towns form a trie from the start, and each edge carries the weight of the towns below it.
 */
export async function buildCityAnswerGrammar(roll: NameRoll, lexicon: Lexicon, outDir: string,
  priorExponent = townPriorExponent): Promise<GrammarDefinition> {
  const sayable = roll.citySlugs.filter((slug) => slug.split('-').every((word) => lexicon.pronunciations(word).length > 0));
  const towns = sayable.map((slug) => ({ words: slug.split('-'),
    weight: Math.pow(Math.max(1, roll.votersOf(slug).length), priorExponent) }));
  const lines: string[] = [];
  let states = 0;
  const start = states++;
  const final = states++;
  const afterPreposition = states++;
  // "in" and "of" are said before a tenth of the towns each (the rest alone).
  lines.push(`TRANSITION ${start} ${afterPreposition} 0.100000 in`, `TRANSITION ${start} ${afterPreposition} 0.100000 of`);
  const trie = (root: number, share: number): void => {
    const grow = (state: number, depth: number, below: typeof towns): void => {
      const total = below.reduce((sum, town) => sum + town.weight, 0);
      const byWord = new Map<string, typeof towns>();
      for (const town of below) {
        const word = town.words[depth] as string;
        const group = byWord.get(word);
        if (group === undefined) byWord.set(word, [town]);
        else group.push(town);
      }
      for (const [word, group] of byWord) {
        const weight = group.reduce((sum, town) => sum + town.weight, 0);
        const probability = ((state === root ? share : 1) * weight) / total;
        const ending = group.filter((town) => town.words.length === depth + 1);
        const going = group.filter((town) => town.words.length > depth + 1);
        // A town's last word goes straight into the final state (fsgText says why).
        if (ending.length > 0) {
          const endWeight = ending.reduce((sum, town) => sum + town.weight, 0);
          lines.push(`TRANSITION ${state} ${final} ${(probability * endWeight / weight).toExponential(6)} ${word}`);
        }
        if (going.length > 0) {
          const next = states++;
          const goWeight = going.reduce((sum, town) => sum + town.weight, 0);
          lines.push(`TRANSITION ${state} ${next} ${(probability * goWeight / weight).toExponential(6)} ${word}`);
          grow(next, depth + 1, going);
        }
      }
    };
    grow(root, 0, towns);
  };
  trie(start, 0.8);
  trie(afterPreposition, 1);
  const path = join(outDir, 'city-answer.fsg');
  await writeFile(path, ['FSG_BEGIN city_answer', `NUM_STATES ${states}`, `START_STATE ${start}`,
    `FINAL_STATE ${final}`, ...lines, 'FSG_END', ''].join('\n'));
  const vocabulary = [...new Set(['in', 'of', ...towns.flatMap((town) => town.words)])].sort();
  // The wide word beam, as the city finders: about 1,000 towns start in parallel, and the tight beam prunes most.
  return { context: 'city', grammarKey: `${roll.generation}/towns`, format: 'fsg', source: path, wideWordBeam: true,
    pronunciations: new Map(vocabulary.map((word) => [word, lexicon.pronunciations(word)] as const)),
    words: vocabulary };
}

/** A town the dialog took (its slug), as the one sure reading a name said after it listens in (cityHeard). */
export function townTaken(slug: string): Hypothesis[] {
  return [{ text: slug.replace(/-/g, ' '), confidence: 1, phones: [] }];
}

/** The town slug of a 'city' reading ("in des moines" → "des-moines"), or null when it names none. */
export function townOfAnswer(text: string): string | null {
  const words = readingWords(text.toLowerCase());
  const start = words[0] === 'in' || words[0] === 'of' ? 1 : 0;
  const town = words.slice(start);
  return town.length === 0 || !town.every((word) => /^[a-z][a-z']*$/.test(word)) ? null : town.join('-');
}

/**
 * The places readings name (`placeOf`: a roll town's slug, or null), by summed confidence, as shares of the
 * readings that named one, likeliest first: at most `placesMax`, and after the first only those with at least
 * `shareMin`. Pass 1's cities (two-pass-name-recognizer.ts likelyCities) and a 'city' answer's towns alike.
 */
export function likelyPlaces(readings: ReadonlyArray<{ text: string; confidence: number }>,
  placeOf: (text: string) => string | null, placesMax: number, shareMin: number):
  Array<{ slug: string; share: number }> {
  const weights = new Map<string, number>();
  let total = 0;
  for (const reading of readings) {
    const slug = placeOf(reading.text);
    if (slug === null) continue;
    const weight = Math.max(reading.confidence, 1e-6);
    weights.set(slug, (weights.get(slug) ?? 0) + weight);
    total += weight;
  }
  return [...weights].map(([slug, weight]) => ({ slug, share: weight / total }))
    .sort((a, b) => b.share - a.share || (a.slug < b.slug ? -1 : 1))
    .filter((place, index) => index === 0 || place.share >= shareMin)
    .slice(0, placesMax);
}

/** The towns of a 'city' answer's N-best (likelyPlaces), towns of the roll only. */
export function likelyTowns(readings: ReadonlyArray<{ text: string; confidence: number }>,
  citySlugs: ReadonlySet<string>, townsMax: number, shareMin: number): Array<{ slug: string; share: number }> {
  return likelyPlaces(readings, (text) => {
    const slug = townOfAnswer(text);
    return slug !== null && citySlugs.has(slug) ? slug : null;
  }, townsMax, shareMin);
}
