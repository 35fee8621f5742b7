// The town said on its own (context 'city'), the first answer of the city-first name dialog: on a roll too
// large to hear "first last of town" in one utterance, the caller says the town, then the name, which is
// heard only among that town's voters (within-town-stream.ts). The grammar is the roll's towns, each said
// alone or after "in" / "of" ("Ames", "in Ames"): about 1,000 phrases for Iowa, whatever the roll's size.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GrammarDefinition } from '../grammar/grammar-definition.js';
import type { Lexicon, Pronunciation } from '../lexicon/lexicon.js';
import type { Hypothesis } from '../recognizer.js';
import type { NameRoll } from './name-roll.js';
import { readingWords } from './reading-words.js';

/**
 * How strongly the towns' sizes weigh (1: the roll's own shares; 0: every town alike). A caller names a voter,
 * and a voter of Des Moines is a hundred times likelier than one of a town of 400 people.
 */
export const townPriorExponent = 1;

/** At most this many pronunciations of a town made by saying its words' pronunciations in turn. */
const wordByWordMax = 8;

/**
 * Every way the town `slug` is said: the dictionary's for the whole name (CMUdict has "des-moines" as
 * D IH M OY N, where its words say D EH S M OY N Z), then its words' said in turn; none when a word cannot be
 * said. espeak-ng's whole-name pronunciations on top gained nothing (88 instead of 89 of the 120 towns below).
 */
export function townPronunciations(slug: string, lexicon: Lexicon): Pronunciation[] {
  const words = slug.split('-');
  let wordByWord: Pronunciation[] = [[]];
  for (const word of words) {
    const sayings = lexicon.pronunciations(word);
    if (sayings.length === 0) return [];
    wordByWord = wordByWord.flatMap((head) => sayings.map((saying) => [...head, ...saying])).slice(0, wordByWordMax);
  }
  const whole = words.length > 1 ? lexicon.pronunciations(slug) : [];
  const distinct = new Map([...whole, ...wordByWord].map((saying) => [saying.join(' '), saying] as const));
  return [...distinct.values()];
}

/**
 * Writes the roll's towns as one FSG whose words are the towns themselves ("des-moines"), each with every
 * pronunciation townPronunciations finds; towns no lexicon can say are left out. Each town is said alone or
 * after "in" / "of", and is weighted by its share of the roll's voters (townPriorExponent). With a word per
 * town word instead (a trie of "des" then "moines"), Des Moines, said by every voice as D EH M OY N or
 * D AH M OY N, never won; one word per town, on 120 towns of the tuning voices said alone (a corpus made for
 * the measurement, not used to decide): 73 → 89 right, Des Moines 8 of those, other towns of two words 8, one
 * town of one word lost. The name grammars keep a word per town word: there it was neutral (CI tuning names
 * 22 → 23 of 48, held out 15 both) and the p95 latency 10-15 % higher; README "Town first" has the figures.
 */
export async function buildCityAnswerGrammar(roll: NameRoll, lexicon: Lexicon, outDir: string,
  priorExponent = townPriorExponent): Promise<GrammarDefinition> {
  const towns = roll.citySlugs.map((slug) => ({ slug, sayings: townPronunciations(slug, lexicon),
    weight: Math.pow(Math.max(1, roll.votersOf(slug).length), priorExponent) }))
    .filter((town) => town.sayings.length > 0);
  const total = towns.reduce((sum, town) => sum + town.weight, 0);
  const [start, final, afterPreposition] = [0, 1, 2];
  // "in" and "of" are said before a tenth of the towns each (the rest alone). A town goes straight into the
  // final state (fsgText says why).
  const lines = [`TRANSITION ${start} ${afterPreposition} 0.100000 in`, `TRANSITION ${start} ${afterPreposition} 0.100000 of`];
  for (const [state, share] of [[start, 0.8], [afterPreposition, 1]] as const) {
    for (const town of towns) {
      lines.push(`TRANSITION ${state} ${final} ${(share * town.weight / total).toExponential(6)} ${town.slug}`);
    }
  }
  const path = join(outDir, 'city-answer.fsg');
  await writeFile(path, ['FSG_BEGIN city_answer', 'NUM_STATES 3', `START_STATE ${start}`,
    `FINAL_STATE ${final}`, ...lines, 'FSG_END', ''].join('\n'));
  const pronunciations = new Map<string, readonly Pronunciation[]>([['in', lexicon.pronunciations('in')],
    ['of', lexicon.pronunciations('of')], ...towns.map((town) => [town.slug, town.sayings] as const)]);
  // The wide word beam, as the city finders: about 1,000 towns start in parallel, and the tight beam prunes most.
  return { context: 'city', grammarKey: `${roll.generation}/towns`, format: 'fsg', source: path, wideWordBeam: true,
    pronunciations, words: [...pronunciations.keys()].sort() };
}

/** A town the dialog took (its slug), as the one sure reading a name said after it listens in (cityHeard). */
export function townTaken(slug: string): Hypothesis[] {
  return [{ text: slug.replace(/-/g, ' '), confidence: 1, phones: [] }];
}

/** The town slug of a 'city' reading ("in des moines" → "des-moines"), or null when it names none. */
export function townOfAnswer(text: string): string | null {
  // A town is one word of the grammar ("des-moines"), said apart by other recognizers.
  const words = readingWords(text.toLowerCase().replace(/-/g, ' '));
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
