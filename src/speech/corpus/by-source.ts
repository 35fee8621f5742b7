// Outcomes per voice and per channel (the manifest's optional `voice` and `channel`), for report.html.
// A weakness of one voice or one line hides in the per-context figures: a shorter pre-roll's gain on the
// tuning voices (README, speech engines) was nearly all in two voices of seven, which only a table by voice
// made plain. Not in summary.json, whose keys are a contract.
import type { ItemResult } from './runner.js';
import { countOutcomes, type ContextCounts } from './summary.js';

export interface SourceCounts extends ContextCounts {
  /** The voice or channel as the manifest names it; `notGiven` for items without one. */
  source: string;
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
  const bySource = new Map<string, ItemResult[]>();
  for (const result of results) {
    const source = result.item[field] ?? notGiven;
    const group = bySource.get(source);
    if (group === undefined) bySource.set(source, [result]);
    else group.push(result);
  }
  const share = (counts: SourceCounts): number => counts.correct / counts.total;
  return [...bySource].map(([source, group]) => ({ source, ...countOutcomes(group) }))
    .sort((a, b) => share(a) - share(b) || b.wrongConfident / b.total - a.wrongConfident / a.total
      || a.source.localeCompare(b.source));
}
