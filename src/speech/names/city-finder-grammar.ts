// Pass 1 of the voice name path: which city was said. The grammar is "<name filler> (of | in) <city>":
// the filler soaks up the name cheaply (a loop of single phones, or a loop of the roll's given names
// then surnames) so the decoder's effort goes into the city at the end of the utterance. Its size
// grows with the number of cities (and, for the name filler, of distinct name words), never with voters.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GrammarDefinition } from '../grammar/grammar-definition.js';
import { buildWordGraph, fsgText, voterPhrases, type RollName } from '../grammar/name-grammar.js';
import { arpabetPhones, type Lexicon, type Pronunciation } from '../lexicon/lexicon.js';
import { spokenWords, type NameRoll } from './name-roll.js';
import { placeIndex, readingWords } from './reading-words.js';

/**
 * How pass 1 hears the name before the city: a loop of single phones, the roll's given names and
 * surnames as independent slots, or (small rolls) the real voters' own paths, the whole roll in one graph.
 */
export type NameFiller = 'phones' | 'names' | 'voters' | 'slots';

/** Words of the phone filler: one per ARPAbet phone ("ph_aa" says AA). Never words of the roll. */
export const fillerPhoneWord = (phone: string): string => `ph_${phone.toLowerCase()}`;

export function isFillerWord(word: string): boolean {
  return word.startsWith('ph_');
}

interface Edge { from: number; to: number; word: string }

/** Exponent on the uniform transition probabilities (0: every choice free; 1: as written). */
const flatten = 0.5;

class FsgBuilder {
  readonly edges: Edge[] = [];
  stateCount = 0;

  state(): number {
    return this.stateCount++;
  }

  edge(from: number, to: number, word: string): void {
    this.edges.push({ from, to, word });
  }

  text(name: string, start: number, final: number): string {
    const outDegree = new Map<number, number>();
    for (const edge of this.edges) outDegree.set(edge.from, (outDegree.get(edge.from) ?? 0) + 1);
    const lines = [`FSG_BEGIN ${name}`, `NUM_STATES ${this.stateCount}`, `START_STATE ${start}`, `FINAL_STATE ${final}`];
    for (const edge of this.edges) {
      // Uniform choices, flattened: the recognizer's language weight suits real-voter grammars, and here it
      // would make every filler phone so dear that the city would swallow the name.
      const probability = Math.pow(1 / (outDegree.get(edge.from) ?? 1), flatten);
      lines.push(`TRANSITION ${edge.from} ${edge.to} ${probability.toFixed(6)} ${edge.word}`);
    }
    lines.push('FSG_END', '');
    return lines.join('\n');
  }
}

/** Every voter of the roll, town by town. */
function* rollVoters(roll: NameRoll): Generator<RollName> {
  for (const slug of roll.citySlugs) yield* roll.votersOf(slug);
}

/**
 * Given-name and surname words of the voters (sorted) that the lexicon can say; with `mostCommon`, only that
 * many of each, those the most voters' names hold (ties alphabetical), so the grammar's size does not grow
 * with the roll. The finders' slots, the roll's (here) and a town's (town-finder-grammar.ts).
 */
export function nameWords(voters: Iterable<RollName>, lexicon: Lexicon, mostCommon?: number):
  { given: string[]; surname: string[] } {
  const given = new Map<string, number>();
  const surname = new Map<string, number>();
  const count = (words: Map<string, number>, word: string): void => { words.set(word, (words.get(word) ?? 0) + 1); };
  for (const voter of voters) {
    for (const word of [...spokenWords(voter.first), ...spokenWords(voter.middle)]) count(given, word);
    for (const word of spokenWords(voter.last)) count(surname, word);
  }
  const sayable = (word: string): boolean => lexicon.pronunciations(word).length > 0;
  const kept = (words: Map<string, number>): string[] => {
    const all = [...words].filter(([word]) => sayable(word));
    const chosen = mostCommon === undefined ? all
      : all.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, mostCommon);
    return chosen.map(([word]) => word).sort();
  };
  return { given: kept(given), surname: kept(surname) };
}

/**
 * Writes the city finder's FSG for a roll generation and returns its definition (context 'name',
 * key `<generation>/cities`). Cities whose words no lexicon can say are left out (returned). `commonNamesMax`
 * keeps that many of the commonest given names and surnames in the `names` and `slots` fillers.
 */
export async function buildCityFinderGrammar(options: { roll: NameRoll; lexicon: Lexicon; outDir: string;
  filler: NameFiller; commonNamesMax?: number }):
  Promise<{ grammar: GrammarDefinition; unpronounceableCities: string[] }> {
  const { roll, lexicon } = options;
  if (options.filler === 'voters') return wholeRollGrammar(roll, lexicon, options.outDir);
  if (options.filler === 'slots') return Promise.resolve(slotsGrammar(roll, lexicon, options.commonNamesMax));
  const fsg = new FsgBuilder();
  const start = fsg.state();
  const afterName = fsg.state();
  const place = fsg.state();
  const final = fsg.state();
  const pronunciations = new Map<string, readonly Pronunciation[]>();
  const say = (word: string): void => { pronunciations.set(word, lexicon.pronunciations(word)); };
  if (options.filler === 'phones') {
    for (const phone of arpabetPhones) {
      const word = fillerPhoneWord(phone);
      pronunciations.set(word, [[phone]]);
      fsg.edge(start, afterName, word);
      fsg.edge(afterName, afterName, word);
    }
  } else {
    const { given, surname } = nameWords(rollVoters(roll), lexicon, options.commonNamesMax);
    // first [middle] last: no loops (a loop of thousands of words left pocketsphinx with no path at all).
    const afterFirst = fsg.state();
    const afterMiddle = fsg.state();
    for (const word of given) {
      say(word);
      fsg.edge(start, afterFirst, word);
      fsg.edge(afterFirst, afterMiddle, word);
    }
    for (const word of surname) {
      say(word);
      fsg.edge(afterFirst, afterName, word);
      fsg.edge(afterMiddle, afterName, word);
    }
  }
  for (const word of ['of', 'in']) {
    say(word);
    fsg.edge(afterName, place, word);
  }
  // Cities as a trie from `place`; each city's last word goes straight into the final state.
  const unpronounceableCities: string[] = [];
  const trie = new Map<string, number>();
  for (const slug of roll.citySlugs) {
    const words = slug.split('-');
    if (words.some((word) => lexicon.pronunciations(word).length === 0)) {
      unpronounceableCities.push(roll.cityName(slug));
      continue;
    }
    let state = place;
    words.forEach((word, index) => {
      say(word);
      if (index === words.length - 1) {
        fsg.edge(state, final, word);
        return;
      }
      const key = `${state}|${word}`;
      let next = trie.get(key);
      if (next === undefined) {
        next = fsg.state();
        trie.set(key, next);
        fsg.edge(state, next, word);
      }
      state = next;
    });
  }
  const path = join(options.outDir, `cities-${options.filler}.fsg`);
  await writeFile(path, fsg.text(`cities_${options.filler}`, start, final));
  return {
    grammar: { context: 'name', grammarKey: `${roll.generation}/cities`, wideWordBeam: true, format: 'fsg',
      source: path, pronunciations,
      words: [...pronunciations.keys()].sort() },
    unpronounceableCities,
  };
}

/** JSGF `<given> [<given>] <surname> (of | in) <city>`: the roll's words as independent slots. */
function slotsGrammar(roll: NameRoll, lexicon: Lexicon, commonNamesMax?: number):
  { grammar: GrammarDefinition; unpronounceableCities: string[] } {
  const { given, surname } = nameWords(rollVoters(roll), lexicon, commonNamesMax);
  const sayable = (slug: string): boolean => slug.split('-').every((word) => lexicon.pronunciations(word).length > 0);
  const cities = roll.citySlugs.filter(sayable);
  const unpronounceableCities = roll.citySlugs.filter((slug) => !sayable(slug)).map((slug) => roll.cityName(slug));
  const alternatives = (items: readonly string[]): string => items.map((item) => item.replace(/-/g, ' ')).join(' | ');
  const source = ['#JSGF V1.0;', 'grammar cities;',
    'public <name> = <given> [<given>] <surname> (of | in) <city>;',
    `<given> = ${alternatives(given)};`, `<surname> = ${alternatives(surname)};`, `<city> = ${alternatives(cities)};`,
    ''].join('\n');
  const words = new Set([...given, ...surname, 'of', 'in', ...cities.flatMap((slug) => slug.split('-'))]);
  const pronunciations = new Map([...words].map((word) => [word, lexicon.pronunciations(word)] as const));
  return {
    grammar: { context: 'name', grammarKey: `${roll.generation}/cities`, wideWordBeam: true, format: 'jsgf', source,
      pronunciations,
      words: [...words].sort() },
    unpronounceableCities,
  };
}

/** Every real voter's "name (of | in) city" in one minimized graph: exact, but it grows with the roll. */
async function wholeRollGrammar(roll: NameRoll, lexicon: Lexicon, outDir: string):
  Promise<{ grammar: GrammarDefinition; unpronounceableCities: string[] }> {
  const phrases: string[][] = [];
  const pronunciations = new Map<string, readonly Pronunciation[]>();
  const unpronounceableCities = new Set<string>();
  for (const slug of roll.citySlugs) {
    for (const voter of roll.votersOf(slug)) {
      for (const phrase of voterPhrases(voter)) {
        if (!phrase.includes('of') && !phrase.includes('in')) continue;
        const sayings = phrase.map((word) => lexicon.pronunciations(word));
        if (sayings.some((saying) => saying.length === 0)) {
          if (slug.split('-').some((word) => lexicon.pronunciations(word).length === 0)) {
            unpronounceableCities.add(roll.cityName(slug));
          }
          continue;
        }
        phrase.forEach((word, index) => pronunciations.set(word, sayings[index] as readonly Pronunciation[]));
        phrases.push(phrase);
      }
    }
  }
  const path = join(outDir, 'cities-voters.fsg');
  await writeFile(path, fsgText('cities_voters', buildWordGraph(phrases)));
  return {
    grammar: { context: 'name', grammarKey: `${roll.generation}/cities`, wideWordBeam: true, format: 'fsg',
      source: path, pronunciations,
      words: [...pronunciations.keys()].sort() },
    unpronounceableCities: [...unpronounceableCities].sort(),
  };
}

/** The city slug a pass-1 hypothesis ends with ("ph_m ph_eh of des moines" → "des-moines"), or null. */
export function cityOfHypothesis(text: string, citySlugs: ReadonlySet<string>): string | null {
  const words = readingWords(text);
  const placeAt = placeIndex(words);
  if (placeAt < 0) return null;
  const slug = words.slice(placeAt + 1).join('-');
  return citySlugs.has(slug) ? slug : null;
}
