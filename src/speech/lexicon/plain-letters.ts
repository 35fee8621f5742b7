// Roll names as the speech path compares them. Rolls may carry accents ("José Núñez") and typographic
// apostrophes ("O’Brien"); the grammars, the pronouncing dictionary and a caller's keypad know only a–z and
// "'", so without folding such a voter could not be named by voice or keypad at all. NFKD rather than NFD:
// it also splits ligatures ("ĳ" → "ij") and compatibility letters ("ſ" → "s", "ŀ" → "l·").

/** Letters written with no decomposition that folds them, spelled as English readers say them. */
const spelledOut: Readonly<Record<string, string>> = {
  'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'ø': 'o', 'ł': 'l', 'đ': 'd', 'ð': 'd', 'þ': 'th', 'ı': 'i', 'ħ': 'h',
  'ŧ': 't', 'ŋ': 'ng', 'ĸ': 'k', '\u00b7': '',
  '\u2019': "'", '\u2018': "'", '\u02bc': "'", '\u00b4': "'",
};
const spelledOutPattern = new RegExp(`[${Object.keys(spelledOut).join('')}]`, 'g');
const combiningMarks = /\p{M}/gu;
const ascii = /^[\x00-\x7f]*$/;

/** Lower case with accents folded to their letter ("Núñez" → "nunez", "O’Brien" → "o'brien"). */
export function plainLetters(text: string): string {
  const lower = text.toLowerCase();
  // Fast path: nearly every roll field is plain ASCII already.
  if (ascii.test(lower)) return lower;
  return lower.normalize('NFKD').replace(combiningMarks, '').replace(spelledOutPattern, (letter) => spelledOut[letter] ?? '');
}
