// Where the name path's time after the end of speech went, over a corpus run's name utterances
// (two-pass-name-recognizer.ts reports each): p50/p95 of each stage, and how often the fallback finder
// was needed, how often a later pass had followed the caller live, and the second try with short forms.
import { percentile } from '../src/speech/corpus/summary.js';
import type { NamePassTimings } from '../src/speech/names/two-pass-name-recognizer.js';

type Stage = 'pass1Ms' | 'fallbackMs' | 'cityGrammarsMs' | 'pass2Ms';

export function nameStages(timings: readonly NamePassTimings[]): Record<string, unknown> {
  const round = (value: number | null): number | null => (value === null ? null : Math.round(value));
  const stage = (key: Stage): { p50: number | null; p95: number | null } => {
    const sorted = timings.map((timing) => timing[key]).sort((a, b) => a - b);
    return { p50: round(percentile(sorted, 0.5)), p95: round(percentile(sorted, 0.95)) };
  };
  // The second try's time, over the utterances that had one.
  const retries = timings.map((timing) => timing.shortFormRetry?.ms ?? 0).filter((ms) => ms > 0).sort((a, b) => a - b);
  return {
    utterances: timings.length,
    pass1Ms: stage('pass1Ms'), fallbackMs: stage('fallbackMs'), cityGrammarsMs: stage('cityGrammarsMs'),
    pass2Ms: stage('pass2Ms'),
    fallbackNeeded: timings.filter((timing) => timing.fallbackUsed).length,
    fallbackFollowedLive: timings.filter((timing) => timing.fallbackFollowed).length,
    citiesDecoded: timings.reduce((sum, timing) => sum + timing.cities, 0),
    citiesFollowedLive: timings.reduce((sum, timing) => sum + timing.citiesFollowed, 0),
    shortFormRetried: retries.length,
    shortFormTaken: timings.filter((timing) => timing.shortFormRetry?.taken === true).length,
    shortFormCitiesFollowedLive: timings.reduce((sum, timing) => sum + (timing.shortFormRetry?.citiesFollowed ?? 0), 0),
    shortFormRetryMs: { p50: round(percentile(retries, 0.5)), p95: round(percentile(retries, 0.95)) },
  };
}
