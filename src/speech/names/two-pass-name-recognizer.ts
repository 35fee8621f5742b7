// The voice name path (issue 4): a Recognizer decorator for context 'name'. The caller says one
// utterance, "first [middle] last (of | in) city". Pass 1 listens live with the city finder (a cheap
// name filler, then the roll's cities) and keeps the audio; pass 2 decodes the SAME audio again with
// the grammars of the few cities pass 1 found likeliest, whose paths are only real voters of that city.
// When pass 1 names no city (the whole-roll graph often ends with no complete path), the kept audio is
// decoded once more with the generation's fallback finder (independent name slots). Hypotheses come
// back weighted by P(city) × P(name | city), mixed with pass 1's own readings (pass-mixture.ts), and
// the phonetic matcher (the dialog's, or the corpus judge's) decides among them against the roll.
// Other contexts pass straight through.
import type { GrammarDefinition } from '../grammar/grammar-definition.js';
import type {
  Hypothesis, Recognition, RecognitionStream, Recognizer, RecognizeOptions,
} from '../recognizer.js';
import { cityOfHypothesis } from './city-finder-grammar.js';
import type { NameGeneration } from './name-generation.js';
import { mixPassReadings, pass1WeightDefault } from './pass-mixture.js';

/** A recognizer that can take grammars built at run time (pocketsphinx). */
export interface GrammarRecognizer extends Recognizer {
  addGrammar(grammar: GrammarDefinition): void;
}

export function canAddGrammars(recognizer: Recognizer): recognizer is GrammarRecognizer {
  return typeof (recognizer as Partial<GrammarRecognizer>).addGrammar === 'function';
}

export interface TwoPassOptions {
  /** Cities decoded in pass 2, at most. */
  readonly citiesMax?: number;
  /** A city needs at least this share of pass 1's confidence to be decoded in pass 2. */
  readonly cityShareMin?: number;
  /** Pass-1 hypotheses read for cities. */
  readonly cityNBest?: number;
  /** Pass 1's share of the final readings (pass-mixture.ts); 0: pass 2's alone. */
  readonly pass1Weight?: number;
}

export const twoPassDefaults: Required<TwoPassOptions> = {
  citiesMax: 3, cityShareMin: 0.1, cityNBest: 20, pass1Weight: pass1WeightDefault,
};

/** Silence after the kept audio in pass 2, so its VAD closes the utterance as on the call. */
const pass2TrailingMs = 800;
const frameSamples = 160;

/** The generation to listen with now (the current roll), or null when there is no roll. */
export type NameGenerationSource = () => Promise<NameGeneration | null>;

export class TwoPassNameRecognizer implements GrammarRecognizer {
  readonly engine: string;
  private readonly settings: Required<TwoPassOptions>;
  /** Grammar ids handed to the base recognizer, per generation (a new generation starts afresh). */
  private added = { generation: '', keys: new Set<string>() };

  constructor(readonly base: GrammarRecognizer, private readonly generations: NameGenerationSource,
    options: TwoPassOptions = {}) {
    this.engine = base.engine;
    this.settings = { ...twoPassDefaults, ...options };
  }

  start(options: RecognizeOptions): RecognitionStream {
    if (options.context !== 'name') return this.base.start(options);
    const generation = this.generations().then((ready) => {
      if (ready !== null) this.ensure(ready, ready.cityFinder);
      return ready;
    });
    return new TwoPassStream(generation,
      (ready) => this.base.start({ ...options, grammarKey: ready.cityFinder.grammarKey,
        nBest: Math.max(options.nBest, this.settings.cityNBest) }),
      (ready, first) => this.secondPass(ready, options, first));
  }

  /** Run-time grammars of other contexts (e.g. this week's bills) go to the engine underneath. */
  addGrammar(grammar: GrammarDefinition): void {
    this.base.addGrammar(grammar);
  }

  close(): Promise<void> {
    return this.base.close();
  }

  private ensure(generation: NameGeneration, grammar: GrammarDefinition): void {
    if (this.added.generation !== generation.generation) {
      this.added = { generation: generation.generation, keys: new Set() };
    }
    if (this.added.keys.has(grammar.grammarKey)) return;
    this.base.addGrammar(grammar);
    this.added.keys.add(grammar.grammarKey);
  }

  /** Pass 2 over the kept audio: each likely city's grammar, weighted by the city's share. */
  private async secondPass(generation: NameGeneration, options: RecognizeOptions,
    first: FirstPass): Promise<Hypothesis[]> {
    let heard = first.recognition.hypotheses;
    let cities = likelyCities(heard, generation.citySlugs, this.settings);
    const fallback = generation.fallbackFinder;
    if (cities.length === 0 && fallback !== null) {
      this.ensure(generation, fallback);
      // Its best reading only: the slots grammar's lattice takes far longer than the recognizer waits for
      // one (38 of 40 tuning and held-out decodes at load 8 got no N-best), so asking for it made the
      // result depend on the machine's load and kept the decoder busy building a lattice nobody read.
      heard = (await decodeAgain(this.base, first.audio, { ...options, grammarKey: fallback.grammarKey,
        nBest: 1 })).hypotheses;
      cities = likelyCities(heard, generation.citySlugs, this.settings);
    }
    const perCity = await Promise.all(cities.map(async ({ slug, share }) => {
      const built = await generation.cities.cityGrammar(slug);
      if (built === null) return [];
      // Re-added each time: the cache may have rebuilt it (a new file) after an eviction.
      this.base.addGrammar(built.grammar);
      const recognition = await decodeAgain(this.base, first.audio, { ...options, grammarKey: built.grammar.grammarKey,
        nBest: Math.max(options.nBest, 10) });
      const cityWords = slug.split('-');
      return recognition.hypotheses.map((hypothesis) => withCity(hypothesis, cityWords, share));
    }));
    const merged = new Map<string, Hypothesis>();
    for (const hypothesis of perCity.flat()) {
      const known = merged.get(hypothesis.text);
      merged.set(hypothesis.text, known === undefined ? hypothesis
        : { ...known, confidence: known.confidence + hypothesis.confidence });
    }
    return mixPassReadings([...merged.values()].sort((a, b) => b.confidence - a.confidence), heard,
      this.settings.pass1Weight).slice(0, options.nBest);
  }
}

/** Cities of pass 1's N-best by summed confidence, as shares of the hypotheses that named a city. */
export function likelyCities(hypotheses: readonly Hypothesis[], citySlugs: ReadonlySet<string>,
  settings: Required<TwoPassOptions>): Array<{ slug: string; share: number }> {
  const weights = new Map<string, number>();
  let total = 0;
  for (const hypothesis of hypotheses.slice(0, settings.cityNBest)) {
    const slug = cityOfHypothesis(hypothesis.text, citySlugs);
    if (slug === null) continue;
    const weight = Math.max(hypothesis.confidence, 1e-6);
    weights.set(slug, (weights.get(slug) ?? 0) + weight);
    total += weight;
  }
  return [...weights].map(([slug, weight]) => ({ slug, share: weight / total }))
    .sort((a, b) => b.share - a.share || (a.slug < b.slug ? -1 : 1))
    .filter((city, index) => index === 0 || city.share >= settings.cityShareMin)
    .slice(0, settings.citiesMax);
}

/**
 * A pass-2 hypothesis as the matcher should read it: pocketsphinx's N-best may stop short of the city
 * ("mary jones of"); the city is the one this grammar was built for, so it is said in full.
 */
function withCity(hypothesis: Hypothesis, cityWords: readonly string[], share: number): Hypothesis {
  const words = hypothesis.text.split(' ').filter((word) => word !== '');
  while (words.length > 0 && ['of', 'in'].includes(words[words.length - 1] as string)) words.pop();
  const placeAt = Math.max(words.lastIndexOf('of'), words.lastIndexOf('in'));
  const name = placeAt > 0 ? words.slice(0, placeAt) : words;
  return { text: [...name, 'of', ...cityWords].join(' '), confidence: hypothesis.confidence * share,
    phones: hypothesis.phones };
}

async function decodeAgain(base: Recognizer, audio: readonly Int16Array[],
  options: RecognizeOptions): Promise<Recognition> {
  const samples = audio.reduce((sum, frame) => sum + frame.length, 0);
  const stream = base.start({ ...options, noSpeechTimeoutMs: Math.round(samples / 8) + pass2TrailingMs + 1000,
    maxSpeechMs: Math.max(options.maxSpeechMs, Math.round(samples / 8) + 1000) });
  for (const frame of audio) stream.write(frame);
  const silence = new Int16Array(frameSamples);
  for (let ms = 0; ms < pass2TrailingMs; ms += 20) stream.write(silence);
  stream.end();
  return stream.result;
}

interface FirstPass {
  readonly recognition: Recognition;
  /** Everything written to the stream, 8 kHz frames. */
  readonly audio: readonly Int16Array[];
}

type SecondPass = (generation: NameGeneration, first: FirstPass) => Promise<Hypothesis[]>;

/** One name utterance: pass 1 live on the base recognizer while the audio is kept, then pass 2. */
class TwoPassStream implements RecognitionStream {
  readonly result: Promise<Recognition>;
  private readonly audio: Int16Array[] = [];
  private pass1: RecognitionStream | null = null;
  private ended = false;
  private cancelled = false;
  private readonly speechListeners: Array<() => void> = [];

  constructor(generation: Promise<NameGeneration | null>,
    private readonly openPass1: (generation: NameGeneration) => RecognitionStream, secondPass: SecondPass) {
    this.result = generation.then(async (ready) => {
      if (ready === null || this.cancelled) return this.empty(this.cancelled ? 'cancelled' : 'finished');
      const pass1 = this.startPass1(ready);
      const recognition = await pass1.result;
      // No reading but speech was heard: pass 2 may still find the city with the fallback finder.
      if ((recognition.hypotheses.length === 0 && recognition.speechMs === 0) || this.cancelled) return recognition;
      const started = performance.now();
      const hypotheses = await secondPass(ready, { recognition, audio: this.audio });
      return { ...recognition, hypotheses, latencyMs: recognition.latencyMs + performance.now() - started };
    }).catch(() => this.empty('finished'));
  }

  write(frame: Int16Array): void {
    if (this.ended || this.cancelled) return;
    const copy = frame.slice();
    this.audio.push(copy);
    this.pass1?.write(copy);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.pass1?.end();
  }

  cancel(): void {
    this.cancelled = true;
    this.pass1?.cancel();
  }

  onSpeechStart(listener: () => void): void {
    this.speechListeners.push(listener);
    this.pass1?.onSpeechStart(listener);
  }

  private startPass1(generation: NameGeneration): RecognitionStream {
    const pass1 = this.openPass1(generation);
    this.pass1 = pass1;
    for (const listener of this.speechListeners) pass1.onSpeechStart(listener);
    for (const frame of this.audio) pass1.write(frame);
    if (this.ended) pass1.end();
    return pass1;
  }

  private empty(end: Recognition['end']): Recognition {
    return { hypotheses: [], end, speechMs: 0, latencyMs: 0 };
  }
}
