// How well pass 2's voter fits the audio, against the fallback finder's free reading of it. When pass 1
// names no city, the fallback finder (independent name slots) names one, and pass 2 forces the audio onto
// that city's voters: a right city gives the caller's own voter, a wrong one some voter of that city who
// merely sounds a little alike. Pass 2's confidences cannot tell the two apart (its N-best rarely holds a
// competitor), so both readings are aligned alone on the kept audio, each as a one-path grammar (equal
// transition costs, so the path scores differ only by how the words fit the sound), and their score gap per
// 10 ms of speech is the evidence: the free reading always fits at least about as well (it may choose any
// name words), by little when the voter is the one said and by much when it is not.
//
// First measured on the CI corpus's tuning names (10 right voters, gaps -6.3 to +1.0; 10 wrong, -22.8 to +0.2):
// the clusters overlapped and held-out wrong-confident rose by one, so it stayed off. Measured again on 240
// generated tuning names (seeds 166 and 167, `corpus name-stages --name-fit-gap-min -1000`), 46 fallback cases
// with both alignments. With the finder's reading always left out, the right voters offered had gaps -9.0 to
// +1.8, the wrong ones -24.0 to -10.8 except two (-5.5, +3.9).
// At the existing fitGapMinDefault, replayed on their readings: fallback cases right / wrong 6 / 0 -> 17 / 1.
// Then once on held-out voices (corpus runner, right / wrong voters offered, off -> on): seeds 168-171, 320 names,
// 193 / 4 -> 201 / 4; fresh seeds 172 and 173, made after deciding, 85 / 4 -> 92 / 4. So it is on. It costs two
// one-path decodes after pass 2 on the utterances whose city the fallback finder named (about a quarter).
import type { GrammarDefinition, Pronunciations } from '../grammar/grammar-definition.js';
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
  pronunciations: Pronunciations): GrammarDefinition | null {
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
  pronunciations: Pronunciations, acoustics = false): Promise<ReadingFit | null> {
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
