// Whole numbers as said, read strictly: "five hundred and twenty one", "three thousand five", "ninety
// nine". Every word must stand where a number can have it (as in the money parser, parseNumberWords), so
// "twelve thirty" is not a number here and can be read as the pair 12 | 30 instead (bill numbers said as
// years are).

import { teenWords as teens, tensWords as tens, unitWords as units } from '../../core/number-words.js';

export { teens, tens, units };

export interface Read {
  readonly value: number;
  /** Words used. */
  readonly length: number;
}

/** 1-99 at the start of `words`: "seven", "thirteen", "forty", "forty two". */
export function readBelowHundred(words: readonly string[], at: number): Read | null {
  const word = words[at] ?? '';
  const unit = units[word] ?? teens[word];
  if (unit !== undefined) return { value: unit, length: 1 };
  const ten = tens[word];
  if (ten === undefined) return null;
  const next = units[words[at + 1] ?? ''];
  return next === undefined ? { value: ten, length: 1 } : { value: ten + next, length: 2 };
}

/** 1-1999 at `at`: "forty two", "five hundred", "five hundred and one", "nineteen hundred eighty four". */
function readBelowThousand(words: readonly string[], at: number): Read | null {
  const head = readBelowHundred(words, at);
  if (head === null) return null;
  if (words[at + head.length] !== 'hundred' || head.value >= 20) return head;
  let length = head.length + 1;
  if (words[at + length] === 'and') length += 1;
  const rest = readBelowHundred(words, at + length);
  if (rest === null) return words[at + length - 1] === 'and' ? null : { value: head.value * 100, length };
  return { value: head.value * 100 + rest.value, length: length + rest.length };
}

/** A whole number below a million spelled out in words, or null unless every word is part of it. */
export function parseWholeNumberWords(words: readonly string[]): number | null {
  const first = readBelowThousand(words, 0);
  if (first === null) return null;
  let at = first.length;
  let value = first.value;
  if (words[at] === 'thousand') {
    value *= 1000;
    at += 1;
    if (words[at] === 'and') at += 1;
    const rest = readBelowThousand(words, at);
    if (rest !== null && rest.value < 1000) {
      value += rest.value;
      at += rest.length;
    } else if (words[at - 1] === 'and') {
      return null;
    }
  }
  return at === words.length ? value : null;
}

/** The low half of a year-style pair: "thirty four" 34, "twelve" 12, "oh five" 5; null otherwise. */
export function parsePairWords(words: readonly string[]): number | null {
  if (words[0] === 'oh') return words.length === 2 ? units[words[1] ?? ''] ?? null : null;
  const read = readBelowHundred(words, 0);
  return read !== null && read.length === words.length && read.value >= 10 ? read.value : null;
}
