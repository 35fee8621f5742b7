// A classic acoustic confidence for the name path: a candidate's own path against a phone loop on the
// same audio. The phone loop (phone-loop.ts) is the best any phone sequence does on the utterance; a
// voter who was said fits nearly as well, a voter who merely sounds a little alike fits worse, and the gap
// per frame is a log-likelihood ratio that does not depend on how loud, noisy or fast the caller was (both
// sides carry those alike). Only the acoustic scores are compared (PathAcoustic), so the grammars' own
// costs (the loop's insertion penalty, a city's branching) do not enter.
import type { Hypothesis, PathAcoustic } from '../recognizer.js';
import { within } from '../within.js';
import { cityOfHypothesis } from './city-finder-grammar.js';
import type { FollowingPass } from './following-passes.js';
import type { PhoneLoopSettings, VoterGap } from './two-pass-name-recognizer.js';

/**
 * (candidate - loop) acoustic score per 10 ms frame of the utterance the loop decoded; null when either is
 * missing or covers no frames. Near 0 (or above: the loop pays an insertion penalty per phone) when the
 * candidate is what was said.
 */
export function acousticGapPerFrame(candidate: PathAcoustic | undefined, loop: PathAcoustic | undefined,
  per: 'all' | 'speech' = 'all'): number | null {
  if (candidate === undefined || loop === undefined) return null;
  const frames = per === 'speech' ? candidate.speechFrames : Math.max(candidate.frames, loop.frames);
  if (!(frames > 0)) return null;
  return (candidate.score - loop.score) / frames;
}

/**
 * The thresholds measured on the CI corpus's tuning names (gap per frame, README's speech section): right
 * voters 10.5 to 24.1, wrong ones mostly below 7 (-2.3 to 6.7; four of 22 at 11.1, 12.5, 15.9, 16.4). The
 * held-out voices' wrong voters reached 17.4 and wrong-confident rose there (13/1 -> 12/2), so the path keeps the
 * loop off (TwoPassOptions.phoneLoop null) and these are what `--name-phone-loop on` measures with.
 */
export const phoneLoopMeasured: PhoneLoopSettings = { acceptGapMin: 13, rejectGapMax: 8 };

/**
 * "on" (phoneLoopMeasured), "measure" (gaps recorded, nothing decided) or "accept:reject", each a gap per
 * frame or empty ("13:" accepts only). A RangeError names what is wrong.
 */
export function parsePhoneLoopSettings(text: string): PhoneLoopSettings {
  const trimmed = text.trim();
  if (trimmed === 'measure') return { acceptGapMin: null, rejectGapMax: null };
  if (trimmed === 'on') return phoneLoopMeasured;
  const parts = trimmed.split(':');
  if (parts.length !== 2) throw new RangeError(`expected "on", "measure" or "accept:reject" (e.g. "13:8"), got "${text}"`);
  const [accept, reject] = parts.map((part) => {
    if (part.trim() === '') return null;
    const gap = Number(part);
    if (!Number.isFinite(gap)) throw new RangeError(`"${part}" is not a number (a score gap per frame)`);
    return gap;
  }) as [number | null, number | null];
  if (accept !== null && reject !== null && reject > accept) {
    throw new RangeError(`the reject gap ${reject} is above the accept gap ${accept}`);
  }
  return { acceptGapMin: accept, rejectGapMax: reject };
}

export type PhoneLoopDecision =
  /** The best-fitting city's voter is close enough to the loop: offered without the finders' dissent. */
  | { readonly kind: 'accept'; readonly city: string; readonly gapPerFrame: number }
  /** Even the best-fitting voter is far from the loop: nothing is offered. */
  | { readonly kind: 'reject'; readonly gapPerFrame: number }
  /** Off, only measured, no gap, or between the two thresholds: the path decides as without the loop. */
  | { readonly kind: 'undecided' };

/**
 * How much better than pass 1's cities' voters the rival city's voter (the fallback finder's city) must fit
 * to be taken instead. On the tuning names the rival was right when it led by 5.3 and wrong at 1.7: a
 * wholly different voter can fit a little better than the one said, so a small lead is no evidence.
 */
export const rivalGapMarginMin = 3;

/**
 * The decoded cities' voters by their gaps: the best one is accepted, rejected, or left to the mixture. A
 * `rival` city's voter counts only when it leads the others by rivalGapMarginMin (or they have no gap).
 */
export function decideByPhoneLoop(gaps: readonly VoterGap[], settings: PhoneLoopSettings | null,
  rival: string | null = null): PhoneLoopDecision {
  if (settings === null) return { kind: 'undecided' };
  const bestOf = (candidates: readonly VoterGap[]): { city: string; gapPerFrame: number } | null => {
    let best: { city: string; gapPerFrame: number } | null = null;
    for (const { city, gapPerFrame } of candidates) {
      if (gapPerFrame !== null && (best === null || gapPerFrame > best.gapPerFrame)) best = { city, gapPerFrame };
    }
    return best;
  };
  const own = bestOf(gaps.filter((gap) => gap.city !== rival));
  const rivals = bestOf(gaps.filter((gap) => gap.city === rival));
  const best = rivals !== null && (own === null || rivals.gapPerFrame >= own.gapPerFrame + rivalGapMarginMin)
    ? rivals : own;
  if (best === null) return { kind: 'undecided' };
  if (settings.rejectGapMax !== null && best.gapPerFrame < settings.rejectGapMax) {
    return { kind: 'reject', gapPerFrame: best.gapPerFrame };
  }
  if (settings.acceptGapMin !== null && best.gapPerFrame >= settings.acceptGapMin) {
    return { kind: 'accept', city: best.city, gapPerFrame: best.gapPerFrame };
  }
  // A rival not accepted is dropped, and pass 1's voter is what the mixture offers: it must pass on its own.
  if (best !== own && own !== null && settings.rejectGapMax !== null && own.gapPerFrame < settings.rejectGapMax) {
    return { kind: 'reject', gapPerFrame: own.gapPerFrame };
  }
  return { kind: 'undecided' };
}

/**
 * How long pass 2 waits for the fallback finder's answer when pass 1 named cities. The slots finder is the
 * slowest pass (about 400 ms of CPU per second of audio) and lags the caller on a busy machine: waiting for it
 * took the tuning names' paced p95 from 92 ms to 9.6 s. Past this the rival is simply not weighed.
 */
export const rivalWaitMsMax = 100;

/**
 * The fallback finder's city when it differs from every city pass 1 named: a rival the phone loop can weigh
 * (its voter measured like theirs). Only from a finder that followed the caller live and answers within
 * rivalWaitMsMax, so it costs no decode after the end of speech; null otherwise.
 */
export async function rivalCity(fallback: FollowingPass | null, citySlugs: ReadonlySet<string>,
  cities: ReadonlyArray<{ slug: string }>, waitMs = rivalWaitMsMax): Promise<string | null> {
  if (fallback === null) return null;
  const answer = await within(fallback.finish(), waitMs, null);
  const heard: readonly Hypothesis[] = answer?.hypotheses ?? [];
  const slug = heard[0] === undefined ? null : cityOfHypothesis(heard[0].text, citySlugs);
  return slug === null || cities.some((city) => city.slug === slug) ? null : slug;
}
