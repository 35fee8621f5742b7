// Pronunciations for the few words of a run-time grammar (bill titles): CMUdict first, read line by line
// for just those words (the whole dictionary as a lexicon costs tens of MB, and a week has a few dozen
// title words), then espeak-ng's letter-to-sound rules for words CMUdict lacks ("broadband").
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { debianCmudictPath, parseCmudictLine } from '../lexicon/cmudict.js';
import { EspeakG2p } from '../lexicon/g2p.js';
import { chainLexicons, MapLexicon, type Lexicon } from '../lexicon/lexicon.js';

export interface TitleLexiconOptions {
  readonly cmudictPath?: string;
  /** Letter-to-sound for words CMUdict lacks; null leaves them unpronounceable. */
  readonly g2p?: EspeakG2p | null;
}

const sharedG2p = new EspeakG2p();

/** A lexicon that knows `words` (lower case) as far as CMUdict and then espeak-ng can say them. */
export async function titleLexicon(words: Iterable<string>, options: TitleLexiconOptions = {}): Promise<Lexicon> {
  const wanted = new Set([...words].map((word) => word.toLowerCase()));
  const fromDictionary = new MapLexicon();
  const reader = createInterface({ input: createReadStream(options.cmudictPath ?? debianCmudictPath, 'utf8'),
    crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of reader) {
    lineNumber += 1;
    const space = line.indexOf(' ');
    if (space <= 0 || !wanted.has(line.slice(0, space).replace(/\(\d+\)$/, '').toLowerCase())) continue;
    const entry = parseCmudictLine(line, lineNumber);
    if (entry !== null) fromDictionary.add(entry.word, entry.phones);
  }
  const missing = [...wanted].filter((word) => fromDictionary.pronunciations(word).length === 0);
  const g2p = options.g2p === undefined ? sharedG2p : options.g2p;
  if (missing.length === 0 || g2p === null) return fromDictionary;
  return chainLexicons(fromDictionary, await g2p.lexicon(missing));
}
