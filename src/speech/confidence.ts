// N-best scores → 0..1 confidences. Pocketsphinx's path scores are log-likelihoods (log base 1.0001,
// already scaled down by the decoder); the posterior of each distinct hypothesis is its softmax over
// the N-best list, with the acoustic scale that turns the decoder's over-confident frame-wise scores
// into calibrated probabilities. A list with one entry says nothing about competitors, so it is capped.
import { strict as assert } from 'node:assert';

export interface ScoredText {
  readonly text: string;
  /** Log score in the decoder's units (higher is better). */
  readonly score: number;
}

/** Softmax scale per score unit: a gap of 1,000 units is a factor of e. See the doc comment above. */
export const scoreScale = 1 / 1000;
/** When the N-best list has a single distinct text, the posterior is not informative. */
export const singleHypothesisConfidenceMax = 0.9;

export function posteriorConfidences(entries: readonly ScoredText[]): Array<{ text: string; confidence: number }> {
  const best = new Map<string, number>();
  for (const entry of entries) {
    if (entry.text.trim() === '') continue;
    const known = best.get(entry.text);
    if (known === undefined || entry.score > known) best.set(entry.text, entry.score);
  }
  if (best.size === 0) return [];
  const ranked = [...best.entries()].sort((a, b) => b[1] - a[1]);
  const top = ranked[0]?.[1] ?? 0;
  const weights = ranked.map(([, score]) => Math.exp((score - top) * scoreScale));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const cap = ranked.length === 1 ? singleHypothesisConfidenceMax : 1;
  const result = ranked.map(([text], index) => ({ text, confidence: Math.min(cap, (weights[index] ?? 0) / total) }));
  assert(result.every((entry) => entry.confidence >= 0 && entry.confidence <= 1));
  return result;
}
