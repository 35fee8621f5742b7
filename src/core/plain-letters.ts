// Roll names as the speech path and the public voter search compare them. Rolls may carry accents ("José
// Núñez") and typographic apostrophes ("O’Brien"); the grammars, the pronouncing dictionary and a caller's
// keypad know only a–z and "'", and a visitor may type either, so without folding such a voter could not be
// named by voice or keypad at all, nor found by a search typed without the accents. NFKD rather than NFD:
// it also splits ligatures ("ĳ" → "ij") and compatibility letters ("ſ" → "s", "ŀ" → "l·").

/** Letters written with no decomposition that folds them, spelled as English readers say them. */
const spelledOut: Readonly<Record<string, string>> = {
  'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'ø': 'o', 'ł': 'l', 'đ': 'd', 'ð': 'd', 'þ': 'th', 'ı': 'i', 'ħ': 'h',
  'ŧ': 't', 'ŋ': 'ng', 'ĸ': 'k', '\u00b7': '',
  '\u2019': "'", '\u2018': "'", '\u02bc': "'", '\u00b4': "'",
};
/** Their capitals too, where the capital is the same letter ("Ø"; not "I", which is the capital of "ı" as well). */
const spelledOutLetters = Object.keys(spelledOut).flatMap((letter) => {
  const capital = letter.toUpperCase();
  return capital !== letter && capital.length === 1 && capital.toLowerCase() === letter ? [letter, capital] : [letter];
});
const spelledOutPattern = new RegExp(`[${spelledOutLetters.join('')}]`, 'g');
const combiningMarks = /\p{M}/gu;
const ascii = /^[\x00-\x7f]*$/;

/** Accents folded, case kept ("José Núñez" → "Jose Nunez", "ØRSTED" → "ORSTED"): for text said by flite. */
export function withoutAccents(text: string): string {
  // Fast path: nearly every roll field and prompt is plain ASCII already.
  if (ascii.test(text)) return text;
  return text.normalize('NFKD').replace(combiningMarks, '').replace(spelledOutPattern, (letter) => {
    const lower = letter.toLowerCase();
    const spelled = spelledOut[lower] ?? '';
    return letter === lower ? spelled : spelled.charAt(0).toUpperCase() + spelled.slice(1);
  });
}

/** Lower case with accents folded to their letter ("Núñez" → "nunez", "O’Brien" → "o'brien"). */
export function plainLetters(text: string): string {
  return withoutAccents(text.toLowerCase());
}

/** Runs of single letters become one word ("j r ewing" → "jr ewing"): the letters spell one name. */
export function joinSpelledLetters(words: readonly string[]): string[] {
  const joined: string[] = [];
  let run = '';
  for (const word of words) {
    if (word.length === 1 && /[a-z]/.test(word)) {
      run += word;
      continue;
    }
    if (run.length > 0) joined.push(run);
    run = '';
    joined.push(word);
  }
  if (run.length > 0) joined.push(run);
  return joined;
}

const periodsOrSpacedLetters = /\.|(^|\s)[a-z]\s+[a-z](\s|$)/;

/**
 * A roll name or place as the matcher compares it: plain letters, a period read as a break between words,
 * and initials one word, as a caller's spelled letters are (utterance.ts): "J.R." and "J R" → "jr" (as
 * nicknames.csv writes "k.c." and first-names.txt "aj"), "St. John" → "st john", "A." → "a". Read as written,
 * "j.r." was no word any caller could say.
 */
export function plainName(text: string): string {
  const plain = plainLetters(text);
  if (!periodsOrSpacedLetters.test(plain)) return plain;
  return joinSpelledLetters(plain.replace(/\./g, ' ').split(/\s+/).filter((word) => word.length > 0)).join(' ');
}
