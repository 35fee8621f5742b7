// The city-first name answers on real pocketsphinx with synthesized telephone speech: the town said on its own
// (context 'city', the roll's towns), then the name said alone and heard only among the voters of the towns
// that answer named (RecognizeOptions.cityHeard).
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallerAcoustics } from '../../../src/speech/caller-acoustics.js';
import { loadCmudict } from '../../../src/speech/lexicon/cmudict.js';
import { loadNicknames } from '../../../src/speech/matcher/index.js';
import { NameGeneration, townGrammarVotersMax } from '../../../src/speech/names/name-generation.js';
import { NameRoll } from '../../../src/speech/names/name-roll.js';
import {
  TwoPassNameRecognizer, twoPassDefaults, type GrammarRecognizer, type TwoPassOptions,
} from '../../../src/speech/names/two-pass-name-recognizer.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import type { Hypothesis } from '../../../src/speech/recognizer.js';
import { recognize } from '../support/recognize.js';
import { concat, silence, telephoneSpeech } from '../support/telephone-tts.js';
import { pathVoters, ReadingsSetBy } from './support/name-path-fixture.js';

describe('speech/names: the town said first, then the name within it (real pocketsphinx)', function () {
  this.timeout(180_000);
  let dir = '';
  let real: PocketsphinxRecognizer;
  let generation: NameGeneration;
  const said = new Map<string, Int16Array>();
  const voters = [...pathVoters, { first: 'linda', middle: '', last: 'miller', city: 'boone' },
    { first: 'george', middle: '', last: 'brown', city: 'cedar falls' }];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'town-first-'));
    real = await PocketsphinxRecognizer.create({ poolSize: 6 });
    generation = await NameGeneration.prepare(new NameRoll('gen1', voters), await loadCmudict());
    for (const text of ['boone', 'in cedar falls', 'mary jones', 'linda smith', 'robert miller']) {
      said.set(text, concat(silence(400), await telephoneSpeech(text, 'flite-kal', dir), silence(900)));
    }
  });
  after(async () => {
    await real?.close();
    await generation?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const path = (options: TwoPassOptions = {}): TwoPassNameRecognizer =>
    new TwoPassNameRecognizer(real, () => Promise.resolve(generation), options);
  const speech = (text: string): Int16Array => {
    const samples = said.get(text);
    if (samples === undefined) throw new Error(`no speech for ${text}`);
    return samples;
  };
  const town = (text: string, confidence: number): Hypothesis => ({ text, confidence, phones: [] });

  it('hears a town said on its own among the roll\'s towns, with or without "in"', async () => {
    const boone = await recognize(path(), speech('boone'), { context: 'city' });
    expect(boone.hypotheses[0]?.text).to.equal('boone');
    const falls = await recognize(path(), speech('in cedar falls'), { context: 'city' });
    expect(falls.hypotheses[0]?.text).to.equal('in cedar-falls');
    expect(generation.townAnswer.words).to.include.members(['ames', 'boone', 'cedar-falls', 'in', 'of']);
    expect(generation.townAnswer.words).to.not.include('jones');
  });

  it('hears the name alone among the voters of the town the answer named, said in full in that town', async () => {
    const heard = await recognize(path(), speech('mary jones'), { context: 'name', cityHeard: [town('ames', 0.9)] });
    expect(heard.end).to.equal('end-of-speech');
    expect(heard.hypotheses[0]?.text).to.equal('mary jones of ames');
    // Only Ames' voters can be heard: Linda Smith of Boone is not a path of its grammar.
    expect(heard.hypotheses.every((reading) => reading.text.endsWith(' of ames'))).to.equal(true);
  });

  it('listens in each likely town at once, and weighs each town\'s readings by its share', async () => {
    const heard = await recognize(path(), speech('linda smith'), { context: 'name',
      cityHeard: [town('ames', 0.5), town('in boone', 0.3), town('boone', 0.2)] });
    const boone = heard.hypotheses.find((reading) => reading.text === 'linda smith of boone');
    expect(boone, JSON.stringify(heard.hypotheses)).to.not.equal(undefined);
    // Boone's share is 0.5 of the answer: no reading of Boone's grammar can weigh more.
    expect(boone?.confidence).to.be.at.most(0.5 + 1e-9);
    expect(heard.hypotheses.some((reading) => reading.text.endsWith(' of ames'))).to.equal(true);
  });

  it('hears nothing when the answer named no town of the roll', async () => {
    const nowhere = await recognize(path(), speech('mary jones'), { context: 'name', cityHeard: [town('paris', 1)] });
    expect(nowhere.hypotheses).to.deep.equal([]);
    const none = await recognize(path(), speech('mary jones'), { context: 'name', cityHeard: [] });
    expect(none.hypotheses).to.deep.equal([]);
  });

  it('hears a town too large for one grammar in all its surname ranges, the best-fitting range speaking', async () => {
    expect(twoPassDefaults.townVotersMax).to.equal(townGrammarVotersMax);
    // One voter per range: Ames is heard as two grammars, "jones" and "miller".
    for (const [text, voter] of [['mary jones', 'mary jones of ames'], ['robert miller', 'robert miller of ames']] as const) {
      const built = generation.cities.buildCount;
      const heard = await recognize(path({ townVotersMax: 1 }), speech(text), { context: 'name',
        cityHeard: [town('ames', 1)] });
      expect(heard.hypotheses[0]?.text, text).to.equal(voter);
      expect(heard.hypotheses.every((reading) => reading.text.split(' ').length <= 4)).to.equal(true);
      if (text === 'mary jones') expect(generation.cities.buildCount - built).to.equal(2);
    }
    expect(generation.cities.cachedCities).to.include.members(['ames#1-of-2@1', 'ames#2-of-2@1']);
  });

  it('readies a town\'s ranges ahead, each compiled into a decoder of its own, so the name compiles nothing', async () => {
    // A recognizer of its own: no decoder holds these grammars yet.
    const fresh = await PocketsphinxRecognizer.create({ poolSize: 4 });
    try {
      const ready = new TwoPassNameRecognizer(fresh, () => Promise.resolve(generation), { townVotersMax: 1 });
      const options = { context: 'name' as const, cityHeard: [town('ames', 1)], nBest: 5, noSpeechTimeoutMs: 5000,
        maxSpeechMs: 30_000 };
      const ranges = await generation.cities.townGrammars('ames', 1);
      expect(ranges.length).to.be.at.least(2);
      const compiled = fresh.searchesCompiled;
      await ready.prepare(options);
      expect(fresh.searchesCompiled - compiled).to.equal(ranges.length);
      expect(fresh.decoderCount).to.be.at.least(ranges.length);
      // Readied again: every range is held by an idle decoder already.
      await ready.prepare(options);
      expect(fresh.searchesCompiled - compiled).to.equal(ranges.length);
      const heard = await recognize(ready, speech('robert miller'), options);
      expect(heard.hypotheses[0]?.text).to.equal('robert miller of ames');
      // Each range's pass took the decoder that held its grammar: nothing was compiled for the name.
      expect(fresh.searchesCompiled - compiled).to.equal(ranges.length);
    } finally {
      await fresh.close();
    }
  });

  it('stops readying a town\'s ranges once the same call\'s name has started', async () => {
    const fresh = await PocketsphinxRecognizer.create({ poolSize: 5 });
    try {
      // The engine as it is, except that its first readying, once compiled, holds until the name is under way.
      let release = (): void => {};
      const held = new Promise<void>((resolve) => { release = resolve; });
      let readied = 0;
      const gated: GrammarRecognizer = {
        engine: fresh.engine,
        start: (options) => fresh.start(options),
        addGrammar: (grammar) => { fresh.addGrammar(grammar); },
        prepare: async (options) => {
          await fresh.prepare(options);
          readied += 1;
          if (readied === 1) await held;
        },
        close: () => fresh.close(),
      };
      const ready = new TwoPassNameRecognizer(gated, () => Promise.resolve(generation), { townVotersMax: 1 });
      const caller = new CallerAcoustics();
      const options = { context: 'name' as const, cityHeard: [town('ames', 1)], nBest: 5, noSpeechTimeoutMs: 5000,
        maxSpeechMs: 30_000, caller };
      const ranges = await generation.cities.townGrammars('ames', 1);
      expect(ranges.length).to.be.at.least(2);
      const compiled = fresh.searchesCompiled;
      const readying = ready.prepare(options);
      while (readied === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      // The name starts while the first range is readied and the others are not: its passes compile those.
      const stream = ready.start(options);
      const audio = speech('robert miller');
      const half = Math.floor(audio.length / 320) * 160;
      stream.write(audio.subarray(0, half));
      while (fresh.searchesCompiled - compiled < ranges.length) await new Promise((resolve) => setTimeout(resolve, 5));
      release();
      await readying;
      stream.write(audio.subarray(half));
      stream.end();
      const heard = await stream.result;
      expect(heard.hypotheses[0]?.text).to.equal('robert miller of ames');
      // Each range compiled once: the first by the readying, the rest by the name, none again by the readying.
      expect(readied).to.equal(1);
      expect(fresh.searchesCompiled - compiled).to.equal(ranges.length);
    } finally {
      await fresh.close();
    }
  });

  it('a name that starts while its grammar is being readied waits for it instead of compiling it again', async () => {
    const fresh = await PocketsphinxRecognizer.create({ poolSize: 3 });
    try {
      const built = await generation.cities.cityGrammar('boone');
      if (built === null) throw new Error('no grammar for boone');
      fresh.addGrammar(built.grammar);
      const options = { context: 'name' as const, grammarKey: built.grammar.grammarKey, nBest: 5 };
      const compiled = fresh.searchesCompiled;
      const readying = fresh.prepare({ ...options, noSpeechTimeoutMs: 5000, maxSpeechMs: 30_000 });
      const heard = await recognize(fresh, speech('linda smith'), options);
      await readying;
      expect(heard.hypotheses[0]?.text).to.match(/^linda smith( of boone)?$/);
      expect(fresh.searchesCompiled - compiled).to.equal(1);
    } finally {
      await fresh.close();
    }
  });

  it('readies nothing for a name said with its town, and hands other contexts to the engine', async () => {
    const fresh = await PocketsphinxRecognizer.create({ poolSize: 2 });
    try {
      const ready = new TwoPassNameRecognizer(fresh, () => Promise.resolve(generation));
      const compiled = fresh.searchesCompiled;
      await ready.prepare({ context: 'name', nBest: 5, noSpeechTimeoutMs: 5000, maxSpeechMs: 30_000 });
      expect(fresh.searchesCompiled).to.equal(compiled);
      await ready.prepare({ context: 'yesno', nBest: 5, noSpeechTimeoutMs: 5000, maxSpeechMs: 30_000 });
      expect(fresh.searchesCompiled - compiled).to.equal(1);
    } finally {
      await fresh.close();
    }
  });

  it('with the town finder on, a town whose voter grammar heard nothing is heard by its free name slots', async () => {
    expect(twoPassDefaults.townFinder).to.equal(false);
    // The voter grammar's decode runs, but reads nothing, as when no path of it ended.
    const silentVoters = new ReadingsSetBy(real, new Map([['gen1/city:ames', (): Hypothesis[] => []]]));
    const listen = (townFinder: boolean): Promise<Awaited<ReturnType<typeof recognize>>> =>
      recognize(new TwoPassNameRecognizer(silentVoters, () => Promise.resolve(generation), { townFinder }),
        speech('mary jones'), { context: 'name', cityHeard: [town('ames', 1)] });
    expect((await listen(false)).hypotheses).to.deep.equal([]);
    const found = await listen(true);
    expect(found.hypotheses.map((reading) => reading.text)).to.deep.equal(['mary jones of ames']);
  });
  it('hears a first name\'s short form said after the town ("bobby lindqvist" in ames) with the town\'s short forms',
    async () => {
      const nicknames = await loadNicknames();
      const lindqvists = ['robert', 'barbara'].map((first) => ({ first, middle: '', last: 'lindqvist', city: 'ames',
        firstShortForms: nicknames.shortFormsOf(first) }));
      // "bobby" (robert) and "bobbie" (barbara) sound the same: the short form, said, fits both voters.
      expect(lindqvists.map((voter) => voter.firstShortForms)).to.satisfy((forms: string[][]) =>
        forms[0]?.includes('bobby') === true && forms[1]?.includes('bobbie') === true);
      const own = await NameGeneration.prepare(new NameRoll('gen-short', [...voters, ...lindqvists]),
        await loadCmudict());
      try {
        // The town's roll names alone read robert and barbara near even; "bob" instead comes out as one of them
        // at 0.9 or more in every test voice (not unsure enough for a second try: a known limit, README names).
        const bobby = concat(silence(400), await telephoneSpeech('bobby lindqvist', 'flite-kal', dir), silence(900));
        const options = { context: 'name' as const, cityHeard: [town('ames', 1)] };
        const rollOnly = await recognize(new TwoPassNameRecognizer(real, () => Promise.resolve(own),
          { shortFormRetryBelow: null }), bobby, options);
        expect(rollOnly.hypotheses.map((hypothesis) => hypothesis.text))
          .to.include.members(['robert lindqvist of ames', 'barbara lindqvist of ames']);
        expect(rollOnly.hypotheses[0]?.confidence).to.be.below(twoPassDefaults.shortFormRetryBelow ?? 0);
        const heard = await recognize(new TwoPassNameRecognizer(real, () => Promise.resolve(own), {}), bobby, options);
        expect(heard.hypotheses[0]?.text).to.match(/^bobb(y|ie) lindqvist of ames$/);
        expect(heard.hypotheses[0]?.confidence).to.be.above(rollOnly.hypotheses[0]?.confidence ?? 1);
        // A name said as the roll has it is heard as before.
        const mary = await recognize(new TwoPassNameRecognizer(real, () => Promise.resolve(own), {}),
          speech('mary jones'), options);
        expect(mary.hypotheses[0]?.text).to.equal('mary jones of ames');
      } finally {
        await own.dispose();
      }
    });
});
