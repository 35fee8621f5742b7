// When pass 1 and the fallback finder name different cities (and different surnames), the agreement check
// used to offer nothing. Both cities' voter grammars are decoded instead, and their best voters' paths are
// compared on the same audio: only the acoustic scores (PathAcoustic), so a city's size and branching do
// not enter. A clear lead settles the dispute for that city; a small one settles nothing, since a wholly
// different voter can fit a little better than the one said.
import type { PathAcoustic } from '../recognizer.js';

/**
 * The lead (acoustic score per 10 ms frame) one city's best voter needs over the other's to be offered, as
 * chosen on 120 generated tuning names (tuning voices only, seed 84, `corpus name-stages`). There, 32 names
 * were disputed; the better-fitting voter was right in 23 of the 24 with the right city on one side, and in the
 * 8 with neither, the wrong voter led by up to 7.8. With this lead the path went from 59 right / 1
 * wrong-confident to 71 / 1. On held-out voices it went from 32 / 1 to 41 / 5 (96 generated names, seed 86)
 * and from 15 / 1 to 19 / 2 (the CI corpus's 32): a bigger city holds more voters that fit a little better
 * than the one said, so the lead is no proof. Off by default (TwoPassOptions.disputeLeadMin null), measured
 * with `corpus run --name-dispute-lead on`.
 */
export const disputeLeadMeasured = 8;

export type DisputeOutcome =
  /** Pass 1's city keeps its voter. */
  | 'own'
  /** The finder's city's voter fits clearly better: it is offered instead. */
  | 'finder'
  /** Neither leads clearly, or a side has no voter: nothing is offered and the dialog asks again. */
  | 'neither';

export interface DisputeSettlement {
  readonly outcome: DisputeOutcome;
  /** The finder's city's voter minus pass 1's, per frame; null when either side has no path. */
  readonly leadPerFrame: number | null;
}

/** Settles a dispute by the two best voters' acoustic fit (higher scores fit better). */
export function settleCityDispute(own: PathAcoustic | undefined, finder: PathAcoustic | undefined,
  leadMin: number): DisputeSettlement {
  if (!(leadMin >= 0)) throw new RangeError(`dispute lead ${leadMin} is not a number from 0`);
  if (own === undefined || finder === undefined) return { outcome: 'neither', leadPerFrame: null };
  const frames = Math.max(own.frames, finder.frames);
  if (!(frames > 0)) return { outcome: 'neither', leadPerFrame: null };
  const lead = (finder.score - own.score) / frames;
  if (lead >= leadMin) return { outcome: 'finder', leadPerFrame: lead };
  if (-lead >= leadMin) return { outcome: 'own', leadPerFrame: lead };
  return { outcome: 'neither', leadPerFrame: lead };
}
