// How far a finder's reading of the name agrees with pass 2's voter, by sound. Pass 2 forces the audio onto
// real voters of the cities it was given; the finders (the whole-roll graph, or the slots fallback, whose
// words are free within the roll's given names and surnames) hear the same audio with fewer constraints.
// Their readings of one utterance rarely spell the same name, but when the voter was said they sound
// alike: "nathan anne meyer" against the voter "nathan dammeyer", "jaide kulisek" against "james kulisek";
// when pass 2 forced a wrong voter they mostly sound less alike: "keila turner" against "donald baltrus". The mixture
// (pass-mixture.ts) counted only an identical name as agreement, so a slots reading that split a surname
// differently was full dissent and the right voter was asked again.
//
// The likeness is the weighted phone edit distance (phone-distance.ts, 0 same .. 1 unrelated) between the
// two names' phone strings, whole, word boundaries ignored (the slots finder splits and joins words
// freely). Measured on 180 tuning names (scripts' seed 4, tuning voices; the path asked the fallback
// finder for 35 of them, pass 2 alone offered a voter for all 35): right voters 0.11-0.44 (10 of 15),
// then 0.50, 0.53, 0.58, 0.65, 0.69; wrong voters 0.47 and 19 from 0.55 to 0.72.
import type { Lexicon } from '../lexicon/lexicon.js';
import { phoneDistance } from '../matcher/phone-distance.js';
import { pronounce } from '../matcher/vocabulary.js';

/** Distances at which a finder's reading fully agrees with the voter, and from which it fully dissents. */
export interface LikenessLimits {
  readonly agreeMax: number;
  readonly dissentMin: number;
}

/**
 * Between the tuning clusters above, linear in between. Replayed on the readings of two name-stages runs of
 * those 180 names (correct/wrong-confident, run 1 + run 2, pass1Weight 0.4): the same name only 66/11 + 66/11
 * (at 0.3, as before: 67/11 + 68/12); 0.2..0.7 72/11 + 73/12; 0.3..0.7 73/13 (run 1); 0.2..0.6 69/11 (run 1);
 * 0.2..0.8 72/12 (run 1).
 */
export const likenessLimitsDefault: LikenessLimits = { agreeMax: 0.2, dissentMin: 0.7 };

/** Share of a finder reading's weight that counts for the voter: 1 the same name, 0 another name. */
export type NameAgreement = (voterName: string, heardName: string) => number;

/** Only the same name agrees (the mixture's rule before the likeness). */
export const sameNameOnly: NameAgreement = (voterName, heardName) => (voterName === heardName ? 1 : 0);

/** Agreement by sound: 1 up to `agreeMax`, 0 from `dissentMin`, linear between. */
export function agreementBySound(lexicon: Lexicon, limits: LikenessLimits = likenessLimitsDefault): NameAgreement {
  if (!(limits.agreeMax >= 0 && limits.dissentMin > limits.agreeMax && limits.dissentMin <= 1)) {
    throw new RangeError(`likeness limits ${limits.agreeMax}..${limits.dissentMin} are not 0 <= agree < dissent <= 1`);
  }
  return (voterName, heardName) => {
    if (voterName === heardName) return 1;
    const distance = nameDistance(lexicon, voterName, heardName);
    if (distance <= limits.agreeMax) return 1;
    if (distance >= limits.dissentMin) return 0;
    return (limits.dissentMin - distance) / (limits.dissentMin - limits.agreeMax);
  };
}

/** The nearest pronunciations of two names said whole (0 alike .. 1 unrelated). */
export function nameDistance(lexicon: Lexicon, a: string, b: string): number {
  const sayings = [pronounce(a, lexicon), pronounce(b, lexicon)];
  let nearest = 1;
  for (const one of sayings[0] ?? []) {
    for (const other of sayings[1] ?? []) nearest = Math.min(nearest, phoneDistance(one, other, nearest));
  }
  return nearest;
}
