// The town said on its own (context 'city'): its grammar's phrases, a reading's town, and the likely towns of an
// answer's N-best; and how the towns' readings of the name said after it are weighed.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grammarAcceptor } from '../../../src/speech/grammar/grammar-acceptor.js';
import { loadCmudict } from '../../../src/speech/lexicon/cmudict.js';
import { buildCityAnswerGrammar, likelyTowns, townOfAnswer, townPronunciations } from '../../../src/speech/names/city-answer.js';
import { surnameRanges } from '../../../src/speech/names/city-grammar-cache.js';
import { NameRoll } from '../../../src/speech/names/name-roll.js';
import { buildTownFinderGrammar } from '../../../src/speech/names/town-finder-grammar.js';
import { mixTownReadings, townReadings, withShortForms } from '../../../src/speech/names/within-town-stream.js';
import type { Recognition } from '../../../src/speech/recognizer.js';

const reading = (text: string, confidence: number): { text: string; confidence: number; phones: string[] } =>
  ({ text, confidence, phones: [] });

describe('speech/names: the town said on its own', () => {
  it('reads the town of an answer, with or without "in" / "of"', () => {
    expect(townOfAnswer('des moines')).to.equal('des-moines');
    expect(townOfAnswer('in des moines')).to.equal('des-moines');
    expect(townOfAnswer('in des-moines')).to.equal('des-moines');
    expect(townOfAnswer('of Ames')).to.equal('ames');
    expect(townOfAnswer('in')).to.equal(null);
    expect(townOfAnswer('')).to.equal(null);
    expect(townOfAnswer('ph_m ames')).to.equal(null);
  });

  it('pools an answer\'s readings by town, likeliest first, within the limits, roll towns only', () => {
    const slugs = new Set(['ames', 'boone', 'des-moines']);
    const towns = likelyTowns([reading('ames', 0.4), reading('boone', 0.35), reading('in ames', 0.2),
      reading('paris', 0.5), reading('des moines', 0.05)], slugs, 3, 0.1);
    expect(towns.map((town) => town.slug)).to.deep.equal(['ames', 'boone']);
    expect(towns[0]?.share).to.be.closeTo(0.6 / 1.0, 1e-9);
    expect(towns[1]?.share).to.be.closeTo(0.35, 1e-9);
    expect(likelyTowns([reading('ames', 0.5), reading('boone', 0.5)], slugs, 1, 0).map((town) => town.slug))
      .to.deep.equal(['ames']);
    expect(likelyTowns([reading('paris', 1)], slugs, 3, 0.1)).to.deep.equal([]);
  });

  it('builds one grammar whose words are the roll\'s towns, each alone or after "in" / "of", whatever the voters',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'city-answer-'));
      try {
        const roll = new NameRoll('gen3', [
          { first: 'mary', middle: '', last: 'jones', city: 'Des Moines' },
          { first: 'linda', middle: '', last: 'smith', city: 'Ames' },
          { first: 'ann', middle: '', last: 'lee', city: 'Ames' },
          { first: 'ann', middle: '', last: 'lee', city: 'Qzxv' },
        ]);
        const grammar = await buildCityAnswerGrammar(roll, await loadCmudict(), dir);
        expect(grammar.context).to.equal('city');
        expect(grammar.grammarKey).to.equal('gen3/towns');
        expect(grammar.words).to.deep.equal(['ames', 'des-moines', 'in', 'of']);
        expect(grammar.pronunciations.get('des-moines')?.map((saying) => saying.join(' ')))
          .to.include.members(['D IH M OY N', 'D EH S M OY N Z']);
        const accepts = grammarAcceptor(grammar);
        for (const phrase of ['ames', 'in ames', 'of des-moines', 'des-moines']) {
          expect(accepts(phrase), phrase).to.equal(true);
        }
        for (const phrase of ['des moines', 'in', 'ames ames', 'mary jones of ames', 'qzxv']) {
          expect(accepts(phrase), phrase).to.equal(false);
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

  it('says a town as the dictionary says the whole name, then as its words say it, each once', async () => {
    const lexicon = await loadCmudict();
    const said = (slug: string): string[] => townPronunciations(slug, lexicon).map((saying) => saying.join(' '));
    expect(said('des-moines').slice(0, 2)).to.deep.equal(['D EH M OY N', 'D IH M OY N']);
    expect(said('des-moines')).to.include('D IH M OY N Z');
    expect(said('ames')).to.deep.equal(lexicon.pronunciations('ames').map((saying) => saying.join(' ')));
    expect(new Set(said('des-moines')).size).to.equal(said('des-moines').length);
    expect(said('west-des-moines-saint-charles-new-london').length).to.be.at.most(8);
    expect(said('qzxv-city')).to.deep.equal([]);
  });

  it('says each town\'s readings of the name in full there, weighted by the town\'s share', () => {
    const mixed = mixTownReadings([
      { slug: 'ames', share: 0.7, readings: [reading('mary jones', 0.5), reading('mary jones of', 0.3)] },
      { slug: 'des-moines', share: 0.3, readings: [reading('linda smith in des moines', 1)] },
    ]);
    expect(mixed.map((hypothesis) => hypothesis.text)).to.deep.equal(['mary jones of ames',
      'linda smith of des moines']);
    expect(mixed[0]?.confidence).to.be.closeTo(0.7 * 0.8, 1e-9);
    expect(mixed[1]?.confidence).to.be.closeTo(0.3, 1e-9);
  });
});

describe('speech/names: a large town cut into surname ranges', () => {
  const voter = (last: string): { first: string; middle: string; last: string; city: string } =>
    ({ first: 'ann', middle: '', last, city: 'ames' });

  it('cuts only between surnames, alphabetically, each range within the limit unless one surname exceeds it', () => {
    const voters = ['smith', 'adams', 'smith', 'brown', 'adams', 'lee', 'smith', 'smith', 'cole'].map(voter);
    const ranges = surnameRanges(voters, 3);
    expect(ranges.map((range) => range.map((one) => one.last))).to.deep.equal([
      ['adams', 'adams', 'brown'], ['cole', 'lee'], ['smith', 'smith', 'smith', 'smith']]);
    expect(ranges.flat()).to.have.length(voters.length);
    expect(surnameRanges(voters, 100)).to.have.length(1);
  });
});

describe('speech/names: what a name said after its town is heard as', () => {
  const recognition = (...texts: string[]): Recognition => ({ end: 'end-of-speech', speechMs: 600, latencyMs: 1,
    hypotheses: texts.map((text, index) => ({ text, confidence: 0.9 - index * 0.1, phones: [],
      acoustic: { score: -1000 * (index + 1), frames: 60, speechFrames: 50 } })) });

  it('takes a large town\'s best-fitting range, and the free slots only when no voter path ended', () => {
    const ranges = townReadings([
      { slug: 'ames', share: 1, recognition: { ...recognition('ann lee'), hypotheses: [{ text: 'ann lee',
        confidence: 0.9, phones: [], acoustic: { score: -5000, frames: 60, speechFrames: 50 } }] } },
      { slug: 'ames', share: 1, recognition: { ...recognition('mary smith'), hypotheses: [{ text: 'mary smith',
        confidence: 0.8, phones: [], acoustic: { score: -4000, frames: 60, speechFrames: 50 } }] } },
      { slug: 'ames', share: 1, finder: true, recognition: recognition('mary smithe') },
    ]);
    expect(ranges.map((reading) => reading.text)).to.deep.equal(['mary smith of ames']);
    const none = townReadings([
      { slug: 'ames', share: 1, recognition: { ...recognition(), hypotheses: [] } },
      { slug: 'ames', share: 1, finder: true, recognition: recognition('mary smithe', 'marie smith') },
    ]);
    expect(none.map((reading) => reading.text)).to.deep.equal(['mary smithe of ames']);
    expect(townReadings([{ slug: 'ames', share: 1, recognition: { ...recognition(), hypotheses: [] } }]))
      .to.deep.equal([]);
  });

  it('reads a town\'s short-form pass in place of its roll pass only when the roll readings are unsure', () => {
    const said = (text: string, confidence: number): Recognition => ({ end: 'end-of-speech', speechMs: 600,
      latencyMs: 1, hypotheses: [{ text, confidence, phones: [] }] });
    const heard = (rollConfidence: number, shortConfidence: number) => [
      { slug: 'ames', share: 0.8, recognition: said('robert lindqvist', rollConfidence) },
      { slug: 'ames', share: 0.8, shortForms: true, recognition: said('bob lindqvist', shortConfidence) },
      { slug: 'boone', share: 0.2, recognition: said('linda smith', 0.9) },
    ];
    const texts = (readings: ReturnType<typeof withShortForms>): string[] => readings.map((one) => one.text);
    // Unsure (0.8 x 0.5 = 0.4 below 0.9): the short-form pass is surer, so it speaks for ames; boone stays.
    expect(texts(withShortForms(heard(0.5, 0.9), 0.9))).to.deep.equal(['bob lindqvist of ames', 'linda smith of boone']);
    // Not surer: the roll readings stand.
    expect(texts(withShortForms(heard(0.5, 0.4), 0.9))).to.deep.equal(['robert lindqvist of ames',
      'linda smith of boone']);
    // Sure enough, or the second try off: the short-form pass is not read at all.
    expect(texts(withShortForms(heard(1, 1), 0.7))).to.deep.equal(['robert lindqvist of ames', 'linda smith of boone']);
    expect(texts(withShortForms(heard(0.5, 0.9), null))).to.deep.equal(['robert lindqvist of ames',
      'linda smith of boone']);
  });

  it('builds the town finder of the town\'s sayable name words, no town after them', async () => {
    const lexicon = await loadCmudict();
    const finder = buildTownFinderGrammar([{ first: 'Mary', middle: 'Ann', last: 'Smith-Jones', city: 'Ames' },
      { first: 'Qzxv', middle: '', last: 'Lee', city: 'Ames' }], lexicon, 'gen4', 'ames');
    expect(finder?.grammarKey).to.equal('gen4/town-finder:ames');
    expect(finder?.words).to.deep.equal(['ann', 'jones', 'lee', 'mary', 'smith']);
    const accepts = finder === null ? (): boolean => false : grammarAcceptor(finder);
    for (const said of ['mary smith', 'ann mary jones', 'mary lee']) expect(accepts(said), said).to.equal(true);
    for (const said of ['mary', 'mary smith of ames', 'smith mary']) expect(accepts(said), said).to.equal(false);
    expect(buildTownFinderGrammar([{ first: 'Qzxv', middle: '', last: 'Wqx', city: 'Ames' }], lexicon, 'g', 'ames'))
      .to.equal(null);
  });
});
