import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildCityNameGrammars, buildWordGraph, citySlug, voterPhrases, type WordGraph,
} from '../../../src/speech/grammar/name-grammar.js';
import { EspeakG2p } from '../../../src/speech/lexicon/g2p.js';
import { chainLexicons } from '../../../src/speech/lexicon/lexicon.js';
import { loadCmudict } from '../../../src/speech/lexicon/cmudict.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { recognize } from '../support/recognize.js';
import { concat, silence, telephoneSpeech } from '../support/telephone-tts.js';

const voters = [
  { first: 'mary', middle: '', last: 'smith', city: 'ames' },
  { first: 'mary', middle: '', last: 'jones', city: 'ames' },
  { first: 'john', middle: 'paul', last: 'smith', city: 'ames' },
  { first: 'xiomara', middle: '', last: 'okonkwo', city: 'ames' },
  { first: 'mary', middle: '', last: 'smith', city: 'des moines' },
];

/** Every phrase the graph accepts (small graphs only). */
function phrasesOf(graph: WordGraph): string[] {
  const out: string[] = [];
  const stack: Array<[number, string[]]> = [[0, []]];
  while (stack.length > 0) {
    const [state, words] = stack.pop() ?? [0, []];
    if (graph.accepting.includes(state)) out.push(words.join(' '));
    for (const edge of graph.transitions) if (edge.from === state) stack.push([edge.to, [...words, edge.word]]);
  }
  return out.sort();
}

describe('name grammars from the roll', function () {
  this.timeout(120_000);
  let dir = '';
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'name-grammar-')); });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('accepts exactly the real voters\' phrases, with shared prefixes and suffixes', () => {
    const ames = voters.filter((voter) => voter.city === 'ames');
    const phrases = ames.flatMap((voter) => voterPhrases(voter));
    const graph = buildWordGraph(phrases);
    expect(phrasesOf(graph)).to.deep.equal([...new Set(phrases.map((phrase) => phrase.join(' ')))].sort());
    expect(phrasesOf(graph)).not.to.include('john jones');
    // A trie would need one state per distinct prefix; the suffix "of ames" / "in ames" is shared.
    const prefixes = new Set(phrases.flatMap((phrase) => phrase.map((_, i) => phrase.slice(0, i + 1).join(' '))));
    expect(graph.stateCount).to.be.lessThan(prefixes.size / 2);
  });

  it('says a name written with accents or a typographic apostrophe in plain letters, the city slug too', () => {
    expect(voterPhrases({ first: 'José', middle: '', last: 'O’Connor-Núñez', city: 'Cañon City' })).to.deep.equal([
      ['jose', "o'connor", 'nunez'], ['jose', "o'connor", 'nunez', 'of', 'canon', 'city'],
      ['jose', "o'connor", 'nunez', 'in', 'canon', 'city'],
    ]);
    expect(citySlug('Cañon City')).to.equal('canon-city');
  });

  it('says initials written with periods as letters, and a period after an abbreviation as a word break', () => {
    // Read whole, "j.r." was no a–z word: the voter had no phrase at all.
    expect(voterPhrases({ first: 'J.R.', middle: 'A.', last: 'St.John', city: 'ames' })).to.deep.equal([
      ['j', 'r', 'st', 'john'], ['j', 'r', 'st', 'john', 'of', 'ames'], ['j', 'r', 'st', 'john', 'in', 'ames'],
      ['j', 'r', 'a', 'st', 'john'], ['j', 'r', 'a', 'st', 'john', 'of', 'ames'], ['j', 'r', 'a', 'st', 'john', 'in', 'ames'],
      ['a', 'st', 'john'], ['a', 'st', 'john', 'of', 'ames'], ['a', 'st', 'john', 'in', 'ames'],
    ]);
    expect(citySlug('St. Ansgar')).to.equal('st-ansgar');
  });

  it('gives a voter with a suffix the phrases with it said ("smith junior", "smith the third")', () => {
    expect(voterPhrases({ first: 'john', middle: '', last: 'smith', suffix: 'JR.', city: 'ames' })).to.deep.equal([
      ['john', 'smith'], ['john', 'smith', 'of', 'ames'], ['john', 'smith', 'in', 'ames'],
      ['john', 'smith', 'junior'], ['john', 'smith', 'junior', 'of', 'ames'], ['john', 'smith', 'junior', 'in', 'ames'],
    ]);
    const third = voterPhrases({ first: 'ann', middle: 'lee', last: 'fox', suffix: 'iii', city: '' });
    expect(third.map((phrase) => phrase.join(' '))).to.deep.equal(['ann fox', 'ann fox the third', 'ann lee fox',
      'ann lee fox the third', 'lee fox', 'lee fox the third']);
    // No suffix, or one nobody says a known way: the phrases are the name's alone.
    for (const suffix of ['', 'esq']) {
      expect(voterPhrases({ first: 'ann', middle: '', last: 'fox', suffix, city: '' })).to.deep.equal([['ann', 'fox']]);
    }
  });

  it('gives a voter the first name\'s short forms with the surname ("jim smith" for James Smith), when asked', () => {
    const james = { first: 'james', middle: 'lee', last: 'smith', city: 'ames', firstShortForms: ['jim', 'jimmy'] };
    expect(voterPhrases(james).map((phrase) => phrase.join(' '))).to.not.include('jim smith');
    const phrases = voterPhrases(james, { shortForms: true }).map((phrase) => phrase.join(' '));
    expect(phrases).to.include.members(['jim smith', 'jim smith of ames', 'jimmy smith in ames', 'james lee smith of ames']);
    // A short form stands for the first name only: not with the middle name, and no "jim lee smith".
    expect(phrases).to.not.include('jim lee smith');
    expect(phrases).to.have.length(3 * 5);
  });

  it('decodes a nickname said for the first name from flite speech (the grammar had only the roll\'s name)', async () => {
    const lexicon = chainLexicons(await loadCmudict(), await new EspeakG2p().lexicon(['okonkwo']));
    const { grammars } = await buildCityNameGrammars({ voters: [
      { first: 'william', middle: '', last: 'okonkwo', city: 'ames', firstShortForms: ['bill', 'billy', 'will'] },
      { first: 'mary', middle: '', last: 'jones', city: 'ames' }], generation: 'gen3', outDir: dir, lexicon,
    shortForms: true });
    const recognizer = await PocketsphinxRecognizer.create({ poolSize: 1 });
    try {
      for (const grammar of grammars) recognizer.addGrammar(grammar);
      const speech = concat(silence(500), await telephoneSpeech('bill okonkwo of ames', 'flite-kal', dir), silence(900));
      const result = await recognize(recognizer, speech, { context: 'name', grammarKey: 'gen3/city:ames+short' });
      expect(result.hypotheses[0]?.text).to.equal('bill okonkwo of ames');
    } finally {
      await recognizer.close();
    }
  });

  it('decodes a suffix said after the name from flite speech (the grammar had no path for it)', async () => {
    const suffixed = [
      { first: 'mary', middle: '', last: 'smith', suffix: 'jr', city: 'ames' },
      { first: 'mary', middle: '', last: 'smith', suffix: '', city: 'boone' },
      { first: 'xiomara', middle: '', last: 'okonkwo', suffix: 'iii', city: 'ames' },
    ];
    const lexicon = chainLexicons(await loadCmudict(), await new EspeakG2p().lexicon(['xiomara', 'okonkwo']));
    const { grammars } = await buildCityNameGrammars({ voters: suffixed, generation: 'gen2', outDir: dir, lexicon });
    const recognizer = await PocketsphinxRecognizer.create({ poolSize: 1 });
    try {
      for (const grammar of grammars) recognizer.addGrammar(grammar);
      for (const text of ['mary smith junior of ames', 'xiomara okonkwo the third of ames']) {
        const speech = concat(silence(500), await telephoneSpeech(text, 'flite-kal', dir), silence(900));
        const result = await recognize(recognizer, speech, { context: 'name', grammarKey: 'gen2/city:ames' });
        expect(result.hypotheses[0]?.text, text).to.equal(text);
      }
    } finally {
      await recognizer.close();
    }
  });

  it('writes per-city FSGs with G2P pronunciations that pocketsphinx decodes: a real voter from flite speech', async () => {
    const lexicon = chainLexicons(await loadCmudict(), await new EspeakG2p().lexicon(voters.flatMap((voter) =>
      [voter.first, voter.middle, voter.last, ...voter.city.split(' ')])));
    const { grammars, unpronounceable } = await buildCityNameGrammars({ voters, generation: 'gen1', outDir: dir, lexicon });
    expect(unpronounceable).to.deep.equal([]);
    expect(grammars.map((grammar) => grammar.grammarKey).sort()).to.deep.equal(['gen1/city:ames', 'gen1/city:des-moines']);
    const ames = grammars.find((grammar) => grammar.grammarKey === 'gen1/city:ames');
    expect(await readFile(ames?.source ?? '', 'utf8')).to.match(/^FSG_BEGIN names_ames\n/);
    expect(ames?.pronunciations.get('okonkwo')?.[0]?.length).to.be.greaterThan(3);
    const recognizer = await PocketsphinxRecognizer.create({ poolSize: 1 });
    try {
      for (const grammar of grammars) recognizer.addGrammar(grammar);
      const speech = concat(silence(500), await telephoneSpeech('mary jones of ames', 'flite-kal', dir), silence(900));
      const result = await recognize(recognizer, speech, { context: 'name', grammarKey: 'gen1/city:ames' });
      // Known gap (see report): pocketsphinx's N-best also yields a partial path ("mary jones of") that the
      // grammar does not accept, sometimes first. The real voter must be in the N-best, and no hypothesis
      // may name anyone but a real voter.
      const texts = result.hypotheses.map((hypothesis) => hypothesis.text);
      expect(texts).to.include('mary jones of ames');
      for (const text of texts) expect(text.startsWith('mary jones'), text).to.equal(true);
    } finally {
      await recognizer.close();
    }
  });
});
