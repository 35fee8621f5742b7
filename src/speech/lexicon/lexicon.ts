// The pronunciation lexicon port: how a word of the roll or of a grammar is said, in ARPAbet phones.
// CMUdict answers for most words; a grapheme-to-phoneme step fills in roll names it lacks, so lexicons
// chain: the first one that knows a word answers for it.

/** ARPAbet phone symbols without stress digits (CMUdict's 39 phones), upper case. */
export const arpabetPhones = [
  'AA', 'AE', 'AH', 'AO', 'AW', 'AY', 'B', 'CH', 'D', 'DH', 'EH', 'ER', 'EY', 'F', 'G', 'HH', 'IH', 'IY',
  'JH', 'K', 'L', 'M', 'N', 'NG', 'OW', 'OY', 'P', 'R', 'S', 'SH', 'T', 'TH', 'UH', 'UW', 'V', 'W', 'Y', 'Z',
  'ZH',
] as const;

export type ArpabetPhone = (typeof arpabetPhones)[number];

const phoneSet: ReadonlySet<string> = new Set(arpabetPhones);

export function isArpabetPhone(value: string): value is ArpabetPhone {
  return phoneSet.has(value);
}

/** One way to say a word: a non-empty list of ARPAbet phones. */
export type Pronunciation = readonly string[];

export interface Lexicon {
  /**
   * Every known pronunciation of a lower-case word, the most common first; empty when the word is unknown.
   * Never throws for an unknown word: callers chain a fallback instead.
   */
  pronunciations(word: string): readonly Pronunciation[];
}

/** A lexicon that knows nothing: the neutral element of `chainLexicons`. */
export const emptyLexicon: Lexicon = { pronunciations: () => [] };

/** The first lexicon that knows a word answers for it (e.g. `chainLexicons(cmudict, g2p)`). */
export function chainLexicons(...lexicons: readonly Lexicon[]): Lexicon {
  return {
    pronunciations(word: string): readonly Pronunciation[] {
      for (const lexicon of lexicons) {
        const found = lexicon.pronunciations(word);
        if (found.length > 0) return found;
      }
      return [];
    },
  };
}

/** A lexicon held in memory; words are looked up lower-cased. */
export class MapLexicon implements Lexicon {
  private readonly entries = new Map<string, Pronunciation[]>();

  /** Adds one pronunciation (after those already known for the word; duplicates are ignored). */
  add(word: string, phones: Pronunciation): void {
    const key = word.toLowerCase();
    if (key.length === 0) throw new Error('lexicon word is empty');
    if (phones.length === 0) throw new Error(`lexicon entry "${word}" has no phones`);
    for (const phone of phones) {
      if (!isArpabetPhone(phone)) throw new Error(`lexicon entry "${word}" has an unknown phone "${phone}"`);
    }
    const known = this.entries.get(key);
    const copy = Object.freeze([...phones]);
    if (known === undefined) {
      this.entries.set(key, [copy]);
    } else if (!known.some((existing) => samePhones(existing, copy))) {
      known.push(copy);
    }
  }

  pronunciations(word: string): readonly Pronunciation[] {
    return this.entries.get(word.toLowerCase()) ?? [];
  }

  get size(): number {
    return this.entries.size;
  }

  words(): IterableIterator<string> {
    return this.entries.keys();
  }
}

function samePhones(a: Pronunciation, b: Pronunciation): boolean {
  return a.length === b.length && a.every((phone, index) => phone === b[index]);
}
