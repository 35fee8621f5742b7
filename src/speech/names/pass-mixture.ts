// The name path's confidences: pass 2's readings (the likely cities' real-voter grammars) mixed with
// pass 1's (the city finder's), rather than pass 2's alone. Pass 2 forces the audio onto voters of the
// cities it was given, and its N-best rarely holds a competitor (mostly the same voter with "of"/"in"),
// so on its own every reading looks sure. Pass 1 heard the same audio against the whole roll (or
// independent name slots): when it heard the same name, the mixture changes nothing the matcher decides;
// when it heard another name, that reading keeps a share of the weight and the matcher sees two
// candidates instead of one sure voter, so the dialog asks rather than offering a wrong voter.
import type { Hypothesis } from '../recognizer.js';
import { sameNameOnly, type NameAgreement } from './reading-likeness.js';
import { readingParts } from './reading-words.js';

/**
 * Pass 1's share of the mixture, calibrated on the CI corpus's tuning part with the telephone MLLR (48
 * names; correct/wrong-confident): without the mixture 28/16; 0.1 and 0.15 the same; 0.2 20/10; 0.3
 * 17/5 (of the names pass 1 found a city for 14/5, of those the slots fallback found 3/0); 0.4–0.6 16/5.
 * The matcher's "one" needs a cost of at most 0.12, so a dissenting pass-1 reading matters from there on.
 * Since finders' readings agree with the voter by sound (reading-likeness.ts), re-measured on 180 tuning names
 * (replayed on one name-stages run's readings): 0.3 73/14, 0.35 72/12, 0.4 72/11, 0.5 69/11 (by name alone,
 * 0.3 67/11 and 0.4 66/11): a like-sounding dissent weighs less, so the finders' share rises to 0.4.
 */
export const pass1WeightDefault = 0.4;

/**
 * Pass 2's readings scaled by 1 - pass1Weight, plus pass 1's scaled by pass1Weight: a pass-1 reading adds
 * to the pass-2 reading it agrees with most (in the same place, or with no place heard) by `agreement`'s
 * share, and the rest of it is kept as a reading of its own (reading-likeness.ts; by default only the same
 * name agrees, wholly). Best first; nothing when pass 2 heard no voter.
 */
export function mixPassReadings(pass2: readonly Hypothesis[], pass1: readonly Hypothesis[],
  pass1Weight: number = pass1WeightDefault, agreement: NameAgreement = sameNameOnly): Hypothesis[] {
  if (!(pass1Weight >= 0 && pass1Weight <= 1)) throw new RangeError(`pass-1 weight ${pass1Weight} is not in 0..1`);
  if (pass2.length === 0) return [];
  const mixed = pass2.map((hypothesis) => ({ ...hypothesis, confidence: hypothesis.confidence * (1 - pass1Weight) }));
  const parsed = mixed.map((hypothesis) => readingParts(hypothesis.text));
  const voters = parsed.length;
  const agreed = new Map<string, number>();
  const agreeing = (voterName: string, heardName: string): number => {
    const key = `${voterName}|${heardName}`;
    let share = agreed.get(key);
    if (share === undefined) {
      share = Math.max(0, Math.min(1, agreement(voterName, heardName)));
      agreed.set(key, share);
    }
    return share;
  };
  for (const reading of pass1) {
    const heard = readingParts(reading.text);
    const share = reading.confidence * pass1Weight;
    if (heard.name === '' || share <= 0) continue;
    let nearest = -1;
    let nearestShare = 0;
    for (let at = 0; at < voters; at += 1) {
      const known = parsed[at] as { name: string; place: string | undefined };
      if (heard.place !== undefined && known.place !== heard.place) continue;
      const agrees = agreeing(known.name, heard.name);
      if (agrees > nearestShare) {
        nearest = at;
        nearestShare = agrees;
      }
    }
    const voter = mixed[nearest];
    if (voter !== undefined) mixed[nearest] = { ...voter, confidence: voter.confidence + share * nearestShare };
    const rest = share * (1 - nearestShare);
    if (rest <= 0) continue;
    // The dissenting part: one reading per name and place heard.
    const same = parsed.findIndex((known, at) => at >= voters && known.name === heard.name
      && (heard.place === undefined || known.place === heard.place));
    const known = mixed[same];
    if (known === undefined) {
      mixed.push({ ...reading, confidence: rest });
      parsed.push(heard);
    } else {
      mixed[same] = { ...known, confidence: known.confidence + rest };
    }
  }
  return mixed.sort((a, b) => b.confidence - a.confidence);
}
