// The name path's calibration: pass 1's readings mixed into pass 2's (pure), and what the phonetic
// matcher then decides — a sure voter when both passes heard the same name, a question when they
// disagree; and the fallback city finder that pass 2 gets its cities from when pass 1 heard none
// (control flow, with a named test double answering per grammar; the real engine's path is the
// two-pass test beside this one and the CI corpus run).
import { expect } from 'chai';
import type { GrammarDefinition } from '../../../src/speech/grammar/grammar-definition.js';
import type { RollName } from '../../../src/speech/grammar/name-grammar.js';
import { loadCmudict } from '../../../src/speech/lexicon/cmudict.js';
import { matchName, NameIndex, type MatchableVoter } from '../../../src/speech/matcher/index.js';
import { NameGeneration } from '../../../src/speech/names/name-generation.js';
import { NameRoll } from '../../../src/speech/names/name-roll.js';
import { mixPassReadings, pass1WeightDefault } from '../../../src/speech/names/pass-mixture.js';
import { TwoPassNameRecognizer, type GrammarRecognizer } from '../../../src/speech/names/two-pass-name-recognizer.js';
import type { Hypothesis, Recognition, RecognitionStream, RecognizeOptions } from '../../../src/speech/recognizer.js';

const reading = (text: string, confidence: number): Hypothesis => ({ text, confidence, phones: [] });

const names: RollName[] = [
  { first: 'mary', middle: '', last: 'jones', city: 'ames' },
  { first: 'robert', middle: '', last: 'miller', city: 'ames' },
  { first: 'linda', middle: '', last: 'jones', city: 'boone' },
  { first: 'susan', middle: '', last: 'davis', city: 'des moines' },
];

function matchable(name: RollName, index: number): MatchableVoter {
  return { id: String(1000 + index), first: name.first, middle: name.middle, last: name.last, city: name.city,
    county: 'story', zip: '50010' };
}

/**
 * TEST DOUBLE of a grammar-taking recognizer: answers each grammar key with a fixed list (or nothing),
 * once all audio came. It records the keys it was asked for.
 */
class KeyedAnswers implements GrammarRecognizer {
  readonly engine = 'keyed-answers';
  readonly asked: string[] = [];
  readonly grammars: string[] = [];

  constructor(private readonly answers: (key: string) => Hypothesis[]) {}

  addGrammar(grammar: GrammarDefinition): void {
    this.grammars.push(grammar.grammarKey);
  }

  start(options: RecognizeOptions): RecognitionStream {
    const key = options.grammarKey ?? '';
    this.asked.push(key);
    let resolve: (recognition: Recognition) => void = () => undefined;
    const result = new Promise<Recognition>((done) => { resolve = done; });
    let samples = 0;
    return {
      write: (frame) => { samples += frame.length; },
      end: () => { resolve({ hypotheses: this.answers(key), end: 'finished', speechMs: samples / 8, latencyMs: 1 }); },
      cancel: () => { resolve({ hypotheses: [], end: 'cancelled', speechMs: 0, latencyMs: 0 }); },
      onSpeechStart: () => undefined,
      result,
    };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

async function heard(recognizer: TwoPassNameRecognizer): Promise<Recognition> {
  const stream = recognizer.start({ context: 'name', nBest: 5, noSpeechTimeoutMs: 5000, maxSpeechMs: 10_000 });
  for (let frame = 0; frame < 50; frame++) stream.write(new Int16Array(160).fill(1000));
  stream.end();
  return stream.result;
}

describe('speech/names: pass-1 mixture and the fallback city finder', function () {
  this.timeout(60_000);
  let index: NameIndex;
  before(async () => {
    index = NameIndex.build(names.map(matchable), await loadCmudict());
  });

  it('a pass-1 reading of the same name adds to pass 2\'s; a different name is kept beside it', () => {
    const pass2 = [reading('mary jones of ames', 0.6), reading('mary jones in ames', 0.4)];
    const same = mixPassReadings(pass2, [reading('mary jones of', 0.8), reading('mary jones of ames', 0.2)], 0.3);
    expect(same.map((hypothesis) => hypothesis.text)).to.deep.equal(['mary jones of ames', 'mary jones in ames']);
    expect(same[0]?.confidence).to.be.closeTo(0.6 * 0.7 + 0.3, 1e-9);
    const other = mixPassReadings(pass2, [reading('linda jones of boone', 1)], 0.3);
    expect(other.map((hypothesis) => hypothesis.text)).to.deep.equal(
      ['mary jones of ames', 'linda jones of boone', 'mary jones in ames']);
    expect(other[1]?.confidence).to.be.closeTo(0.3, 1e-9);
    expect(mixPassReadings(pass2, [reading('linda jones', 1)], 0)).to.deep.equal(pass2);
    expect(mixPassReadings([], [reading('linda jones of boone', 1)])).to.deep.equal([]);
    expect(() => mixPassReadings(pass2, [], 1.5)).to.throw(RangeError, /not in 0\.\.1/);
  });

  it('a name holding a place word is compared whole, its place after the last "of"/"in"', () => {
    // Split at the first place word, "hyoung" would be the name and "pinedo waterloo" a place pass 2 never
    // heard, so the like-sounding pass-1 reading could agree with nothing.
    const pass2 = [reading('hyoung in pineda of waterloo', 1)];
    const agreement = (voter: string, heard: string): number =>
      (voter === 'hyoung in pineda' && heard === 'hyoung in pinedo' ? 1 : 0);
    const mixed = mixPassReadings(pass2, [reading('hyoung in pinedo of waterloo', 1)], 0.4, agreement);
    expect(mixed.map((hypothesis) => hypothesis.text)).to.deep.equal(['hyoung in pineda of waterloo']);
    expect(mixed[0]?.confidence).to.be.closeTo(1, 1e-9);
  });

  it('the matcher offers one voter when the passes agree, and asks when pass 1 heard someone else', () => {
    const pass2 = [reading('mary jones of ames', 0.9)];
    const agree = matchName(index, mixPassReadings(pass2, [reading('mary jones of ames', 0.9)]));
    expect(agree.kind).to.equal('one');
    // Pass 2 alone would have been sure of Mary Jones: exactly the wrong-confident case the mixture is for.
    expect(matchName(index, pass2).kind).to.equal('one');
    const disagree = matchName(index, mixPassReadings(pass2, [reading('susan davis of des moines', 0.9)]));
    expect(disagree.kind, JSON.stringify(disagree)).to.not.equal('one');
    expect(pass1WeightDefault).to.be.within(0.2, 0.5);
  });

  it('when the whole-roll finder hears no city, the slots finder finds it for pass 2', async () => {
    const generation = await NameGeneration.prepare(new NameRoll('gen1', names), await loadCmudict());
    try {
      const finder = generation.cityFinder.grammarKey;
      const fallback = generation.fallbackFinder?.grammarKey ?? '';
      expect(fallback).to.not.equal('').and.to.not.equal(finder);
      const base = new KeyedAnswers((key) => {
        if (key === fallback) return [reading('mary jones of ames', 0.8), reading('mary jones in ames', 0.2)];
        if (key.endsWith('city:ames')) return [reading('mary jones of ames', 0.9)];
        return [];
      });
      const recognition = await heard(new TwoPassNameRecognizer(base, () => Promise.resolve(generation)));
      expect(base.asked.slice(0, 2)).to.deep.equal([finder, fallback]);
      expect(base.asked).to.include('gen1/city:ames');
      expect(recognition.hypotheses[0]?.text).to.equal('mary jones of ames');
      expect(matchName(index, recognition.hypotheses).kind).to.equal('one');

      const deaf = new KeyedAnswers(() => []);
      const nothing = await heard(new TwoPassNameRecognizer(deaf, () => Promise.resolve(generation)));
      expect(nothing.hypotheses).to.deep.equal([]);
      expect(deaf.asked).to.deep.equal([finder, fallback]);
    } finally {
      await generation.dispose();
    }
  });

  it('a roll too large for the whole-roll finder has no fallback (its pass 1 already uses name slots)', async () => {
    const generation = await NameGeneration.prepare(new NameRoll('gen2', names), await loadCmudict(),
      { filler: 'names' });
    try {
      expect(generation.fallbackFinder).to.equal(null);
    } finally {
      await generation.dispose();
    }
  });
});
