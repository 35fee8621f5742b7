// The phone-loop confidence (phone-loop.ts, phone-loop-confidence.ts, pocketsphinx's path-acoustic.ts): the
// loop grammar, the gap per frame, what it decides, the switch's text form; and on real pocketsphinx with
// synthesized telephone speech, that the loop decodes to phones with an acoustic score, that the words said fit
// far closer to it than another voter's words, and that the best reading carries its acoustics.
import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arpabetPhones } from '../../../src/speech/lexicon/lexicon.js';
import { loadCmudict } from '../../../src/speech/lexicon/cmudict.js';
import {
  acousticGapPerFrame, decideByPhoneLoop, parsePhoneLoopSettings, phoneLoopMeasured, rivalCity, rivalGapMarginMin,
} from '../../../src/speech/names/phone-loop-confidence.js';
import { FollowingPass } from '../../../src/speech/names/following-passes.js';
import { buildPhoneLoopGrammar, phoneLoopFsg } from '../../../src/speech/names/phone-loop.js';
import { oneReadingGrammar } from '../../../src/speech/names/reading-fit.js';
import { parseYesNo } from '../../../src/speech/parse/yes-no.js';
import { pathAcoustic } from '../../../src/speech/pocketsphinx/path-acoustic.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import type { PathAcoustic, Recognition, RecognitionStream } from '../../../src/speech/recognizer.js';
import { recognize } from '../support/recognize.js';
import { concat, silence, telephoneSpeech } from '../support/telephone-tts.js';

const acoustic = (score: number, frames: number, speechFrames = frames): PathAcoustic =>
  ({ score, frames, speechFrames });

describe('speech/names: the phone-loop confidence', function () {
  this.timeout(120_000);

  it('writes a loop of every phone at probability 1, from the start state and again from the final one', async () => {
    const text = phoneLoopFsg(['AA', 'B']);
    expect(text.split('\n')).to.deep.equal(['FSG_BEGIN phone_loop', 'NUM_STATES 2', 'START_STATE 0', 'FINAL_STATE 1',
      'TRANSITION 0 1 1.0 ph_aa', 'TRANSITION 0 1 1.0 ph_b', 'TRANSITION 1 1 1.0 ph_aa', 'TRANSITION 1 1 1.0 ph_b',
      'FSG_END', '']);
    const dir = await mkdtemp(join(tmpdir(), 'phone-loop-'));
    try {
      const grammar = await buildPhoneLoopGrammar(dir, 'gen3');
      expect(grammar.grammarKey).to.equal('gen3/phone-loop');
      expect(grammar.format).to.equal('fsg');
      expect(grammar.words).to.have.length(arpabetPhones.length);
      expect(grammar.pronunciations.get('ph_zh')).to.deep.equal([['ZH']]);
      expect((await readFile(grammar.source, 'utf8')).match(/^TRANSITION/gm)).to.have.length(2 * arpabetPhones.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('sums a path\'s acoustic scores and counts its word frames, fillers and null transitions left out', () => {
    const path = pathAcoustic([
      { word: '<sil>', startFrame: 400, endFrame: 419, acoustic: -300 },
      { word: 'mary', startFrame: 420, endFrame: 449, acoustic: -1500 },
      { word: '(NULL)', startFrame: 449, endFrame: 449, acoustic: 0 },
      { word: 'jones', startFrame: 450, endFrame: 489, acoustic: -2000 },
      { word: '+NSN+', startFrame: 490, endFrame: 499, acoustic: -100 },
    ]);
    expect(path).to.deep.equal({ score: -3900, frames: 100, speechFrames: 70 });
    expect(pathAcoustic([])).to.equal(null);
  });

  it('gives the gap per frame (all frames, or the candidate\'s word frames), null without both paths', () => {
    expect(acousticGapPerFrame(acoustic(-9000, 300, 200), acoustic(-12000, 300))).to.equal(10);
    expect(acousticGapPerFrame(acoustic(-9000, 300, 200), acoustic(-12000, 300), 'speech')).to.equal(15);
    expect(acousticGapPerFrame(acoustic(-9000, 250), acoustic(-12000, 300))).to.equal(10);
    expect(acousticGapPerFrame(undefined, acoustic(-1, 10))).to.equal(null);
    expect(acousticGapPerFrame(acoustic(-1, 10), undefined)).to.equal(null);
    expect(acousticGapPerFrame(acoustic(0, 0), acoustic(0, 0))).to.equal(null);
  });

  it('accepts the best city\'s voter past the accept gap, rejects below the reject gap, else leaves it to the mixture', () => {
    const settings = { acceptGapMin: 13, rejectGapMax: 8 };
    const gap = (city: string, gapPerFrame: number | null) => ({ city, text: `x of ${city}`, gapPerFrame,
      gapPerSpeechFrame: gapPerFrame });
    expect(decideByPhoneLoop([gap('ames', 9), gap('boone', 15)], settings))
      .to.deep.equal({ kind: 'accept', city: 'boone', gapPerFrame: 15 });
    expect(decideByPhoneLoop([gap('ames', 7.9), gap('boone', null)], settings))
      .to.deep.equal({ kind: 'reject', gapPerFrame: 7.9 });
    expect(decideByPhoneLoop([gap('ames', 8)], settings)).to.deep.equal({ kind: 'undecided' });
    expect(decideByPhoneLoop([gap('ames', null)], settings)).to.deep.equal({ kind: 'undecided' });
    expect(decideByPhoneLoop([], settings)).to.deep.equal({ kind: 'undecided' });
    expect(decideByPhoneLoop([gap('ames', 30)], null)).to.deep.equal({ kind: 'undecided' });
    expect(decideByPhoneLoop([gap('ames', 30)], { acceptGapMin: null, rejectGapMax: null }))
      .to.deep.equal({ kind: 'undecided' });
    // The rival city (the fallback finder's) must lead pass 1's cities by the margin.
    const small = rivalGapMarginMin / 2;
    expect(decideByPhoneLoop([gap('ames', 14), gap('boone', 14 + small)], settings, 'boone'))
      .to.deep.equal({ kind: 'accept', city: 'ames', gapPerFrame: 14 });
    expect(decideByPhoneLoop([gap('ames', 14), gap('boone', 14 + rivalGapMarginMin)], settings, 'boone'))
      .to.deep.equal({ kind: 'accept', city: 'boone', gapPerFrame: 14 + rivalGapMarginMin });
    expect(decideByPhoneLoop([gap('ames', 2), gap('boone', 4)], settings, 'boone'))
      .to.deep.equal({ kind: 'reject', gapPerFrame: 2 });
    // A rival leading by the margin but not accepted is dropped: pass 1's poor voter is then rejected.
    expect(decideByPhoneLoop([gap('ames', 2), gap('boone', 11)], settings, 'boone'))
      .to.deep.equal({ kind: 'reject', gapPerFrame: 2 });
    expect(decideByPhoneLoop([gap('ames', 9), gap('boone', 12)], settings, 'boone'))
      .to.deep.equal({ kind: 'undecided' });
    expect(decideByPhoneLoop([gap('ames', null), gap('boone', 20)], settings, 'boone'))
      .to.deep.equal({ kind: 'accept', city: 'boone', gapPerFrame: 20 });
  });

  it('takes the fallback finder\'s city as a rival only when it is another city and answers within the wait', async () => {
    // A stand-in stream for the pure decision (the real finder is in phone-loop-in-path.test.ts).
    const finder = (result: Promise<Recognition>): FollowingPass => new FollowingPass({
      write: () => undefined, end: () => undefined, cancel: () => undefined, onSpeechStart: () => undefined,
      result } satisfies RecognitionStream, []);
    const answer = (text: string): Promise<Recognition> => Promise.resolve({ end: 'end-of-speech', speechMs: 900,
      latencyMs: 5, hypotheses: [{ text, confidence: 0.5, phones: [] }] });
    const slugs = new Set(['ames', 'boone']);
    expect(await rivalCity(finder(answer('linda smith of boone')), slugs, [{ slug: 'ames' }])).to.equal('boone');
    expect(await rivalCity(finder(answer('mary jones of ames')), slugs, [{ slug: 'ames' }])).to.equal(null);
    expect(await rivalCity(finder(answer('mary jones')), slugs, [{ slug: 'ames' }])).to.equal(null);
    expect(await rivalCity(null, slugs, [{ slug: 'ames' }])).to.equal(null);
    const started = performance.now();
    expect(await rivalCity(finder(new Promise(() => undefined)), slugs, [{ slug: 'ames' }], 30)).to.equal(null);
    expect(performance.now() - started, 'gave up after the wait').to.be.below(1000);
  });

  it('reads the switch: "on", "measure", "accept:reject" with either side empty, and says what is wrong otherwise', () => {
    expect(parsePhoneLoopSettings('measure')).to.deep.equal({ acceptGapMin: null, rejectGapMax: null });
    expect(parsePhoneLoopSettings('on')).to.deep.equal(phoneLoopMeasured);
    expect(parsePhoneLoopSettings('13:8')).to.deep.equal({ acceptGapMin: 13, rejectGapMax: 8 });
    expect(parsePhoneLoopSettings(' -2:')).to.deep.equal({ acceptGapMin: -2, rejectGapMax: null });
    expect(parsePhoneLoopSettings(':8')).to.deep.equal({ acceptGapMin: null, rejectGapMax: 8 });
    expect(() => parsePhoneLoopSettings('13')).to.throw(RangeError, /accept:reject/);
    expect(() => parsePhoneLoopSettings('a:8')).to.throw(RangeError, /"a" is not a number/);
    expect(() => parsePhoneLoopSettings('5:8')).to.throw(RangeError, /above the accept gap/);
  });

  it('on real pocketsphinx, the words said fit far closer to the phone loop than another voter\'s', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'phone-loop-real-'));
    const recognizer = await PocketsphinxRecognizer.create({ poolSize: 3 });
    try {
      const loop = await buildPhoneLoopGrammar(dir, 'gen1');
      recognizer.addGrammar(loop);
      const dictionary = await loadCmudict();
      const words = ['mary', 'jones', 'of', 'ames', 'robert', 'miller', 'boone'];
      const pronunciations = new Map(words.map((word) => [word, dictionary.pronunciations(word)] as const));
      const readings = ['mary jones of ames', 'robert miller of boone'].map((text, index) =>
        oneReadingGrammar(`gen1/reading:${index}`, text, pronunciations));
      for (const grammar of readings) if (grammar !== null) recognizer.addGrammar(grammar);
      const audio = concat(silence(300), await telephoneSpeech('mary jones of ames', 'flite-kal', dir), silence(900));
      const [loopHeard, said, other] = await Promise.all([loop, ...readings].map(async (grammar) =>
        recognize(recognizer, audio,
        { context: 'name', grammarKey: grammar?.grammarKey ?? '', nBest: 1, pathAcoustics: true })));
      const loopBest = loopHeard?.hypotheses[0];
      expect(loopBest?.text.split(' ').every((word) => word.startsWith('ph_')), loopBest?.text).to.equal(true);
      expect(loopBest?.text.split(' ').length, 'a phone per word').to.be.above(8);
      expect(loopBest?.acoustic?.score).to.be.below(0);
      expect(said?.hypotheses[0]?.text).to.equal('mary jones of ames');
      expect(said?.hypotheses[0]?.acoustic?.speechFrames).to.be.above(50);
      const saidGap = acousticGapPerFrame(said?.hypotheses[0]?.acoustic, loopBest?.acoustic);
      const otherGap = acousticGapPerFrame(other?.hypotheses[0]?.acoustic, loopBest?.acoustic);
      expect(saidGap, 'the words said are measured').to.be.a('number');
      expect(otherGap, 'another voter\'s words are measured').to.be.a('number');
      expect((saidGap as number) - (otherGap as number), `said ${saidGap}, other ${otherGap}`).to.be.above(5);
    } finally {
      await recognizer.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('on real pocketsphinx, the best reading of an N-best decode asking for them carries its acoustics, the others none; '
    + 'a decode not asking reads none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'phone-loop-nbest-'));
    const recognizer = await PocketsphinxRecognizer.create({ poolSize: 1 });
    try {
      const audio = concat(silence(300), await telephoneSpeech('yes', 'flite-kal', dir), silence(900));
      const heard = await recognize(recognizer, audio, { context: 'yesno', nBest: 5, pathAcoustics: true });
      // The decoder's best path carries them; it need not head the list, whose order is the lattice's N-best
      // posterior (flite kal's "yes" here: best path "yep", N-best first "yes").
      const carrying = heard.hypotheses.filter((reading) => reading.acoustic !== undefined);
      expect(new Set(carrying.map((reading) => reading.text)).size, JSON.stringify(heard.hypotheses)).to.equal(1);
      const best = carrying[0];
      expect(parseYesNo(best?.text ?? '')).to.equal('yes');
      expect(best?.acoustic?.score).to.be.below(0);
      expect(best?.acoustic?.frames).to.be.above(best?.acoustic?.speechFrames ?? Infinity);
      for (const other of heard.hypotheses.slice(1)) {
        if (other.text !== best?.text) expect(other.acoustic, other.text).to.equal(undefined);
      }
      const unasked = await recognize(recognizer, audio, { context: 'yesno', nBest: 5 });
      // (The same decoder heard it before: its carried channel estimate may change the words, not this.)
      expect(unasked.hypotheses.length, 'something was heard').to.be.above(0);
      expect(unasked.hypotheses.filter((reading) => reading.acoustic !== undefined)).to.deep.equal([]);
    } finally {
      await recognizer.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
