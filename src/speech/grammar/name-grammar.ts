// Name grammars generated from the roll (issue 4): paths are only real voters, so the recognizer
// cannot invent "mary" + "jones" when no Mary Jones lives there. Per city, each voter gives
// `first [middle] last [(of | in) city]` (and `middle last`, for voters known by their middle name).
// The paths form a trie (shared prefixes) that is then minimized into a DAWG (shared suffixes: every
// "... of ames" ends in the same states), so the graph grows with distinct names, not with voters.
// Written as FSG files for ps_set_fsg, cached under the data dir by roll generation.
import { strict as assert } from 'node:assert';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lexicon } from '../lexicon/lexicon.js';
import { plainLetters } from '../../core/plain-letters.js';
import { spokenSuffix } from '../lexicon/name-suffixes.js';
import type { GrammarDefinition } from './grammar-definition.js';

export interface RollName {
  readonly first: string;
  readonly middle: string;
  readonly last: string;
  /** "jr", "iii", …; absent or '' for none. */
  readonly suffix?: string;
  readonly city: string;
  /** Short forms a caller may say for the first name ("jim", "jimmy" for James; nicknames.csv). */
  readonly firstShortForms?: readonly string[];
}

interface TrieState {
  readonly next: Map<string, TrieState>;
  accepting: boolean;
}

/** A minimized word graph: state 0 is the start; `accepting` states may end the phrase. */
export interface WordGraph {
  readonly stateCount: number;
  readonly transitions: ReadonlyArray<{ from: number; to: number; word: string }>;
  readonly accepting: readonly number[];
}

/**
 * Lower-case words of a roll field, accents folded, hyphens and periods split (as the name grammars say
 * them): "J.R." is said as two letters, which the matcher joins again (plainName).
 */
export function spokenWords(text: string): string[] {
  return plainLetters(text).split(/[\s.-]+/).filter((word) => /^[a-z][a-z']*$/.test(word));
}

/**
 * The phrases a voter may be called by in a city grammar; with `shortForms`, also each short form of the first
 * name with the surname ("jim smith" for James Smith), which the matcher reads back to the roll's name.
 */
export function voterPhrases(voter: RollName, options: { readonly shortForms?: boolean } = {}): string[][] {
  const first = spokenWords(voter.first);
  const middle = spokenWords(voter.middle);
  const last = spokenWords(voter.last);
  const city = spokenWords(voter.city);
  if (first.length === 0 || last.length === 0) return [];
  const plainNames = [[...first, ...last]];
  if (middle.length > 0) plainNames.push([...first, ...middle, ...last], [...middle, ...last]);
  for (const short of options.shortForms === true ? voter.firstShortForms ?? [] : []) {
    const words = spokenWords(short);
    if (words.length > 0) plainNames.push([...words, ...last]);
  }
  // With the suffix said too ("john smith junior"), for a voter whose roll entry has one.
  const suffix = spokenSuffix(voter.suffix);
  const names = suffix.length === 0 ? plainNames : plainNames.flatMap((name) => [name, [...name, ...suffix]]);
  const phrases: string[][] = [];
  for (const name of names) {
    phrases.push(name);
    if (city.length > 0) phrases.push([...name, 'of', ...city], [...name, 'in', ...city]);
  }
  return phrases;
}

export function buildWordGraph(phrases: Iterable<readonly string[]>): WordGraph {
  const root: TrieState = { next: new Map(), accepting: false };
  for (const phrase of phrases) {
    let state = root;
    for (const word of phrase) {
      let next = state.next.get(word);
      if (next === undefined) {
        next = { next: new Map(), accepting: false };
        state.next.set(word, next);
      }
      state = next;
    }
    state.accepting = true;
  }
  // Minimize: states with the same accepting flag and the same (word → minimized target) are one.
  const ids = new Map<TrieState, number>();
  const bySignature = new Map<string, number>();
  const transitions: Array<{ from: number; to: number; word: string }> = [];
  const accepting: number[] = [];
  let stateCount = 1;
  const order = postOrder(root);
  for (const state of order) {
    const edges = [...state.next.entries()].map(([word, target]) => [word, ids.get(target) ?? -1] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const signature = `${state.accepting ? 1 : 0}|${edges.map(([word, id]) => `${word}:${id}`).join(',')}`;
    let id = state === root ? 0 : bySignature.get(signature);
    if (id === undefined || (state === root && !bySignature.has(signature))) {
      id = state === root ? 0 : stateCount++;
      if (state !== root) bySignature.set(signature, id);
      for (const [word, target] of edges) transitions.push({ from: id, to: target, word });
      if (state.accepting) accepting.push(id);
    }
    ids.set(state, id);
  }
  assert(transitions.every((edge) => edge.to >= 0 && edge.to < stateCount));
  return { stateCount, transitions, accepting };
}

/** Children before parents, without recursion (names have few words, but rolls are large). */
function postOrder(root: TrieState): TrieState[] {
  const order: TrieState[] = [];
  const stack: Array<[TrieState, boolean]> = [[root, false]];
  while (stack.length > 0) {
    const [state, expanded] = stack.pop() ?? [root, true];
    if (expanded) {
      order.push(state);
      continue;
    }
    stack.push([state, true]);
    for (const child of state.next.values()) stack.push([child, false]);
  }
  return order;
}

/**
 * Sphinx FSG text with one final state. Pocketsphinx 0.8 decoded null transitions into the final state
 * badly (it preferred a partial "mary jones of" over the accepted "mary jones of ames"), so a word that
 * ends an accepted phrase gets its own edge straight into the final state instead.
 */
export function fsgText(name: string, graph: WordGraph): string {
  const final = graph.stateCount;
  const accepting = new Set(graph.accepting);
  const hasOut = new Set(graph.transitions.map((edge) => edge.from));
  const edges: Array<{ from: number; to: number; word: string }> = [];
  for (const edge of graph.transitions) {
    if (!accepting.has(edge.to) || hasOut.has(edge.to)) edges.push(edge);
    if (accepting.has(edge.to)) edges.push({ from: edge.from, to: final, word: edge.word });
  }
  const outDegree = new Map<number, number>();
  for (const edge of edges) outDegree.set(edge.from, (outDegree.get(edge.from) ?? 0) + 1);
  const lines = [`FSG_BEGIN ${name}`, `NUM_STATES ${graph.stateCount + 1}`, 'START_STATE 0', `FINAL_STATE ${final}`];
  for (const edge of edges) {
    lines.push(`TRANSITION ${edge.from} ${edge.to} ${(1 / (outDegree.get(edge.from) ?? 1)).toFixed(6)} ${edge.word}`);
  }
  lines.push('FSG_END', '');
  return lines.join('\n');
}

/** A city's grammar slug: its spoken words joined by '-' ("des-moines"). */
export function citySlug(city: string): string {
  return spokenWords(city).join('-') || 'unknown';
}

/**
 * Writes one FSG per city under `<outDir>/<generation>/` and returns the grammar definitions, keyed
 * `<generation>/city:<city-slug>`. Words no lexicon knows are left out with their voters (returned).
 * With `shortForms` the phrases include the first names' short forms (voterPhrases), keyed `…/city:<slug>+short`.
 */
export async function buildCityNameGrammars(options: { voters: Iterable<RollName>; generation: string;
  outDir: string; lexicon: Lexicon; part?: string; shortForms?: boolean }):
  Promise<{ grammars: GrammarDefinition[]; unpronounceable: string[] }> {
  // A part of a city (a surname range of a large town): its own file and key, `…/city:<slug>#<part>`.
  const part = `${options.part === undefined ? '' : `#${options.part}`}${options.shortForms === true ? '+short' : ''}`;
  const byCity = new Map<string, string[][]>();
  const unpronounceable = new Set<string>();
  for (const voter of options.voters) {
    for (const phrase of voterPhrases(voter, { shortForms: options.shortForms === true })) {
      const missing = phrase.filter((word) => options.lexicon.pronunciations(word).length === 0);
      if (missing.length > 0) {
        for (const word of missing) unpronounceable.add(word);
        continue;
      }
      const slug = citySlug(voter.city);
      const list = byCity.get(slug) ?? [];
      list.push(phrase);
      byCity.set(slug, list);
    }
  }
  const directory = join(options.outDir, options.generation);
  await mkdir(directory, { recursive: true });
  const grammars: GrammarDefinition[] = [];
  for (const [slug, phrases] of byCity) {
    const graph = buildWordGraph(phrases);
    const fileName = `${slug}${part.replace('#', '-part').replace('+', '-')}`;
    const path = join(directory, `names-${fileName}.fsg`);
    await writeFile(path, fsgText(`names_${fileName.replace(/-/g, '_')}`, graph));
    const vocabulary = [...new Set(phrases.flat())].sort();
    const pronunciations = new Map(vocabulary.map((word) => [word, options.lexicon.pronunciations(word)] as const));
    grammars.push({ context: 'name', grammarKey: `${options.generation}/city:${slug}${part}`, format: 'fsg', source: path,
      pronunciations, words: vocabulary });
  }
  return { grammars, unpronounceable: [...unpronounceable].sort() };
}
