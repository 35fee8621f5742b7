// Telephone keypad letters (ITU E.161): 2=abc 3=def 4=ghi 5=jkl 6=mno 7=pqrs 8=tuv 9=wxyz.
import { plainLetters } from '../../core/plain-letters.js';

const keyOfLetter: ReadonlyMap<string, string> = new Map(
  ['abc', 'def', 'ghi', 'jkl', 'mno', 'pqrs', 'tuv', 'wxyz'].flatMap((letters, index) =>
    [...letters].map((letter) => [letter, String(index + 2)] as const)),
);

/** The digits a caller presses to spell a name: letters only, accents folded (spaces, hyphens, apostrophes skipped). */
export function keypadDigits(name: string): string {
  let digits = '';
  for (const letter of plainLetters(name)) digits += keyOfLetter.get(letter) ?? '';
  return digits;
}
