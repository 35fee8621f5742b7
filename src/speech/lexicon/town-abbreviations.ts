// Town words county clerks abbreviate and callers say in full: "Ft Madison" is said "Fort Madison". Iowa's
// official list spells several towns so ("ft madison", "mt pleasant", "st lucas") and the roll keeps its
// spelling. CMUdict has "mt" (mount) and "st" (street, saint) but not "ft", which espeak-ng reads as the
// letters "eff tee": a grammar built that way could not hear a caller say the town.
import { chainLexicons, type Lexicon, type Pronunciation } from './lexicon.js';

// A Map, not an object: a roll word such as "constructor" must not find Object.prototype's.
export const townAbbreviations: ReadonlyMap<string, string> = new Map([['ft', 'fort'], ['mt', 'mount'], ['st', 'saint']]);

/** A town as a caller says it, abbreviated words in full ("ft madison" → "fort madison"). */
export function saidTown(town: string): string {
  return town.split(' ').map((word) => townAbbreviations.get(word.toLowerCase()) ?? word).join(' ');
}

/** The long form's pronunciations for an abbreviation `dictionary` lacks ("ft" said as "fort"). */
export function abbreviationLexicon(dictionary: Lexicon): Lexicon {
  return {
    pronunciations(word: string): readonly Pronunciation[] {
      const longForm = townAbbreviations.get(word.toLowerCase());
      return longForm === undefined ? [] : dictionary.pronunciations(longForm);
    },
  };
}

/** The dictionary, then an abbreviation it lacks said as its long form: how the grammars and the matcher say words. */
export function withTownAbbreviations(dictionary: Lexicon): Lexicon {
  return chainLexicons(dictionary, abbreviationLexicon(dictionary));
}
