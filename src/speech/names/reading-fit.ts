// How well pass 2's voter fits the audio, against the fallback finder's free reading of it. When pass 1
// names no city, the fallback finder (independent name slots) names one, and pass 2 forces the audio onto
// that city's voters: a right city gives the caller's own voter, a wrong one some voter of that city who
// merely sounds a little alike. Pass 2's confidences cannot tell the two apart (its N-best rarely holds a
// competitor), so both readings are aligned alone on the kept audio, each as a one-path grammar (equal
// transition costs, so the path scores differ only by how the words fit the sound), and their score gap per
// 10 ms of speech is the evidence: the free reading always fits at least about as well (it may choose any
// name words), by little when the voter is the one said and by much when it is not.
//
// Measured on the CI corpus's tuning names (pocketsphinx, fallback used, gap per frame of speech): right
// voters -6.3, -4.4, -4.1, -3.8, -3.1, -2.9, -2.2, -2.2, -0.4, +1.0; wrong voters -22.8, -20.8, -18.4,
// -11.6, -10.5, -9.2, -6.5, -5.6, -3.0, +0.2. The free reading is no true free decode (the slots finder
// chooses among the roll's words, and a poor slots path is a weak reference), so the two overlap.
// With fitGapMinDefault (correct/wrong-confident, off -> on): tuning names one at a time 17/2 -> 23/2 (6 voters
// confirmed, none wrong); held-out 13/1 -> 14/2; all 80 names paced, 2 callers, load ~12: 23/3 -> 30/5. Wrong-
// confident rose, so the path keeps it off (TwoPassOptions.fitGapMin null) until a truer free reference (a
// phone loop, or a free decode sharing the voter grammar's transition costs) separates the two clusters.
import type { GrammarDefinition } from '../grammar/grammar-definition.js';
import type { PathAcoustic, RecognizeOptions } from '../recognizer.js';
import { decodeAgain } from './following-passes.js';
import { readingWords } from './reading-words.js';
import type { GrammarRecognizer } from './two-pass-name-recognizer.js';

/**
 * Pass 2's voter counts as heard when its gap to the fallback's free reading is at least this (score units
 * per 10 ms of speech): then the fallback's reading is left out of the mixture. Between the tuning clusters
 * above; the path uses it only when asked (TwoPassOptions.fitGapMin), see above.
 */
export const fitGapMinDefault = -5;

export interface ReadingFit {
  /** Path score of the text aligned alone, or null when the decoder found no path through it. */
  readonly score: number | null;
  readonly speechMs: number;
  /** The alignment grammar's key (forgotten after the decode). */
  readonly grammarKey: string;
  /** The path's acoustic fit alone, when asked for (alignReading's `acoustics`). */
  readonly acoustic?: PathAcoustic;
}

let alignments = 0;

/** A one-path JSGF grammar saying exactly `text`, or null if a word has no pronunciation in `pronunciations`. */
export function oneReadingGrammar(key: string, text: string,
  pronunciations: ReadonlyMap<string, readonly (readonly string[])[]>): GrammarDefinition | null {
  const said = readingWords(text);
  const words = [...new Set(said)];
  if (words.length === 0 || words.some((word) => (pronunciations.get(word) ?? []).length === 0)) return null;
  return { context: 'name', grammarKey: key, format: 'jsgf', wideWordBeam: true,
    source: ['#JSGF V1.0;', 'grammar reading;', `public <reading> = ${said.join(' ')};`, ''].join('\n'),
    pronunciations: new Map(words.map((word) => [word, pronunciations.get(word) ?? []] as const)),
    words: words.sort() };
}

/** Aligns `text` alone on the kept audio (a grammar of its own, forgotten after), best path only. */
export async function alignReading(base: GrammarRecognizer, audio: readonly Int16Array[], text: string,
  options: RecognizeOptions, prefix: string,
  pronunciations: ReadonlyMap<string, readonly (readonly string[])[]>, acoustics = false): Promise<ReadingFit | null> {
  alignments += 1;
  // A key of its own each time: a decoder keeps compiled searches by key, so a key is never reused for other text.
  const grammar = oneReadingGrammar(`${prefix}/fit:${alignments}`, text, pronunciations);
  if (grammar === null) return null;
  base.addGrammar(grammar);
  try {
    const recognition = await decodeAgain(base, audio, { ...options, grammarKey: grammar.grammarKey, nBest: 1,
      ...(acoustics ? { pathAcoustics: true } : {}) });
    const acoustic = recognition.hypotheses[0]?.acoustic;
    return { score: recognition.hypotheses[0]?.pathScore ?? null, speechMs: recognition.speechMs,
      grammarKey: grammar.grammarKey, ...(acoustic === undefined ? {} : { acoustic }) };
  } finally {
    base.removeGrammar?.('name', grammar.grammarKey);
  }
}

/** Gap per 10 ms of speech between the voter's fit and the free reading's; null without both scores. */
export function fitGapPerFrame(voter: ReadingFit | null, free: ReadingFit | null): number | null {
  if (voter?.score == null || free?.score == null) return null;
  const frames = Math.max(voter.speechMs, free.speechMs) / 10;
  if (!(frames > 0)) return null;
  return (voter.score - free.score) / frames;
}

/**
 * The fallback finder's weight in the mixture given the fit: none when the voter fits at least `gapMin`
 * (its free reading is then no evidence against the voter), else `weight` as without the fit.
 */
export function finderWeightAfterFit(gap: number | null, gapMin: number | null, weight: number): number {
  return gap !== null && gapMin !== null && gap >= gapMin ? 0 : weight;
}
