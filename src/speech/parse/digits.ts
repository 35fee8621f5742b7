// Spoken and keyed digit strings: "five one five", "oh" and "zero" for 0, "double five" for 55,
// digits typed or recognized as numerals. Grouped digits ("five one five, five five five") read the same.

export const digitWords: Readonly<Record<string, string>> = {
  zero: '0', oh: '0', o: '0', one: '1', two: '2', to: '2', too: '2', three: '3', four: '4', for: '4', five: '5',
  six: '6', seven: '7', eight: '8', nine: '9',
};
const repeaters: Readonly<Record<string, number>> = { double: 2, triple: 3 };

/** Lower-case words of an utterance; punctuation between groups is dropped. */
export function spokenWords(text: string): string[] {
  return text.toLowerCase().replace(/[,.;:!?()]/g, ' ').split(/\s+/).filter((word) => word.length > 0);
}

/** The digits said, or null when any word is not a digit ("five one five" → "515"). */
export function parseDigitWords(words: readonly string[]): string | null {
  let digits = '';
  let repeat = 1;
  for (const word of words) {
    const repeater = repeaters[word];
    if (repeater !== undefined) {
      if (repeat !== 1) return null;
      repeat = repeater;
      continue;
    }
    const digit = digitWords[word] ?? (/^\d+$/.test(word) ? word : undefined);
    if (digit === undefined) return null;
    if (repeat !== 1 && digit.length !== 1) return null;
    digits += digit.repeat(repeat);
    repeat = 1;
  }
  return repeat === 1 && digits.length > 0 ? digits : null;
}

/** The words of digits said or keyed, a dash between keyed digits a space ("515-555" → "515", "555"). */
export function digitTextWords(text: string): string[] {
  return spokenWords(text.replace(/(\d)-(?=\d)/g, '$1 '));
}

/** Digits from an utterance or from keys pressed ("515-555-0123", "5 1 5", "five one five"). */
export function parseDigits(text: string): string | null {
  return parseDigitWords(digitTextWords(text));
}
