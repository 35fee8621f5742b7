// Spelled letters: "d o e", "dee oh ee", "double s" and the NATO alphabet ("delta oscar echo") → "doe".
import { spokenWords } from './digits.js';

const letterNames: Readonly<Record<string, string>> = {
  a: 'a', ay: 'a', eh: 'a', b: 'b', bee: 'b', be: 'b', c: 'c', cee: 'c', see: 'c', sea: 'c', d: 'd', dee: 'd',
  e: 'e', ee: 'e', f: 'f', ef: 'f', eff: 'f', g: 'g', gee: 'g', h: 'h', aitch: 'h', haitch: 'h', i: 'i', eye: 'i',
  j: 'j', jay: 'j', k: 'k', kay: 'k', l: 'l', el: 'l', ell: 'l', m: 'm', em: 'm', n: 'n', en: 'n', o: 'o',
  oh: 'o', owe: 'o', p: 'p', pee: 'p', pea: 'p', q: 'q', cue: 'q', queue: 'q', r: 'r', ar: 'r', are: 'r', s: 's',
  es: 's', ess: 's', t: 't', tee: 't', tea: 't', u: 'u', you: 'u', v: 'v', vee: 'v', w: 'w', x: 'x', ex: 'x',
  y: 'y', why: 'y', wye: 'y', z: 'z', zee: 'z', zed: 'z',
  alpha: 'a', alfa: 'a', bravo: 'b', charlie: 'c', delta: 'd', echo: 'e', foxtrot: 'f', golf: 'g', hotel: 'h',
  india: 'i', juliet: 'j', juliett: 'j', kilo: 'k', lima: 'l', mike: 'm', november: 'n', oscar: 'o', papa: 'p',
  quebec: 'q', romeo: 'r', sierra: 's', tango: 't', uniform: 'u', victor: 'v', whiskey: 'w', whisky: 'w',
  'x-ray': 'x', xray: 'x', yankee: 'y', zulu: 'z',
};

/** The letters spelled, lower case; null when a word is not a letter (or nothing was spelled). */
export function parseSpelledLetters(text: string): string | null {
  const words = spokenWords(text);
  let letters = '';
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] as string;
    if (word === 'double' || word === 'triple') {
      const next = letterNames[words[index + 1] ?? ''];
      if (next === undefined) return null;
      letters += next.repeat(word === 'double' ? 2 : 3);
      index += 1;
      continue;
    }
    if (word === 'dash' || word === 'hyphen') {
      letters += '-';
      continue;
    }
    if (word === 'apostrophe') {
      letters += "'";
      continue;
    }
    // "double u" is w; spelled out as one word it arrives as "double" "u" (handled above as "uu").
    const letter = letterNames[word];
    if (letter === undefined) return null;
    letters += letter;
  }
  return /[a-z]/.test(letters) ? letters : null;
}
