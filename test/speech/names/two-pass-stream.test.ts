// The name path's passes that follow the caller live (two-pass-stream.ts), with RecordingStream, a named
// TEST DOUBLE of the recognizer's streams: it recognizes nothing, keeps every frame it is given and answers
// partial readings from a script. What it proves is the bookkeeping: every following pass gets every
// frame exactly once and in order however late it opens, a city in a partial reading starts pass 2 on
// it, at most speculativeCitiesMax follow at once (the oldest guess is cancelled), a city is followed with its
// short-form grammar too when asked, pass 2 is handed the ones it asks for, and nothing follows on after the
// result. The real-engine path (pocketsphinx, the same result whether a pass follows live or runs after) is in
// following-passes.test.ts.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import type { RollName } from '../../../src/speech/grammar/name-grammar.js';
import { loadCmudict } from '../../../src/speech/lexicon/cmudict.js';
import { NameGeneration } from '../../../src/speech/names/name-generation.js';
import { NameRoll } from '../../../src/speech/names/name-roll.js';
import { TwoPassStream, type FirstPass, type NamePassOpener } from '../../../src/speech/names/two-pass-stream.js';
import type { Recognition, RecognitionStream } from '../../../src/speech/recognizer.js';

class RecordingStream implements RecognitionStream {
  readonly frames: number[] = [];
  ended = false;
  cancelled = false;
  readonly result: Promise<Recognition>;
  private resolve: (recognition: Recognition) => void = () => undefined;

  constructor(readonly name: string, private readonly partialAt: (frames: number) => string | null = () => null,
    private readonly answer: string[] = [], private readonly endAtFrames = Number.POSITIVE_INFINITY) {
    this.result = new Promise((resolve) => { this.resolve = resolve; });
  }

  /** Frames carry their index in sample 0, so order and duplicates show. */
  write(frame: Int16Array): void {
    if (this.ended || this.cancelled) return;
    this.frames.push(frame[0] ?? -1);
    // As a VAD ending the utterance by itself.
    if (this.frames.length >= this.endAtFrames) this.end();
  }

  end(): void {
    if (this.ended || this.cancelled) return;
    this.ended = true;
    this.resolve({ hypotheses: this.answer.map((text) => ({ text, confidence: 1 / this.answer.length, phones: [] })),
      end: 'end-of-speech', speechMs: this.frames.length * 20, latencyMs: 1 });
  }

  cancel(): void {
    if (this.ended || this.cancelled) return;
    this.cancelled = true;
    this.resolve({ hypotheses: [], end: 'cancelled', speechMs: 0, latencyMs: 0 });
  }

  onSpeechStart(): void {}

  partial(): Promise<string | null> {
    return Promise.resolve(this.partialAt(this.frames.length));
  }
}

const voters: RollName[] = [
  { first: 'mary', middle: '', last: 'jones', city: 'ames' },
  { first: 'robert', middle: '', last: 'miller', city: 'boone' },
  { first: 'david', middle: '', last: 'brown', city: 'des moines' },
];

function frame(index: number): Int16Array {
  return Int16Array.from({ length: 160 }, () => index);
}

/** Frames 0..count-1 (each filled with its index), one per turn, as a call's audio arrives. */
async function feed(stream: { write(frame: Int16Array): void }, count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    stream.write(frame(index));
    await tick();
  }
}

describe('speech/names: passes following the caller live (bookkeeping, recording double)', function () {
  this.timeout(60_000);
  let dir = '';
  let generation: NameGeneration;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'two-pass-stream-'));
    generation = await NameGeneration.prepare(new NameRoll('gen1', voters), await loadCmudict());
  });
  after(async () => {
    await generation.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  function harness(partialAt: (frames: number) => string | null, speculativeCitiesMax: number,
    fallbackEnds?: { atFrames: number; answer: string }, followShortForms = false) {
    const opened: RecordingStream[] = [];
    let first: FirstPass | null = null;
    const taken: string[] = [];
    const opener: NamePassOpener = {
      pass1: () => {
        const stream = new RecordingStream('pass1', partialAt, ['mary jones of ames', 'robert miller of boone']);
        opened.push(stream);
        return stream;
      },
      fallback: () => {
        const stream = new RecordingStream('fallback', () => null, fallbackEnds === undefined ? []
          : [fallbackEnds.answer], fallbackEnds?.atFrames);
        opened.push(stream);
        return stream;
      },
      phoneLoop: () => null,
      city: async (_generation, slug, names) => {
        await tick();
        // Boone's voters have no short forms in this double: it has no short-form grammar.
        if (names === 'short-forms' && slug === 'boone') return null;
        const first = voters.find((voter) => voter.city.replace(' ', '-') === slug)?.first ?? '';
        const stream = new RecordingStream(`${names === 'roll' ? 'city' : 'short'}:${slug}`, () => null,
          [`${names === 'roll' ? first : first.slice(0, 3)} x of ${slug.replace('-', ' ')}`]);
        opened.push(stream);
        return stream;
      },
    };
    const stream = new TwoPassStream(Promise.resolve(generation), opener, speculativeCitiesMax,
      async (_ready, pass) => {
        first = pass;
        const hypotheses = [];
        for (const slug of ['ames', 'boone']) {
          const following = await pass.following.city(slug);
          if (following === undefined || following === null) continue;
          taken.push(slug);
          hypotheses.push(...(await following.finish()).hypotheses);
          const shortForms = await pass.following.city(slug, 'short-forms');
          if (shortForms === undefined || shortForms === null) continue;
          taken.push(`short:${slug}`);
          hypotheses.push(...(await shortForms.finish()).hypotheses);
        }
        return { hypotheses };
      }, followShortForms);
    const named = (name: string): RecordingStream | undefined => opened.find((opening) => opening.name === name);
    return { stream, opened, named, taken, first: () => first };
  }

  it('starts pass 2 on the city of a partial reading and feeds it every frame once, in order', async () => {
    // No city for 20 frames, then "of boone" (the fallback's partial says nothing).
    const { stream, named, taken, first } = harness((frames) => (frames < 20 ? 'mary jones' : 'mary jones of boone'), 2);
    await tick();
    await feed(stream, 40);
    stream.end();
    const result = await stream.result;
    const all = Array.from({ length: 40 }, (_, index) => index);
    expect(named('pass1')?.frames).to.deep.equal(all);
    expect(named('fallback')?.frames).to.deep.equal(all);
    // Opened after frame 20, it still heard the audio from the first frame: the kept frames, then the live ones.
    expect(named('city:boone')?.frames.slice(0, 40)).to.deep.equal(all);
    // finish() added the trailing silence (sample 0 of a silent frame is 0) before end().
    expect(named('city:boone')?.frames.slice(40).every((value) => value === 0)).to.equal(true);
    expect(named('city:boone')?.ended).to.equal(true);
    expect(named('city:ames'), 'no partial reading named ames').to.equal(undefined);
    expect(taken).to.deep.equal(['boone']);
    expect(result.hypotheses.map((hypothesis) => hypothesis.text)).to.deep.equal(['robert x of boone']);
    expect(first()?.audio).to.have.length(40);
    // The fallback finder was not needed (pass 1 named cities): cancelled, not ended.
    expect(named('fallback')?.cancelled).to.equal(true);
  });

  it('follows at most speculativeCitiesMax cities: a new guess cancels the oldest', async () => {
    const partial = (frames: number): string | null => (frames < 10 ? null : frames < 20 ? 'x of ames'
      : frames < 30 ? 'x of boone' : 'x of des moines');
    const { stream, named, taken } = harness(partial, 2);
    await tick();
    await feed(stream, 40);
    stream.end();
    await stream.result;
    expect(named('city:ames')?.cancelled, 'the oldest guess went when a third city came').to.equal(true);
    expect(named('city:boone')?.ended).to.equal(true);
    expect(named('city:des-moines')?.cancelled, 'followed, but pass 2 did not ask for it').to.equal(true);
    expect(named('city:des-moines')?.frames.slice(0, 40)).to.deep.equal(Array.from({ length: 40 }, (_, index) => index));
    expect(taken).to.deep.equal(['boone']);
  });

  it('with short forms followed, a city with a short-form grammar is followed with it too, and goes with it', async () => {
    const partial = (frames: number): string | null => (frames < 10 ? null : frames < 20 ? 'x of ames'
      : frames < 30 ? 'x of boone' : 'x of des moines');
    const { stream, named, opened, taken } = harness(partial, 2, undefined, true);
    await tick();
    await feed(stream, 40);
    stream.end();
    const result = await stream.result;
    const all = Array.from({ length: 40 }, (_, index) => index);
    // Each heard every frame from the first, once, in order: ames until the third city came, des moines to the end.
    const ames = named('short:ames')?.frames ?? [];
    expect(ames.length).to.be.within(10, 39);
    expect(ames).to.deep.equal(all.slice(0, ames.length));
    expect(named('short:des-moines')?.frames.slice(0, 40)).to.deep.equal(all);
    expect(named('short:ames')?.cancelled, 'the oldest guess went with its short-form pass').to.equal(true);
    expect(named('short:des-moines')?.cancelled, 'followed, but pass 2 did not ask for it').to.equal(true);
    expect(opened.some((opening) => opening.name === 'short:boone'), 'boone has no short-form grammar').to.equal(false);
    expect(taken).to.deep.equal(['boone']);
    expect(result.hypotheses.map((hypothesis) => hypothesis.text)).to.deep.equal(['robert x of boone']);
  });

  it('a city followed with its short forms hands pass 2 both passes', async () => {
    const { stream, named, taken } = harness((frames) => (frames < 5 ? null : 'mary jones of ames'), 2, undefined, true);
    await tick();
    await feed(stream, 20);
    stream.end();
    const result = await stream.result;
    expect(taken).to.deep.equal(['ames', 'short:ames']);
    expect(named('short:ames')?.ended).to.equal(true);
    expect(result.hypotheses.map((hypothesis) => hypothesis.text)).to.deep.equal(['mary x of ames', 'mar x of ames']);
  });

  it('the fallback finder\'s answer, there before pass 1\'s, starts pass 2 on its city', async () => {
    const { stream, named, taken } = harness(() => 'mary jones', 2, { atFrames: 30, answer: 'robert miller of boone' });
    await tick();
    await feed(stream, 40);
    stream.end();
    await stream.result;
    expect(named('city:boone')?.frames.slice(0, 40)).to.deep.equal(Array.from({ length: 40 }, (_, index) => index));
    expect(taken).to.deep.equal(['boone']);
  });

  it('with speculativeCitiesMax 0 nothing follows live: no fallback, no city passes', async () => {
    const { stream, opened } = harness(() => 'mary jones of ames', 0);
    await tick();
    await feed(stream, 20);
    stream.end();
    await stream.result;
    expect(opened.map((opening) => opening.name)).to.deep.equal(['pass1']);
  });

  it('cancelling the utterance cancels every pass following it', async () => {
    const { stream, named } = harness((frames) => (frames < 5 ? null : 'x of ames'), 2);
    await tick();
    await feed(stream, 15);
    stream.cancel();
    const result = await stream.result;
    expect(result.hypotheses).to.deep.equal([]);
    for (const name of ['pass1', 'fallback', 'city:ames']) expect(named(name)?.cancelled, name).to.equal(true);
  });

  it('without short forms followed, no city is followed with its short-form grammar', async () => {
    const { stream, opened } = harness((frames) => (frames < 5 ? null : 'x of ames'), 2);
    await tick();
    await feed(stream, 20);
    stream.end();
    await stream.result;
    expect(opened.map((opening) => opening.name)).to.include('city:ames').and.not.include('short:ames');
  });
});
