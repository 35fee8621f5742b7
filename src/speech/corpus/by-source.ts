// Outcomes per voice and per channel (the manifest's optional `voice` and `channel`), for report.html.
// A weakness of one voice or one line hides in the per-context figures: a shorter pre-roll's gain on the
// tuning voices (README, speech engines) was nearly all in two voices of seven, which only a table by voice
// made plain. Not in summary.json, whose keys are a contract.
import type { ItemResult } from './runner.js';

export interface SourceCounts {
  /** The voice or channel as the manifest names it; `notGiven` for items without one. */
  source: string;
  total: number;
  correct: number;
  wrongConfident: number;
  rejected: number;
}

export type SourceField = 'voice' | 'channel';

/** What items without the field are counted under. */
export const notGiven = '(not given)';

/**
 * Outcome counts of the results grouped by `field`, the weakest first (least share correct, then most
 * wrong-confident), ties by name; empty when no item names the field (an operator's own recordings).
 */
export function countsBySource(results: readonly ItemResult[], field: SourceField): SourceCounts[] {
  if (!results.some((result) => result.item[field] !== undefined)) return [];
  const bySource = new Map<string, SourceCounts>();
  for (const result of results) {
    const source = result.item[field] ?? notGiven;
    const counts = bySource.get(source) ?? { source, total: 0, correct: 0, wrongConfident: 0, rejected: 0 };
    counts.total += 1;
    if (result.judgement.outcome === 'correct') counts.correct += 1;
    else if (result.judgement.outcome === 'wrong-confident') counts.wrongConfident += 1;
    else counts.rejected += 1;
    bySource.set(source, counts);
  }
  const share = (counts: SourceCounts): number => counts.correct / counts.total;
  return [...bySource.values()].sort((a, b) => share(a) - share(b)
    || b.wrongConfident / b.total - a.wrongConfident / a.total || a.source.localeCompare(b.source));
}
