// The name said after its town (the city-first dialog): "mary smith", heard only among the voters of the
// towns the caller's 'city' answer most likely named, each with that town's own grammar (real voters only),
// all decoding the same frames at once. The likeliest town's pass leads: its VAD ends the utterance and tells
// the dialog when speech starts; the others follow it (following-passes.ts) and finish on its result.
// Readings come back said in full in their town ("mary smith of ames"), weighted by the town's share of the
// 'city' answer, for the phonetic matcher to judge against the roll as it judges a one-utterance name.
// A town too large for one grammar is heard in all its surname ranges at once (city-grammar-cache.ts); the
// range whose best voter fits the audio best (acoustic score of the same frames, the grammars' own weights
// left out) speaks for the town, as the best path of the one grammar they are parts of would. A town heard whole is
// also heard with its short-form grammar, for a second try when the roll grammars are unsure (withShortForms).
import { pathAcousticOf, type Hypothesis, type Recognition, type RecognitionStream } from '../recognizer.js';
import { FollowingPass } from './following-passes.js';
import { readingInCity } from './reading-words.js';

export interface TownPass {
  readonly slug: string;
  /** The town's share of the 'city' answer (city-answer.ts likelyTowns). */
  readonly share: number;
  readonly stream: RecognitionStream;
  /** The town's free name slots (town-finder-grammar.ts): read only when no voter grammar heard anything. */
  readonly finder?: boolean;
  /**
   * The town's voters with their first names' short forms too (city-grammar-cache.ts): read in place of the
   * town's roll grammar when the roll grammars' surest reading is below shortFormRetryBelow, taken when surer.
   */
  readonly shortForms?: boolean;
}

/** Of one town's surname ranges' recognitions, the readings of the range whose best path fits best. */
export function bestRangeReadings(ranges: readonly Recognition[]): readonly Hypothesis[] {
  if (ranges.length === 1) return ranges[0]?.hypotheses ?? [];
  let best: Recognition | undefined;
  let bestScore = -Infinity;
  for (const range of ranges) {
    const score = pathAcousticOf(range.hypotheses)?.score;
    if (score !== undefined && score > bestScore) {
      bestScore = score;
      best = range;
    }
  }
  return best?.hypotheses ?? [];
}

export class WithinTownsStream implements RecognitionStream {
  readonly result: Promise<Recognition>;
  private readonly lead: TownPass;
  private readonly followers: FollowingPass[];

  /** `passes`: at least one, the likeliest town's voters first; `shortFormRetryBelow` as TwoPassOptions'. */
  constructor(private readonly passes: readonly TownPass[], nBest: number, shortFormRetryBelow: number | null = null) {
    const lead = passes[0];
    if (lead === undefined) throw new RangeError('a within-town name needs at least one town');
    this.lead = lead;
    this.followers = passes.slice(1).map((pass) => new FollowingPass(pass.stream, []));
    this.result = lead.stream.result.then(async (led) => {
      if (led.hypotheses.length === 0 && led.speechMs === 0) {
        for (const follower of this.followers) follower.cancel();
        return led;
      }
      const started = performance.now();
      const rest = await Promise.all(this.followers.map(async (follower) => follower.finish()));
      const heard = [led, ...rest].flatMap((recognition, index) => {
        const pass = passes[index];
        return pass === undefined ? [] : [{ ...pass, recognition }];
      });
      return { ...led, hypotheses: withShortForms(heard, shortFormRetryBelow).slice(0, nBest),
        latencyMs: led.latencyMs + performance.now() - started };
    });
  }

  write(frame: Int16Array): void {
    this.lead.stream.write(frame);
    for (const follower of this.followers) follower.write(frame);
  }

  end(): void {
    this.lead.stream.end();
  }

  cancel(): void {
    for (const pass of this.passes) pass.stream.cancel();
  }

  onSpeechStart(listener: () => void): void {
    this.lead.stream.onSpeechStart(listener);
  }

  partial(): Promise<string | null> {
    return this.lead.stream.partial?.() ?? Promise.resolve(null);
  }
}

type HeardPass = Omit<TownPass, 'stream'> & { recognition: Recognition };

/**
 * The roll grammars' readings (townReadings); when their surest is below `retryBelow`, the same with each town's
 * short-form pass in place of its roll pass, taken when surer (the one-utterance path's second try, heard live).
 */
export function withShortForms(heard: readonly HeardPass[], retryBelow: number | null): Hypothesis[] {
  const roll = townReadings(heard.filter((pass) => pass.shortForms !== true));
  const surest = (readings: readonly Hypothesis[]): number => readings[0]?.confidence ?? 0;
  const withShort = new Set(heard.filter((pass) => pass.shortForms === true).map((pass) => pass.slug));
  if (retryBelow === null || withShort.size === 0 || surest(roll) >= retryBelow) return roll;
  const retry = townReadings(heard.filter((pass) => pass.shortForms === true || pass.finder === true
    || !withShort.has(pass.slug)));
  return surest(retry) > surest(roll) ? retry : roll;
}

/**
 * What the passes of a name said after its town heard, best first: each town's voters (a large town's best-fitting
 * surname range), weighted by the town's share; when no voter path ended at all, the free slots' best reading
 * instead, for the matcher to judge against the town's voters.
 */
export function townReadings(heard: readonly HeardPass[]): Hypothesis[] {
  const byTown = new Map<string, { share: number; ranges: Recognition[] }>();
  const found: Array<{ slug: string; share: number; readings: readonly Hypothesis[] }> = [];
  for (const pass of heard) {
    if (pass.finder === true) {
      found.push({ slug: pass.slug, share: pass.share, readings: pass.recognition.hypotheses.slice(0, 1) });
      continue;
    }
    const town = byTown.get(pass.slug);
    if (town === undefined) byTown.set(pass.slug, { share: pass.share, ranges: [pass.recognition] });
    else town.ranges.push(pass.recognition);
  }
  const voters = mixTownReadings([...byTown].map(([slug, town]) =>
    ({ slug, share: town.share, readings: bestRangeReadings(town.ranges) })));
  return voters.length > 0 ? voters : mixTownReadings(found);
}

/**
 * Each town's readings said in full in that town and weighted by its share; the same reading from two passes
 * (it cannot be: each town's grammar says its own town) would pool. Best first.
 */
export function mixTownReadings(towns: ReadonlyArray<{ slug: string; share: number; readings: readonly Hypothesis[] }>):
  Hypothesis[] {
  const merged = new Map<string, Hypothesis>();
  for (const { slug, share, readings } of towns) {
    const townWords = slug.split('-');
    for (const reading of readings) {
      const text = readingInCity(reading.text, townWords);
      const confidence = reading.confidence * share;
      const known = merged.get(text);
      merged.set(text, known === undefined ? { ...reading, text, confidence }
        : { ...known, confidence: known.confidence + confidence });
    }
  }
  return [...merged.values()].sort((a, b) => b.confidence - a.confidence);
}
