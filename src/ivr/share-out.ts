// What the dialog knows the answer must be (a voter's phone, a bill on this week's list) rules some readings
// out; the readings left take their confidence, in proportion: the N-best's belief, given that knowledge.

/**
 * `kept` (readings of `readings`) with their confidences shared out among themselves; `readings` as heard when
 * the kept ones hold under `keptConfidenceMin` of it, so that what the engine barely considered does not
 * become a sure answer.
 */
export function shareOutAmong<T extends { readonly confidence: number }>(readings: readonly T[], kept: readonly T[],
  keptConfidenceMin: number): readonly T[] {
  const total = kept.reduce((sum, reading) => sum + reading.confidence, 0);
  if (!(total >= keptConfidenceMin)) return readings;
  return kept.map((reading) => ({ ...reading, confidence: reading.confidence / total }));
}
