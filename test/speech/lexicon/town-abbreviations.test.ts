// Towns the roll spells abbreviated ("ft madison") are said in full by callers ("fort madison"): the grammars,
// the matcher and the corpus's TTS prompts say them so too.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegisteredVoter } from '../../../src/core/voter.js';
import { Prng } from '../../../src/roll/prng.js';
import { nameUtterance, townUtterance } from '../../../src/speech/corpus/utterances.js';
import { loadCmudict } from '../../../src/speech/lexicon/cmudict.js';
import { EspeakG2p } from '../../../src/speech/lexicon/g2p.js';
import { abbreviationLexicon, saidTown } from '../../../src/speech/lexicon/town-abbreviations.js';
import { matchName, NameIndex } from '../../../src/speech/matcher/index.js';
import { NameGeneration, rollLexicon } from '../../../src/speech/names/name-generation.js';
import { NameRoll } from '../../../src/speech/names/name-roll.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { recognize } from '../support/recognize.js';
import { concat, silence, telephoneSpeech } from '../support/telephone-tts.js';

const voters = [
  { first: 'mary', middle: '', last: 'jones', city: 'ft madison' },
  { first: 'linda', middle: '', last: 'smith', city: 'fort dodge' },
  { first: 'ann', middle: '', last: 'lee', city: 'mt pleasant' },
  { first: 'ruth', middle: '', last: 'olson', city: 'madrid' },
  { first: 'carl', middle: '', last: 'berg', city: 'marion' },
  { first: 'joan', middle: '', last: 'wise', city: 'ft atkinson' },
];

describe('speech/lexicon: town abbreviations said in full', function () {
  this.timeout(120_000);

  it('says ft, mt and st in full, and gives an abbreviation the long form\'s pronunciations', async () => {
    expect(saidTown('ft madison')).to.equal('fort madison');
    expect(saidTown('mt pleasant')).to.equal('mount pleasant');
    expect(saidTown('st lucas')).to.equal('saint lucas');
    expect(saidTown('des moines')).to.equal('des moines');
    expect(saidTown('constructor city')).to.equal('constructor city');
    const cmudict = await loadCmudict();
    expect(cmudict.pronunciations('ft')).to.deep.equal([]);
    const abbreviations = abbreviationLexicon(cmudict);
    expect(abbreviations.pronunciations('ft')).to.deep.equal(cmudict.pronunciations('fort'));
    expect(abbreviations.pronunciations('madison')).to.deep.equal([]);
    expect(abbreviations.pronunciations('constructor')).to.deep.equal([]);
  });

  it('the corpus\'s voices say a town as callers do, and expect it as the roll spells it', () => {
    const voter: RegisteredVoter = { id: '9001', name: { first: 'mary', middle: '', last: 'jones', suffix: '' },
      city: 'ft madison', county: 'lee', phone: null, houseNumber: '1', street: 'main st', zip: '52627',
      district: '', precinct: '' };
    const prng = new Prng(3);
    for (let turn = 0; turn < 10; turn += 1) {
      const name = nameUtterance(voter, prng);
      expect(name.text).to.match(/^mary jones (of|in) fort madison$/);
      expect(name.town).to.equal('fort madison');
      const town = townUtterance(voter, prng);
      expect(town.text).to.match(/^(in )?fort madison$/);
      expect(town.expected).to.equal('ft madison');
    }
  });

  it('the roll\'s lexicon says "ft" as "fort", not as espeak-ng\'s letters', async () => {
    const cmudict = await loadCmudict();
    const lexicon = await rollLexicon(new NameRoll('gen5', voters), cmudict, new EspeakG2p());
    expect(lexicon.pronunciations('ft').map((phones) => phones.join(' '))).to.deep.equal(['F AO R T']);
  });

  it('the matcher finds a voter of "ft madison" said as "fort madison"', async () => {
    const index = NameIndex.build(voters.map((voter, at) => ({ ...voter, id: `${9001 + at}`, suffix: '',
      county: 'lee', zip: '52627', street: '' })), await loadCmudict());
    const match = matchName(index, [{ text: 'mary jones of fort madison', confidence: 0.9, phones: [] }]);
    expect(match.kind, JSON.stringify(match)).to.equal('one');
    expect(match.kind === 'one' ? match.voter.id : '').to.equal('9001');
  });

  // Before, "ft" was espeak-ng's "eh f t iy": every voice's "fort madison" was heard as a sure "fort dodge".
  it('a caller saying "fort madison" is heard as the roll\'s "ft madison" (the town alone, real pocketsphinx)',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'town-abbreviations-'));
      const generation = await NameGeneration.prepare(new NameRoll('gen5', voters), await loadCmudict());
      const recognizer = await PocketsphinxRecognizer.create({ poolSize: 1 });
      try {
        recognizer.addGrammar(generation.townAnswer);
        for (const voice of ['flite-kal', 'flite-slt', 'espeak-us'] as const) {
          const speech = concat(silence(400), await telephoneSpeech('fort madison', voice, dir), silence(900));
          const result = await recognize(recognizer, speech,
            { context: 'city', grammarKey: generation.townAnswer.grammarKey });
          expect(result.hypotheses[0]?.text, voice).to.equal('ft-madison');
        }
      } finally {
        await recognizer.close();
        await generation.dispose();
        await rm(dir, { recursive: true, force: true });
      }
    });
});
