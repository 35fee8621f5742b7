// A last-resort pronunciation from spelling, for a roll word no lexicon knows (the G2P fallback may
// not be configured). Crude English letter rules: both a roll word and the same word heard go through
// the same rules, so an exact word still matches exactly, and near spellings land near each other.
import { plainLetters } from '../../core/plain-letters.js';

const digraphs: readonly (readonly [string, readonly string[]])[] = [
  ['tch', ['CH']], ['sch', ['SH']], ['ch', ['CH']], ['sh', ['SH']], ['th', ['TH']], ['ph', ['F']],
  ['ck', ['K']], ['ng', ['NG']], ['qu', ['K', 'W']], ['wh', ['W']], ['gh', []], ['kn', ['N']],
  ['ee', ['IY']], ['ea', ['IY']], ['ie', ['IY']], ['oo', ['UW']], ['ou', ['AW']], ['ow', ['OW']],
  ['ai', ['EY']], ['ay', ['EY']], ['ei', ['EY']], ['ey', ['IY']], ['oa', ['OW']], ['oi', ['OY']],
  ['oy', ['OY']], ['au', ['AO']], ['aw', ['AO']], ['ue', ['UW']],
];

const letters: Readonly<Record<string, readonly string[]>> = {
  a: ['AE'], b: ['B'], c: ['K'], d: ['D'], e: ['EH'], f: ['F'], g: ['G'], h: ['HH'], i: ['IH'], j: ['JH'],
  k: ['K'], l: ['L'], m: ['M'], n: ['N'], o: ['AA'], p: ['P'], q: ['K'], r: ['R'], s: ['S'], t: ['T'],
  u: ['AH'], v: ['V'], w: ['W'], x: ['K', 'S'], y: ['IY'], z: ['Z'],
};

/** Phones guessed from letters; empty for a word without letters. */
export function spellingPhones(word: string): string[] {
  const text = plainLetters(word).replace(/[^a-z]/g, '');
  const phones: string[] = [];
  let index = 0;
  while (index < text.length) {
    const rest = text.slice(index);
    const digraph = digraphs.find(([spelling]) => rest.startsWith(spelling));
    if (digraph !== undefined) {
      phones.push(...digraph[1]);
      index += digraph[0].length;
      continue;
    }
    const letter = rest[0] as string;
    const next = rest[1];
    // A final silent e, a soft c/g before e/i/y, and doubled consonants said once.
    if (letter === 'e' && index === text.length - 1 && phones.length > 1) break;
    if (letter === next && !'aeiou'.includes(letter)) { index += 1; continue; }
    if ((letter === 'c' || letter === 'g') && next !== undefined && 'eiy'.includes(next)) {
      phones.push(letter === 'c' ? 'S' : 'JH');
    } else if (letter === 'y' && index === 0) {
      phones.push('Y');
    } else {
      phones.push(...(letters[letter] ?? []));
    }
    index += 1;
  }
  return phones;
}
