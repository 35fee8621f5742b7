// The name path's fit check (reading-fit.ts): one-path grammars, the gap per 10 ms of speech and the
// decision it makes, and, on real pocketsphinx with synthesized telephone speech, that the reading said
// fits far better than another voter's, and that the alignment grammar is forgotten after use.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCmudict } from '../../../src/speech/lexicon/cmudict.js';
import {
  alignReading, finderWeightAfterFit, fitGapMinDefault, fitGapPerFrame, oneReadingGrammar,
} from '../../../src/speech/names/reading-fit.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { UnknownGrammarError } from '../../../src/speech/recognizer.js';
import { listenDefaults } from '../support/recognize.js';
import { concat, silence, telephoneSpeech } from '../support/telephone-tts.js';

/** 20 ms frames of 8 kHz audio, as the name path keeps them. */
function frames(pcm: Int16Array): Int16Array[] {
  const out: Int16Array[] = [];
  for (let at = 0; at < pcm.length; at += 160) out.push(pcm.slice(at, at + 160));
  return out;
}

const sayings = new Map<string, string[][]>([
  ['mary', [['M', 'EH', 'R', 'IY']]], ['jones', [['JH', 'OW', 'N', 'Z']]], ['of', [['AH', 'V']]],
  ['ames', [['EY', 'M', 'Z']]],
]);

describe('speech/names: how well pass 2\'s voter fits the audio (reading-fit)', function () {
  this.timeout(120_000);

  it('builds a one-path grammar of exactly the reading, and none when a word cannot be said', () => {
    const grammar = oneReadingGrammar('gen1/fit:1', 'mary  jones of ames', sayings);
    expect(grammar?.format).to.equal('jsgf');
    expect(grammar?.source).to.contain('public <reading> = mary jones of ames;');
    expect(grammar?.words).to.deep.equal(['ames', 'jones', 'mary', 'of']);
    expect(grammar?.wideWordBeam).to.equal(true);
    expect(oneReadingGrammar('gen1/fit:2', 'mary zzyzx of ames', sayings)).to.equal(null);
    expect(oneReadingGrammar('gen1/fit:3', '  ', sayings)).to.equal(null);
  });

  it('gives the gap per 10 ms of speech, null without both scores, and leaves the finder out only past the minimum', () => {
    expect(fitGapPerFrame({ score: -5000, speechMs: 2000, grammarKey: 'a' }, { score: -4000, speechMs: 2000, grammarKey: 'b' })).to.equal(-5);
    expect(fitGapPerFrame({ score: null, speechMs: 2000, grammarKey: 'a' }, { score: -4000, speechMs: 2000, grammarKey: 'b' })).to.equal(null);
    expect(fitGapPerFrame({ score: -1, speechMs: 0, grammarKey: 'a' }, { score: -1, speechMs: 0, grammarKey: 'b' })).to.equal(null);
    expect(fitGapPerFrame(null, { score: -1, speechMs: 100, grammarKey: 'b' })).to.equal(null);
    expect(finderWeightAfterFit(-2, fitGapMinDefault, 0.3)).to.equal(0);
    expect(finderWeightAfterFit(fitGapMinDefault, fitGapMinDefault, 0.3)).to.equal(0);
    expect(finderWeightAfterFit(-9, fitGapMinDefault, 0.3)).to.equal(0.3);
    expect(finderWeightAfterFit(null, fitGapMinDefault, 0.3)).to.equal(0.3);
    expect(finderWeightAfterFit(0, null, 0.3)).to.equal(0.3);
  });

  it('on real pocketsphinx, the reading said fits the audio far better than another voter\'s', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reading-fit-'));
    const recognizer = await PocketsphinxRecognizer.create({ poolSize: 2 });
    try {
      const dictionary = await loadCmudict();
      const words = ['mary', 'jones', 'of', 'ames', 'robert', 'miller', 'boone'];
      const pronunciations = new Map(words.map((word) => [word, dictionary.pronunciations(word)] as const));
      const audio = frames(concat(silence(300), await telephoneSpeech('mary jones of ames', 'flite-kal', dir),
        silence(200)));
      const options = { context: 'name' as const, ...listenDefaults, nBest: 1 };
      const [said, other] = await Promise.all(['mary jones of ames', 'robert miller of boone'].map(async (text) =>
        alignReading(recognizer, audio, text, options, 'gen1', pronunciations)));
      expect(said?.score, 'the reading said aligns').to.be.a('number');
      expect(said?.speechMs).to.be.above(500);
      const gap = fitGapPerFrame(other ?? null, said ?? null);
      expect(gap, 'another voter\'s name fits far worse than the one said').to.be.a('number').below(fitGapMinDefault);
      expect(fitGapPerFrame(said ?? null, other ?? null)).to.be.above(0);
      // Forgotten after use: a stream with an alignment key is refused.
      for (const fit of [said, other]) {
        expect(() => recognizer.start({ ...options, grammarKey: fit?.grammarKey ?? '' })).to.throw(UnknownGrammarError);
      }
    } finally {
      await recognizer.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
