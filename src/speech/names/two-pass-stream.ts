// One name utterance on the two-pass path: pass 1 live on the base recognizer while the audio is kept,
// and, so that little is left to decode after the end of speech, the later passes following it live
// (following-passes.ts): the fallback finder from the first frame, and pass 2 for the city pass 1 (or the
// fallback finder) reads in its partial hypothesis, started as soon as a city appears there. Pass 2 at the
// end takes a following pass when one has the city it wants, and decodes the kept audio otherwise;
// following passes nobody takes are cancelled. With short forms on, each followed city is also followed with its
// short-form grammar (city-grammar-cache.ts), so pass 2's second try (shortFormRetryBelow) has its decode at hand.
import { nothingHeard, type Recognition, type RecognitionStream } from '../recognizer.js';
import { cityOfHypothesis } from './city-finder-grammar.js';
import { FollowingPass } from './following-passes.js';
import type { NameGeneration } from './name-generation.js';

/** How often pass 1's partial hypothesis is read for a city: every 5 frames (100 ms) of audio. */
const partialEveryFrames = 5;

/** The streams a name utterance listens with, all on the base recognizer. */
export interface NamePassOpener {
  pass1(generation: NameGeneration): RecognitionStream;
  /** The fallback finder, following pass 1 live; null when the generation has none or following is off. */
  fallback(generation: NameGeneration): RecognitionStream | null;
  /** The phone loop (phone-loop.ts), following pass 1 live; null when the path does not use it. */
  phoneLoop(generation: NameGeneration): RecognitionStream | null;
  /** Pass 2 for one city with grammar `names`, following live; null when the city has no such grammar. */
  city(generation: NameGeneration, slug: string, names: CityNames): Promise<RecognitionStream | null>;
}

/** Which grammar a city's voters are heard with: the roll's names, or those and the first names' short forms. */
export type CityNames = 'roll' | 'short-forms';

/** Following passes an utterance started, for pass 2 to take. */
export interface FollowingPasses {
  /** The fallback finder following live, or null. */
  readonly fallback: FollowingPass | null;
  /** The phone loop following live, or null. */
  readonly phoneLoop: FollowingPass | null;
  /** The city's following pass 2 with grammar `names`, if one was started (it may still be opening). */
  city(slug: string, names?: CityNames): Promise<FollowingPass | null> | undefined;
}

export interface FirstPass {
  readonly recognition: Recognition;
  /** Everything written to the stream, 8 kHz frames. */
  readonly audio: readonly Int16Array[];
  readonly following: FollowingPasses;
}

/** Pass 2's answer: the readings offered, and any it heard but withheld (Recognition.withheld). */
export interface SecondPassResult {
  readonly hypotheses: Recognition['hypotheses'];
  readonly withheld?: Recognition['withheld'];
}

export type SecondPass = (generation: NameGeneration, first: FirstPass) => Promise<SecondPassResult>;

export class TwoPassStream implements RecognitionStream {
  readonly result: Promise<Recognition>;
  private readonly audio: Int16Array[] = [];
  private pass1: RecognitionStream | null = null;
  private fallback: FollowingPass | null = null;
  private phoneLoop: FollowingPass | null = null;
  /** Pass 2 following live, per city slug, oldest first (each may still be opening). */
  private readonly cities = new Map<string, Promise<FollowingPass | null>>();
  /** The same cities followed with their short-form grammars (followShortForms). */
  private readonly shortFormCities = new Map<string, Promise<FollowingPass | null>>();
  /** The opened ones, fed every new frame. */
  private readonly live = new Set<FollowingPass>();
  private generation: NameGeneration | null = null;
  /** Until pass 1's result: partial hypotheses are read and cities followed. */
  private speculating = true;
  private framesToPartial = partialEveryFrames;
  private ended = false;
  private cancelled = false;
  private readonly speechListeners: Array<() => void> = [];

  constructor(generation: Promise<NameGeneration | null>, private readonly opener: NamePassOpener,
    private readonly speculativeCitiesMax: number, secondPass: SecondPass, private readonly followShortForms = false) {
    this.result = generation.then(async (ready) => {
      if (ready === null || this.cancelled) return nothingHeard(this.cancelled ? 'cancelled' : 'finished');
      const pass1 = this.startPasses(ready);
      const recognition = await pass1.result;
      this.speculating = false;
      // No reading but speech was heard: pass 2 may still find the city with the fallback finder.
      if ((recognition.hypotheses.length === 0 && recognition.speechMs === 0) || this.cancelled) {
        this.cancelFollowing();
        return recognition;
      }
      const started = performance.now();
      const following: FollowingPasses = { fallback: this.fallback, phoneLoop: this.phoneLoop,
        city: (slug, names = 'roll') => (names === 'roll' ? this.cities : this.shortFormCities).get(slug) };
      try {
        const { hypotheses, withheld } = await secondPass(ready, { recognition, audio: this.audio, following });
        return { ...recognition, hypotheses, latencyMs: recognition.latencyMs + performance.now() - started,
          ...(withheld === undefined || hypotheses.length > 0 ? {} : { withheld }) };
      } finally {
        // Passes pass 2 took have their results (cancel does nothing to them); the rest are dropped.
        this.cancelFollowing();
      }
    }).catch(() => {
      this.cancelFollowing();
      return nothingHeard('finished');
    });
  }

  write(frame: Int16Array): void {
    if (this.ended || this.cancelled) return;
    const copy = frame.slice();
    this.audio.push(copy);
    this.pass1?.write(copy);
    this.fallback?.write(copy);
    this.phoneLoop?.write(copy);
    for (const pass of this.live) pass.write(copy);
    this.framesToPartial -= 1;
    if (this.framesToPartial <= 0 && this.generation !== null && this.speculating) {
      this.framesToPartial = partialEveryFrames;
      void this.followPartialCity(this.generation);
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.pass1?.end();
  }

  cancel(): void {
    this.cancelled = true;
    this.pass1?.cancel();
    this.cancelFollowing();
  }

  onSpeechStart(listener: () => void): void {
    this.speechListeners.push(listener);
    this.pass1?.onSpeechStart(listener);
  }

  private startPasses(generation: NameGeneration): RecognitionStream {
    this.generation = generation;
    const pass1 = this.opener.pass1(generation);
    this.pass1 = pass1;
    for (const listener of this.speechListeners) pass1.onSpeechStart(listener);
    for (const frame of this.audio) pass1.write(frame);
    const fallback = this.speculativeCitiesMax > 0 ? this.opener.fallback(generation) : null;
    if (fallback !== null) {
      this.fallback = new FollowingPass(fallback, this.audio);
      // Its VAD ends the utterance on pass 1's frame, and with its best path alone it answers before pass 1's
      // lattice is read: its city starts pass 2 meanwhile.
      void fallback.result.then((heard) => {
        this.follow(generation, cityOf(heard.hypotheses[0]?.text ?? null, generation));
      });
    }
    // The phone loop follows from the first frame too, whatever the cities: pass 2's voters are measured against it.
    const phoneLoop = this.speculativeCitiesMax > 0 ? this.opener.phoneLoop(generation) : null;
    if (phoneLoop !== null) this.phoneLoop = new FollowingPass(phoneLoop, this.audio);
    if (this.ended) pass1.end();
    return pass1;
  }

  /** Reads pass 1's (else the fallback finder's) partial hypothesis; a city in it starts pass 2 on it. */
  private async followPartialCity(generation: NameGeneration): Promise<void> {
    if (this.speculativeCitiesMax <= 0) return;
    const [first, fallback] = await Promise.all([this.pass1?.partial?.() ?? null,
      this.fallback?.stream.partial?.() ?? null]);
    this.follow(generation, cityOf(first, generation) ?? cityOf(fallback, generation));
  }

  /** Starts pass 2 for `slug` following live, unless it already is (or pass 1's result came). */
  private follow(generation: NameGeneration, slug: string | null): void {
    if (slug === null || this.cities.has(slug) || !this.speculating || this.cancelled) return;
    // At most speculativeCitiesMax at once: the oldest guess goes.
    while (this.cities.size >= this.speculativeCitiesMax) {
      const [oldest] = this.cities.keys();
      if (oldest === undefined) break;
      this.dropCity(this.cities, oldest);
      this.dropCity(this.shortFormCities, oldest);
    }
    this.openCity(generation, slug, 'roll', this.cities);
    if (this.followShortForms) this.openCity(generation, slug, 'short-forms', this.shortFormCities);
  }

  private openCity(generation: NameGeneration, slug: string, names: CityNames,
    passes: Map<string, Promise<FollowingPass | null>>): void {
    const opening: Promise<FollowingPass | null> = this.opener.city(generation, slug, names).then((stream) => {
      if (stream === null) return null;
      // Opened after the utterance was given up: nobody will take it.
      if (this.cancelled) {
        stream.cancel();
        return null;
      }
      // The audio so far now, every later frame from write(): none missed, none twice.
      const pass = new FollowingPass(stream, this.audio);
      if (passes.get(slug) === opening) this.live.add(pass);
      else pass.cancel();
      return pass;
    }, () => null);
    passes.set(slug, opening);
  }

  private dropCity(passes: Map<string, Promise<FollowingPass | null>>, slug: string): void {
    const pass = passes.get(slug);
    passes.delete(slug);
    void pass?.then((ready) => {
      if (ready === null) return;
      this.live.delete(ready);
      ready.cancel();
    });
  }

  /** Cancels every following pass (those pass 2 took already have their results: nothing happens to them). */
  private cancelFollowing(): void {
    this.fallback?.cancel();
    this.phoneLoop?.cancel();
    for (const pass of [...this.cities.values(), ...this.shortFormCities.values()]) {
      void pass.then((ready) => ready?.cancel());
    }
    this.live.clear();
  }
}

function cityOf(text: string | null, generation: NameGeneration): string | null {
  return text === null ? null : cityOfHypothesis(text, generation.citySlugs);
}
