// Weighted phone edit distance for telephone speech. A 300-3400 Hz channel smears the fricatives
// (f/th/s/sh), nasals (m/n/ng) and the stop bursts (b/p/d/t/g/k), voicing is easy to lose, and
// unstressed vowels reduce toward schwa, so those substitutions cost less than an arbitrary one.
import assert from 'node:assert/strict';
import { arpabetPhones } from '../lexicon/lexicon.js';

export const phoneCount = arpabetPhones.length;
const phoneIds = new Map<string, number>(arpabetPhones.map((phone, index) => [phone, index]));

const vowels = new Set(['AA', 'AE', 'AH', 'AO', 'AW', 'AY', 'EH', 'ER', 'EY', 'IH', 'IY', 'OW', 'OY', 'UH', 'UW']);
/** Vowels that unstressed syllables reduce to (schwa and its neighbours). */
const reducedVowels = new Set(['AH', 'IH', 'ER', 'UH']);

/** Groups the telephone channel confuses; a pair within a group costs `confusionCost`. */
const confusionGroups: readonly (readonly string[])[] = [
  ['F', 'TH', 'S', 'SH', 'V', 'DH', 'Z', 'ZH', 'HH'],
  ['M', 'N', 'NG'],
  ['B', 'P', 'D', 'T', 'G', 'K'],
  ['CH', 'JH', 'SH', 'ZH', 'T', 'D'],
  ['L', 'R', 'W', 'ER'],
  ['Y', 'IY'],
  ['W', 'UW'],
];
/** Voiced/unvoiced pairs: closer than the rest of their group. */
const voicingPairs: readonly (readonly [string, string])[] = [
  ['B', 'P'], ['D', 'T'], ['G', 'K'], ['V', 'F'], ['DH', 'TH'], ['Z', 'S'], ['ZH', 'SH'], ['JH', 'CH'],
];

const voicingCost = 0.25;
const confusionCost = 0.45;
const reducedVowelCost = 0.3;
const vowelCost = 0.55;
const otherCost = 1;
const reducedVowelIndelCost = 0.5;
const weakConsonantIndelCost = 0.6;
const indelCost = 1;
const weakConsonants = new Set(['HH', 'Y', 'W', 'R', 'L', 'T', 'D']);

function substitutionCost(a: string, b: string): number {
  if (a === b) return 0;
  if (voicingPairs.some(([x, y]) => (a === x && b === y) || (a === y && b === x))) return voicingCost;
  if (vowels.has(a) && vowels.has(b)) {
    return reducedVowels.has(a) || reducedVowels.has(b) ? reducedVowelCost : vowelCost;
  }
  if (confusionGroups.some((group) => group.includes(a) && group.includes(b))) return confusionCost;
  return otherCost;
}

function indelCostOf(phone: string): number {
  if (reducedVowels.has(phone)) return reducedVowelIndelCost;
  if (weakConsonants.has(phone)) return weakConsonantIndelCost;
  return indelCost;
}

/** phoneCount × phoneCount substitution costs, row-major. */
export const substitutionCosts: Float32Array = (() => {
  const table = new Float32Array(phoneCount * phoneCount);
  arpabetPhones.forEach((a, row) => arpabetPhones.forEach((b, column) => {
    table[row * phoneCount + column] = substitutionCost(a, b);
  }));
  return table;
})();

export const indelCosts: Float32Array = Float32Array.from(arpabetPhones, indelCostOf);

/** Phones as small integers (what the index stores); throws on a phone outside ARPAbet. */
export function encodePhones(phones: readonly string[]): Uint8Array {
  return Uint8Array.from(phones, (phone) => {
    const id = phoneIds.get(phone);
    if (id === undefined) throw new Error(`unknown ARPAbet phone "${phone}"`);
    return id;
  });
}

export function isVowelId(id: number): boolean {
  return vowels.has(arpabetPhones[id] ?? '');
}

/** Longest pronunciation compared; longer ones are cut (no roll name is this long). */
export const comparedPhonesMax = 48;
const rowPrevious = new Float32Array(comparedPhonesMax + 1);
const rowCurrent = new Float32Array(comparedPhonesMax + 1);

/**
 * Weighted edit distance normalised to 0..1 by the longer string's length: 0 is the same
 * pronunciation, ~0.1-0.2 a telephone confusion or two, above ~0.4 another word. Returns 1 as soon
 * as the distance is sure to exceed `limit` (callers that keep only near words pass their cut-off).
 */
export function phoneDistance(a: Uint8Array, b: Uint8Array, limit = 1): number {
  const lengthA = Math.min(a.length, comparedPhonesMax);
  const lengthB = Math.min(b.length, comparedPhonesMax);
  if (lengthA === 0 || lengthB === 0) return lengthA === lengthB ? 0 : 1;
  const longer = Math.max(lengthA, lengthB);
  // Every extra phone costs at least the cheapest insertion: a length gap alone can exceed the limit.
  if ((Math.abs(lengthA - lengthB) * reducedVowelIndelCost) / longer > limit) return 1;
  const costLimit = limit * longer;
  let previous = rowPrevious;
  let current = rowCurrent;
  previous[0] = 0;
  for (let column = 1; column <= lengthB; column += 1) {
    previous[column] = (previous[column - 1] as number) + (indelCosts[b[column - 1] as number] as number);
  }
  for (let row = 1; row <= lengthA; row += 1) {
    const phoneA = a[row - 1] as number;
    const deleteA = indelCosts[phoneA] as number;
    current[0] = (previous[0] as number) + deleteA;
    let rowMinimum = current[0] as number;
    for (let column = 1; column <= lengthB; column += 1) {
      const phoneB = b[column - 1] as number;
      const substitute = (previous[column - 1] as number) + (substitutionCosts[phoneA * phoneCount + phoneB] as number);
      const remove = (previous[column] as number) + deleteA;
      const insert = (current[column - 1] as number) + (indelCosts[phoneB] as number);
      let cell = substitute < remove ? substitute : remove;
      if (insert < cell) cell = insert;
      current[column] = cell;
      if (cell < rowMinimum) rowMinimum = cell;
    }
    // Costs only grow down the table: once a whole row is past the limit, so is the answer.
    if (rowMinimum > costLimit) return 1;
    const swap = previous;
    previous = current;
    current = swap;
  }
  const distance = (previous[lengthB] as number) / longer;
  assert.ok(distance >= 0, 'edit distances are never negative');
  return Math.min(1, distance);
}

/**
 * Consonant classes for the phonetic keys: phones the channel confuses share a class, vowels and the
 * weak glides (HH, Y, W) have none (0), so a key is the word's consonant skeleton ("smith" → S M TH
 * → [1, 2, 1]) and survives vowel changes and telephone confusions.
 */
const classOf: Uint8Array = (() => {
  const classes = new Map<string, number>([
    ['F', 1], ['TH', 1], ['S', 1], ['SH', 1], ['V', 1], ['DH', 1], ['Z', 1], ['ZH', 1],
    ['M', 2], ['N', 2], ['NG', 2],
    ['B', 3], ['P', 3], ['D', 4], ['T', 4], ['G', 5], ['K', 5],
    ['CH', 6], ['JH', 6],
    ['L', 7], ['R', 8], ['ER', 8],
  ]);
  return Uint8Array.from(arpabetPhones, (phone) => classes.get(phone) ?? 0);
})();
const keyBase = 9;
/** Skeletons are cut to this many consonants, so a key fits a double exactly (9^14 < 2^53). */
const skeletonMax = 14;

function skeleton(phones: Uint8Array): number[] {
  const classes: number[] = [];
  for (const phone of phones) {
    const phoneClass = classOf[phone] as number;
    // A doubled class ("T D" across a word joint) is one sound on the phone.
    if (phoneClass !== 0 && classes[classes.length - 1] !== phoneClass) classes.push(phoneClass);
  }
  return classes.slice(0, skeletonMax);
}

function keyOf(classes: readonly number[]): number {
  let key = 1;
  for (const phoneClass of classes) key = key * keyBase + phoneClass;
  return key;
}

/**
 * The phonetic keys of a pronunciation: its consonant skeleton and, when it has three consonants or
 * more, the skeleton with each consonant left out (shorter skeletons would key half the roll). Two
 * words share a key when their skeletons are within one consonant inserted, dropped or changed to
 * another class (symmetric deletion).
 */
export function phoneticKeys(phones: Uint8Array): number[] {
  const classes = skeleton(phones);
  const keys = [keyOf(classes)];
  if (classes.length >= 3) {
    for (let left = 0; left < classes.length; left += 1) {
      // Dropping a consonant can bring two of one class together ("m(l)n"): they merge, as in skeleton().
      const shorter = [...classes.slice(0, left), ...classes.slice(left + 1)]
        .filter((phoneClass, index, all) => index === 0 || all[index - 1] !== phoneClass);
      keys.push(keyOf(shorter));
    }
  }
  return [...new Set(keys)];
}

/** Query skeletons at least this long also try two consonants left out (a long name heard with extra words). */
const doubleDeletionSkeletonMin = 5;

/**
 * Keys to look a heard pronunciation up with: its own keys and, for long skeletons, those with two
 * consonants left out, so an indexed word within three consonant edits of a long query is found.
 */
export function queryKeys(phones: Uint8Array): number[] {
  const classes = skeleton(phones);
  const keys = new Set(phoneticKeys(phones));
  if (classes.length >= doubleDeletionSkeletonMin) {
    for (let first = 0; first < classes.length; first += 1) {
      for (let second = first + 1; second < classes.length; second += 1) {
        const shorter = classes.filter((_, index) => index !== first && index !== second)
          .filter((phoneClass, index, all) => index === 0 || all[index - 1] !== phoneClass);
        keys.add(keyOf(shorter));
      }
    }
  }
  return [...keys];
}
