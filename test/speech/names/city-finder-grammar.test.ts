// Pass 1's city finders on a large roll (name-generation.ts): a phone loop before the city, and a fallback
// finder whose free name slots hold only the commonest names, so neither grows with the roll.
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RollName } from '../../../src/speech/grammar/name-grammar.js';
import { loadCmudict } from '../../../src/speech/lexicon/cmudict.js';
import type { Lexicon } from '../../../src/speech/lexicon/lexicon.js';
import { buildCityFinderGrammar, cityOfHypothesis, isFillerWord } from '../../../src/speech/names/city-finder-grammar.js';
import { NameGeneration } from '../../../src/speech/names/name-generation.js';
import { NameRoll } from '../../../src/speech/names/name-roll.js';

/** mary ×3, john ×2, oscar ×1 as given names; smith ×3, jones ×2, porter ×1 as surnames. */
const voters: RollName[] = [
  { first: 'mary', middle: '', last: 'smith', city: 'ames' },
  { first: 'mary', middle: 'john', last: 'smith', city: 'ames' },
  { first: 'mary', middle: '', last: 'jones', city: 'boone' },
  { first: 'john', middle: '', last: 'smith', city: 'boone' },
  { first: 'oscar', middle: '', last: 'jones', city: 'des moines' },
  { first: 'ruth', middle: '', last: 'porter', city: 'des moines' },
];

describe('speech/names: city finders whose size does not grow with the roll', function () {
  this.timeout(120_000);
  let dir = '';
  let lexicon: Lexicon;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'city-finder-'));
    lexicon = await loadCmudict();
  });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('keeps only the commonest given names and surnames in the free slots (ties alphabetical)', async () => {
    const roll = new NameRoll('gen1', voters);
    const { grammar } = await buildCityFinderGrammar({ roll, lexicon, outDir: dir, filler: 'slots', commonNamesMax: 2 });
    expect(grammar.format).to.equal('jsgf');
    expect(grammar.source).to.match(/<given> = john \| mary;/);
    expect(grammar.source).to.match(/<surname> = jones \| smith;/);
    expect(grammar.words).to.not.include.members(['oscar']);
    expect(grammar.words).to.include.members(['ames', 'boone', 'des', 'moines', 'of', 'in']);
    const all = await buildCityFinderGrammar({ roll, lexicon, outDir: dir, filler: 'slots' });
    expect(all.grammar.source).to.match(/<given> = john \| mary \| oscar \| ruth;/);
    expect(all.grammar.source).to.match(/<surname> = jones \| porter \| smith;/);
  });

  it('the same limit holds for the name-slot FSG', async () => {
    const roll = new NameRoll('gen1', voters);
    const { grammar } = await buildCityFinderGrammar({ roll, lexicon, outDir: dir, filler: 'names', commonNamesMax: 1 });
    const fsg = await readFile(grammar.source, 'utf8');
    expect(fsg).to.match(/ mary\n/);
    expect(fsg).to.match(/ smith\n/);
    expect(fsg).to.not.match(/ (john|jones|oscar|porter|ruth)\n/);
  });

  it('on a large roll, pass 1 is a phone loop before the city and the fallback finder holds the commonest names', async () => {
    const roll = new NameRoll('big', voters);
    const generation = await NameGeneration.prepare(roll, lexicon, { wholeRollVotersMax: 2 });
    try {
      expect(generation.cityFinder.source).to.match(/cities-phones\.fsg$/);
      expect(generation.cityFinder.words.some(isFillerWord)).to.equal(true);
      expect(generation.cityFinder.words.filter((word) => !isFillerWord(word)))
        .to.have.members(['ames', 'boone', 'des', 'moines', 'of', 'in']);
      expect(cityOfHypothesis('ph_m ph_eh ph_r of des moines', generation.citySlugs)).to.equal('des-moines');
      const finder = generation.fallbackFinder;
      expect(finder?.format).to.equal('jsgf');
      expect(finder?.words).to.include.members(['mary', 'smith']);
      // 6 voters hold 4 given names and 3 surnames, all within the large-roll limit.
      expect(finder?.words).to.include.members(['oscar', 'porter']);
    } finally {
      await generation.dispose();
    }
  });

  it('on a small roll, pass 1 is the roll\'s own voters and the finder holds every name', async () => {
    const generation = await NameGeneration.prepare(new NameRoll('small', voters), lexicon);
    try {
      expect(generation.cityFinder.source).to.match(/cities-voters\.fsg$/);
      expect(generation.fallbackFinder?.words).to.include.members(['oscar', 'porter', 'ruth']);
    } finally {
      await generation.dispose();
    }
  });
});
