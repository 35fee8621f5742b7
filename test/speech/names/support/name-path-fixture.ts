// What the two-pass path tests share: real pocketsphinx whose readings of some grammars the test sets (the
// decodes themselves still run, so a test reaches the branch of the name path it is about), three voters, and
// one of them said on a telephone channel.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GrammarDefinition } from '../../../../src/speech/grammar/grammar-definition.js';
import type { RollName } from '../../../../src/speech/grammar/name-grammar.js';
import { loadCmudict } from '../../../../src/speech/lexicon/cmudict.js';
import { NameGeneration } from '../../../../src/speech/names/name-generation.js';
import { NameRoll } from '../../../../src/speech/names/name-roll.js';
import {
  TwoPassNameRecognizer, type GrammarRecognizer, type NamePassTimings, type TwoPassOptions,
} from '../../../../src/speech/names/two-pass-name-recognizer.js';
import { PocketsphinxRecognizer } from '../../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import type {
  GrammarContext, Hypothesis, Recognition, RecognitionStream, RecognizeOptions,
} from '../../../../src/speech/recognizer.js';
import { recognize } from '../../support/recognize.js';
import { concat, silence, telephoneSpeech } from '../../support/telephone-tts.js';

export const pathVoters: RollName[] = [
  { first: 'mary', middle: '', last: 'jones', city: 'ames' },
  { first: 'robert', middle: '', last: 'miller', city: 'ames' },
  { first: 'linda', middle: '', last: 'smith', city: 'boone' },
];

export class ReadingsSetBy implements GrammarRecognizer {
  readonly engine = 'pocketsphinx';

  /** `readings`: grammar key → what its decode reads instead of what pocketsphinx heard. */
  constructor(private readonly real: PocketsphinxRecognizer,
    private readonly readings: Map<string, (heard: Recognition) => Hypothesis[]>) {}

  addGrammar(grammar: GrammarDefinition): void {
    this.real.addGrammar(grammar);
  }

  removeGrammar(context: GrammarContext, grammarKey: string): void {
    this.real.removeGrammar(context, grammarKey);
  }

  start(options: RecognizeOptions): RecognitionStream {
    const stream = this.real.start(options);
    const replace = this.readings.get(options.grammarKey ?? '');
    if (replace === undefined) return stream;
    return {
      write: (frame) => { stream.write(frame); },
      end: () => { stream.end(); },
      cancel: () => { stream.cancel(); },
      onSpeechStart: (listener) => { stream.onSpeechStart(listener); },
      partial: () => Promise.resolve(null),
      result: stream.result.then((heard) => ({ ...heard, hypotheses: replace(heard) })),
    };
  }

  close(): Promise<void> {
    return this.real.close();
  }
}

export interface NamePathFixture {
  real: PocketsphinxRecognizer;
  generation: NameGeneration;
  /** "mary jones of ames" (flite, telephone channel) between silences. */
  speech: Int16Array;
}

/**
 * Registers mocha hooks (call inside a describe) that make real pocketsphinx, the name generation of
 * `voters` (pathVoters by default) and the spoken name; the returned object is filled in before the first test.
 */
export function useNamePathFixture(tmpPrefix: string, poolSize: number,
  voters: readonly RollName[] = pathVoters): NamePathFixture {
  const fixture = {} as NamePathFixture;
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), tmpPrefix));
    fixture.real = await PocketsphinxRecognizer.create({ poolSize });
    fixture.generation = await NameGeneration.prepare(new NameRoll('gen1', voters), await loadCmudict());
    fixture.speech = concat(silence(400), await telephoneSpeech('mary jones of ames', 'flite-kal', dir), silence(900));
  });
  after(async () => {
    await fixture.real.close();
    await fixture.generation.dispose();
    await rm(dir, { recursive: true, force: true });
  });
  return fixture;
}

/**
 * The fixture's speech through the two-pass path with `options`, pass 1 reading `pass1` and the fallback finder
 * reading `finder`, and the voter grammars of `voterlessCities` reading nothing (the decodes still run): the
 * path's readings and its trace.
 */
export async function listenWithReadings(fixture: NamePathFixture, options: TwoPassOptions,
  pass1: readonly Hypothesis[], finder: readonly Hypothesis[], voterlessCities: readonly string[] = []):
  Promise<{ heard: readonly Hypothesis[]; trace: NamePassTimings | undefined; withheld: Recognition['withheld'] }> {
  const { real, generation, speech } = fixture;
  const readings = new Map<string, (heard: Recognition) => Hypothesis[]>([
    [generation.cityFinder.grammarKey, (): Hypothesis[] => [...pass1]],
    [generation.fallbackFinder?.grammarKey ?? '', (): Hypothesis[] => [...finder]],
  ]);
  // These towns' voter grammars (the roll's and the short forms') hear no voter at all.
  for (const slug of voterlessCities) {
    for (const built of [await generation.cities.cityGrammar(slug), await generation.cities.shortFormGrammar(slug)]) {
      if (built !== null) readings.set(built.grammar.grammarKey, (): Hypothesis[] => []);
    }
  }
  const base = new ReadingsSetBy(real, readings);
  const traces: NamePassTimings[] = [];
  const recognizer = new TwoPassNameRecognizer(base, () => Promise.resolve(generation), options,
    (timings) => traces.push(timings));
  const heard = await recognize(recognizer, speech, { context: 'name' });
  return { heard: heard.hypotheses, trace: traces[0], withheld: heard.withheld };
}
