// English number words below a hundred: one table for the money parser, the amounts the dialog reads back,
// and the speech parsers of bill and phone numbers, so a word one of them reads the others read the same.

export const unitWords: Readonly<Record<string, number>> = Object.freeze({
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
});
export const teenWords: Readonly<Record<string, number>> = Object.freeze({
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19,
});
export const tensWords: Readonly<Record<string, number>> = Object.freeze({
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
});

/** The word for each value 0-19, indexed by it. */
export const wordsBelowTwenty: readonly string[] = Object.freeze(['zero', ...Object.keys(unitWords),
  ...Object.keys(teenWords)]);
/** The word for each multiple of ten, indexed by the tens digit ('' for 0 and 10, which have none). */
export const wordsForTens: readonly string[] = Object.freeze(['', '', ...Object.keys(tensWords)]);
