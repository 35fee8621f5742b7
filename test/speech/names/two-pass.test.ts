// The voice name path's parts: pass 1's city ranking (pure), per-city grammars built lazily and kept
// in an LRU per roll generation, and the two-pass recognizer on real pocketsphinx with synthesized
// telephone speech: the city found in pass 1, the voter's path in pass 2, other contexts untouched.
import { expect } from 'chai';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallerAcoustics } from '../../../src/speech/caller-acoustics.js';
import type { RollName } from '../../../src/speech/grammar/name-grammar.js';
import { loadCmudict } from '../../../src/speech/lexicon/cmudict.js';
import type { Lexicon } from '../../../src/speech/lexicon/lexicon.js';
import { CityGrammarCache } from '../../../src/speech/names/city-grammar-cache.js';
import { NameGeneration } from '../../../src/speech/names/name-generation.js';
import { loadNicknames } from '../../../src/speech/matcher/index.js';
import { NameRoll } from '../../../src/speech/names/name-roll.js';
import {
  likelyCities, TwoPassNameRecognizer, twoPassDefaults, type NamePassTimings,
} from '../../../src/speech/names/two-pass-name-recognizer.js';
import { parseYesNo } from '../../../src/speech/parse/yes-no.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import type { Hypothesis, RecognizeOptions } from '../../../src/speech/recognizer.js';
import { recognize, recognizePaced } from '../support/recognize.js';
import { concat, silence, telephoneSpeech } from '../support/telephone-tts.js';
import { ReadingsSetBy } from './support/name-path-fixture.js';

const voters: RollName[] = [
  { first: 'mary', middle: '', last: 'jones', city: 'ames' },
  { first: 'mary', middle: '', last: 'smith', city: 'ames' },
  { first: 'john', middle: 'paul', last: 'jones', city: 'ames' },
  { first: 'robert', middle: '', last: 'miller', city: 'boone' },
  { first: 'linda', middle: '', last: 'jones', city: 'boone' },
  { first: 'david', middle: '', last: 'brown', city: 'des moines' },
  { first: 'susan', middle: '', last: 'davis', city: 'des moines' },
];

/** A call's acoustics that count the utterances they are told about. */
class UtterancesTold extends CallerAcoustics {
  told = 0;

  override heard(mean: ArrayLike<number>, frames: number): void {
    this.told += 1;
    super.heard(mean, frames);
  }
}

describe('speech/names: the two-pass voice name path', function () {
  this.timeout(120_000);
  let dir = '';
  let dictionary: Lexicon;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'two-pass-'));
    dictionary = await loadCmudict();
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('ranks pass 1\'s cities by summed confidence and drops the unlikely ones', () => {
    const cities = new Set(['ames', 'boone', 'des-moines']);
    const ranked = likelyCities([
      { text: 'mary jones of ames', confidence: 0.5, phones: [] },
      { text: 'mary jones of des moines', confidence: 0.3, phones: [] },
      { text: 'mary james of ames', confidence: 0.15, phones: [] },
      { text: 'mary jones of boone', confidence: 0.05, phones: [] },
      { text: 'mary jones of', confidence: 0.5, phones: [] },
    ], cities, twoPassDefaults);
    expect(ranked.map((city) => city.slug)).to.deep.equal(['ames', 'des-moines']);
    expect(ranked[0]?.share).to.be.closeTo(0.65, 1e-9);
  });

  it('builds a city grammar on first use, caches it, evicts the least recently used, and keys it by generation', async () => {
    const cache = new CityGrammarCache(new NameRoll('gen1', voters), dictionary, 2, dir);
    const ames = await cache.cityGrammar('ames');
    expect(ames?.grammar.grammarKey).to.equal('gen1/city:ames');
    expect(ames?.voters).to.equal(3);
    expect(await cache.cityGrammar('ames')).to.equal(ames);
    expect(cache.buildCount).to.equal(1);
    await cache.cityGrammar('boone');
    await cache.cityGrammar('ames');
    await cache.cityGrammar('des-moines');
    expect(cache.cachedCities).to.deep.equal(['ames', 'des-moines']);
    expect(cache.buildCount).to.equal(3);
    expect(await cache.cityGrammar('nowhere')).to.equal(null);
    const next = new CityGrammarCache(new NameRoll('gen2', voters.slice(3)), dictionary, 2, dir);
    expect((await next.cityGrammar('boone'))?.grammar.grammarKey).to.equal('gen2/city:boone');
    expect(await next.cityGrammar('ames')).to.equal(null);
    await cache.dispose();
    let gone = false;
    await access(ames?.grammar.source ?? '').catch(() => { gone = true; });
    expect(gone, 'a disposed generation\'s grammar files are deleted').to.equal(true);
    await next.dispose();
  });

  it('recognizes "mary jones of ames" in one utterance with real pocketsphinx; other contexts pass through', async () => {
    const base = await PocketsphinxRecognizer.create({ poolSize: 2 });
    const generation = await NameGeneration.prepare(new NameRoll('gen1', voters), dictionary);
    const recognizer = new TwoPassNameRecognizer(base, () => Promise.resolve(generation));
    try {
      const speech = concat(silence(400), await telephoneSpeech('mary jones of ames', 'flite-kal', dir), silence(900));
      const caller = new UtterancesTold();
      const heard = await recognize(recognizer, speech, { context: 'name', caller });
      expect(heard.end).to.equal('end-of-speech');
      // Three or more passes heard the utterance; the call's acoustics count it once.
      expect(caller.told).to.equal(1);
      expect(caller.framesHeard).to.be.greaterThan(50);
      expect(heard.speechStarts).to.equal(1);
      expect(heard.hypotheses[0]?.text).to.equal('mary jones of ames');
      for (const hypothesis of heard.hypotheses) expect(hypothesis.text.endsWith(' of ames'), hypothesis.text).to.equal(true);
      expect(generation.cities.cachedCities).to.include('ames');
      const yes = await recognize(recognizer, concat(silence(300), await telephoneSpeech('yes', 'flite-kal', dir),
        silence(900)), { context: 'yesno' });
      expect(parseYesNo(yes.hypotheses[0]?.text ?? '')).to.equal('yes');
      const quiet = await recognize(recognizer, silence(3000), { context: 'name', noSpeechTimeoutMs: 1500 });
      expect(quiet.hypotheses).to.deep.equal([]);
      expect(quiet.end).to.equal('no-speech');
    } finally {
      await recognizer.close();
      await generation.dispose();
    }
  });

  it('builds a city\'s grammar with its first names\' short forms only where the nicknames table has some', async () => {
    const nicknames = await loadNicknames();
    const william = { first: 'william', middle: '', last: 'jones', city: 'ames',
      firstShortForms: nicknames.shortFormsOf('william') };
    expect(william.firstShortForms).to.include.members(['bill', 'will']);
    const cache = new CityGrammarCache(new NameRoll('gen1', [...voters, william]), dictionary, 3, dir);
    try {
      const short = await cache.shortFormGrammar('ames');
      expect(short?.grammar.grammarKey).to.equal('gen1/city:ames+short');
      expect(short?.grammar.words).to.include.members(['bill', 'william', 'mary']);
      expect((await cache.cityGrammar('ames'))?.grammar.words).to.not.include('bill');
      expect(await cache.shortFormGrammar('boone'), 'no voter of boone has a short form').to.equal(null);
      expect(cache.cachedShortForms).to.deep.equal(['ames']);
      // Kept apart from the roll grammars: the short-form grammar does not take a town's place in the cache.
      await Promise.all(['boone', 'des-moines'].map(async (slug) => cache.cityGrammar(slug)));
      expect(cache.cachedCities).to.deep.equal(['ames', 'boone', 'des-moines']);
      expect(cache.cachedShortForms).to.deep.equal(['ames']);
    } finally {
      await cache.dispose();
    }
  });

  it('hears a first name\'s short form ("bob lindqvist of ames") by decoding the cities again with short forms', async () => {
    const nicknames = await loadNicknames();
    const lindqvists = ['robert', 'barbara'].map((first) => ({ first, middle: '', last: 'lindqvist', city: 'ames',
      firstShortForms: nicknames.shortFormsOf(first) }));
    expect(lindqvists[0]?.firstShortForms).to.include('bob');
    // The second try is for a name heard unsurely: in this voice the roll's names alone read "bob" as barbara or
    // robert below 0.9; in others as one of them at 0.9 or more, sure enough for none (README, names).
    const base = await PocketsphinxRecognizer.create({ poolSize: 2 });
    const generation = await NameGeneration.prepare(new NameRoll('gen1', [...voters, ...lindqvists]), dictionary);
    const timings: NamePassTimings[] = [];
    const recognizer = new TwoPassNameRecognizer(base, () => Promise.resolve(generation), {},
      (timing) => timings.push(timing));
    const rollOnly = new TwoPassNameRecognizer(base, () => Promise.resolve(generation), { shortFormRetryBelow: null },
      (timing) => timings.push(timing));
    const afterTheFact = new TwoPassNameRecognizer(base, () => Promise.resolve(generation),
      { shortFormsFollowLive: false }, (timing) => timings.push(timing));
    try {
      const bob = concat(silence(400), await telephoneSpeech('bob lindqvist of ames', 'espeak-us', dir), silence(900));
      // The roll's names alone: no path says "bob", and no voter comes out at or above the retry threshold.
      const rollNames = await recognize(rollOnly, bob, { context: 'name' });
      expect(rollNames.hypotheses[0]?.confidence).to.be.below(twoPassDefaults.shortFormRetryBelow ?? 0);
      expect(rollNames.hypotheses.map((hypothesis) => hypothesis.text)).to.not.include('bob lindqvist of ames');
      expect(timings.at(-1)?.shortFormRetry).to.deep.equal({ ms: 0, taken: false, citiesFollowed: 0 });
      const heard = await recognize(recognizer, bob, { context: 'name' });
      expect(heard.hypotheses[0]?.text).to.equal('bob lindqvist of ames');
      expect(heard.hypotheses[0]?.confidence).to.be.above(rollNames.hypotheses[0]?.confidence ?? 1);
      expect(timings.at(-1)?.shortFormRetry?.taken).to.equal(true);
      // Frames coming as on a call: Ames's short-form grammar followed the caller live beside its roll grammar,
      // so the second try had its decode at hand; decoded after pass 2 instead, it reads the same.
      const live = await recognizePaced(recognizer, bob, { context: 'name' });
      expect(live.hypotheses[0]?.text).to.equal('bob lindqvist of ames');
      expect(timings.at(-1)?.citiesFollowed).to.equal(1);
      expect(timings.at(-1)?.shortFormRetry).to.include({ taken: true, citiesFollowed: 1 });
      const decodedAfter = await recognizePaced(afterTheFact, bob, { context: 'name' });
      expect(decodedAfter.hypotheses[0]?.text).to.equal('bob lindqvist of ames');
      expect(timings.at(-1)?.shortFormRetry).to.include({ taken: true, citiesFollowed: 0 });
      // Decoded after the fact, the second try repeats nothing of the first: each grammar decodes the utterance
      // once (the fallback finder's too), and the finder's free reading is aligned once (fitGapPerFrame); the
      // second try's voter is aligned with its short form's pronunciation from the short-form grammar. Pass 1
      // names Ames for this audio, so here it is made to read nothing: the fallback finder names the town, and
      // its free reading is checked against the voter (reading-fit.ts), as for a name pass 1 did not end.
      const started: string[] = [];
      const finderNames = new ReadingsSetBy(base, new Map([['gen1/cities', (): Hypothesis[] => []]]));
      const counting = new Proxy(finderNames, { get: (target, property) => {
        if (property === 'start') {
          return (options: RecognizeOptions) => {
            started.push(options.grammarKey ?? options.context);
            return target.start(options);
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      } });
      const counted = new TwoPassNameRecognizer(counting, () => Promise.resolve(generation),
        { speculativeCitiesMax: 0 }, (timing) => timings.push(timing));
      expect((await recognize(counted, bob, { context: 'name' })).hypotheses[0]?.text).to.equal('bob lindqvist of ames');
      expect(timings.at(-1)?.fallbackUsed).to.equal(true);
      expect(timings.at(-1)?.fitGapPerFrame, 'both tries measured the fit').to.not.equal(null);
      const fits = started.filter((key) => key.includes('/fit:'));
      expect(fits, 'pass 2\'s voter, the free reading, then bob').to.have.length(3);
      const others = started.filter((key) => !key.includes('/fit:'));
      expect(new Set(others).size, others.join(', ')).to.equal(others.length);
      // A name said as the roll has it, and heard surely, is not decoded again.
      const mary = concat(silence(400), await telephoneSpeech('mary jones of ames', 'flite-kal', dir), silence(900));
      expect((await recognize(recognizer, mary, { context: 'name' })).hypotheses[0]?.text).to.equal('mary jones of ames');
      expect(timings.at(-1)?.shortFormRetry?.taken).to.equal(false);
    } finally {
      await recognizer.close();
      await generation.dispose();
    }
  });
});
