// Compiled searches are bounded per decoder (decoder-pool.ts): with room for two, a third city's name
// grammar frees the least recently used one in real pocketsphinx (ps_unset_search), and a freed grammar
// is compiled again when its city comes back and still recognizes the voter.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RollName } from '../../../src/speech/grammar/name-grammar.js';
import { loadCmudict } from '../../../src/speech/lexicon/cmudict.js';
import { CityGrammarCache } from '../../../src/speech/names/city-grammar-cache.js';
import { NameRoll } from '../../../src/speech/names/name-roll.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { readingInCity } from '../../../src/speech/names/reading-words.js';
import { recognize } from '../support/recognize.js';
import { concat, silence, telephoneSpeech } from '../support/telephone-tts.js';

const voters: RollName[] = [
  { first: 'mary', middle: '', last: 'jones', city: 'ames' },
  { first: 'john', middle: 'paul', last: 'smith', city: 'ames' },
  { first: 'robert', middle: '', last: 'miller', city: 'boone' },
  { first: 'linda', middle: '', last: 'jones', city: 'boone' },
  { first: 'david', middle: '', last: 'brown', city: 'des moines' },
  { first: 'susan', middle: '', last: 'davis', city: 'des moines' },
];

/** The city's name grammar, built by the cache and handed to the recognizer; its key. */
async function cityGrammarKey(
  cache: CityGrammarCache, recognizer: PocketsphinxRecognizer, slug: string,
): Promise<string> {
  const built = await cache.cityGrammar(slug);
  if (built === null) throw new Error(`no grammar for ${slug}`);
  recognizer.addGrammar(built.grammar);
  return built.grammar.grammarKey;
}

async function say(text: string, dir: string): Promise<Int16Array> {
  return concat(silence(300), await telephoneSpeech(text, 'flite-kal', dir), silence(900));
}

describe('speech/pocketsphinx: compiled searches per decoder are bounded', function () {
  this.timeout(120_000);
  let dir = '';
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'decoder-searches-')); });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('frees the least recently used search past searchesMax and compiles it again when needed', async () => {
    const cache = new CityGrammarCache(new NameRoll('gen1', voters), await loadCmudict(), 8, dir);
    // One decoder, so every grammar below is compiled into the same one; room for two searches.
    const recognizer = await PocketsphinxRecognizer.create({ poolSize: 1, searchesMax: 2 });
    try {
      const grammarKey = (slug: string): Promise<string> => cityGrammarKey(cache, recognizer, slug);
      const [mary, robert] = await Promise.all([say('mary jones of ames', dir), say('robert miller of boone', dir)]);
      // The reading as the name path reads it: an N-best reading may stop short of the city ("robert miller
      // of"), which the path says in full with the grammar's own (readingInCity). Each name here is on one
      // city's grammar only, so the name still tells which grammar was decoded.
      const heardIn = async (audio: Int16Array, slug: string): Promise<string | undefined> => {
        const text = (await recognize(recognizer, audio, { context: 'name', grammarKey: await grammarKey(slug) }))
          .hypotheses[0]?.text;
        return text === undefined ? undefined : readingInCity(text, slug.split('-'));
      };

      expect(await heardIn(mary, 'ames')).to.equal('mary jones of ames');
      expect(await heardIn(robert, 'boone')).to.equal('robert miller of boone');
      expect(recognizer.searchesFreed, 'two searches fit').to.equal(0);
      await heardIn(mary, 'des-moines');
      expect(recognizer.searchesFreed, 'ames, the least recently used, was freed').to.equal(1);
      expect(await heardIn(mary, 'ames'), 'a freed grammar is compiled again').to.equal('mary jones of ames');
      expect(recognizer.searchesFreed).to.equal(2);
      expect(await heardIn(robert, 'boone'), 'boone was freed for ames and comes back too').to.equal('robert miller of boone');
      expect(recognizer.searchesFreed).to.equal(3);
    } finally {
      await recognizer.close();
      await cache.dispose();
    }
  });

  it('an utterance gets an idle decoder that has its grammar compiled already, when there is one', async () => {
    const cache = new CityGrammarCache(new NameRoll('gen1', voters), await loadCmudict(), 8, dir);
    const recognizer = await PocketsphinxRecognizer.create({ poolSize: 2 });
    try {
      const grammarKey = (slug: string): Promise<string> => cityGrammarKey(cache, recognizer, slug);
      const [mary, robert] = await Promise.all([say('mary jones of ames', dir), say('robert miller of boone', dir)]);
      // nBest 1: no lattice, so each decoder is back in the pool when its result comes.
      const heardIn = async (audio: Int16Array, slug: string): Promise<string | undefined> =>
        (await recognize(recognizer, audio, { context: 'name', grammarKey: await grammarKey(slug), nBest: 1 }))
          .hypotheses[0]?.text;
      // Two at once: two decoders, one compiling each grammar.
      expect(await Promise.all([heardIn(mary, 'ames'), heardIn(robert, 'boone')]))
        .to.deep.equal(['mary jones of ames', 'robert miller of boone']);
      expect(recognizer.decoderCount).to.equal(2);
      expect(recognizer.searchesCompiled).to.equal(2);
      // Then one at a time, alternating: each goes to the decoder that knows its grammar (the most recently
      // freed decoder would have had to compile the other grammar each time).
      for (const [audio, slug, text] of [[robert, 'boone', 'robert miller of boone'], [mary, 'ames', 'mary jones of ames'],
        [robert, 'boone', 'robert miller of boone'], [mary, 'ames', 'mary jones of ames']] as const) {
        expect(await heardIn(audio, slug)).to.equal(text);
      }
      expect(recognizer.searchesCompiled, 'no grammar compiled a second time').to.equal(2);
    } finally {
      await recognizer.close();
      await cache.dispose();
    }
  });
});
