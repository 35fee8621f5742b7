// Later name passes that follow the caller live, on real pocketsphinx with synthesized telephone speech:
// a pass fed the frames as they come gives exactly the result of the same pass run over the kept audio
// after the end (each on a fresh decoder, so no decoder carries another utterance's cepstral mean), and
// the two-pass recognizer, fed in real time, takes its pass 2 from a pass that followed live and still
// hears the right voter.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RollName } from '../../../src/speech/grammar/name-grammar.js';
import { loadCmudict } from '../../../src/speech/lexicon/cmudict.js';
import { decodeAgain, followingLimits, FollowingPass } from '../../../src/speech/names/following-passes.js';
import { NameGeneration } from '../../../src/speech/names/name-generation.js';
import { NameRoll } from '../../../src/speech/names/name-roll.js';
import {
  TwoPassNameRecognizer, type NamePassTimings,
} from '../../../src/speech/names/two-pass-name-recognizer.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import type { RecognizeOptions } from '../../../src/speech/recognizer.js';
import { concat, silence, telephoneSpeech } from '../support/telephone-tts.js';

const voters: RollName[] = [
  { first: 'mary', middle: '', last: 'jones', city: 'ames' },
  { first: 'mary', middle: '', last: 'smith', city: 'ames' },
  { first: 'john', middle: 'paul', last: 'jones', city: 'ames' },
  { first: 'robert', middle: '', last: 'miller', city: 'boone' },
  { first: 'linda', middle: '', last: 'jones', city: 'boone' },
  { first: 'david', middle: '', last: 'brown', city: 'des moines' },
];

function frames(samples: Int16Array): Int16Array[] {
  const out: Int16Array[] = [];
  for (let offset = 0; offset < samples.length; offset += 160) out.push(samples.slice(offset, offset + 160));
  return out;
}

describe('speech/names: passes following the caller live (real pocketsphinx)', function () {
  this.timeout(180_000);
  let dir = '';
  let generation: NameGeneration;
  let said: Int16Array;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'following-passes-'));
    generation = await NameGeneration.prepare(new NameRoll('gen1', voters), await loadCmudict());
    said = concat(silence(400), await telephoneSpeech('mary jones of ames', 'flite-kal', dir), silence(900));
  });
  after(async () => {
    await generation.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('a pass fed live from mid-utterance gives the same result as the pass run after the end', async () => {
    const built = await generation.cities.cityGrammar('ames');
    if (built === null) throw new Error('ames has voters');
    const options: RecognizeOptions = { context: 'name', grammarKey: built.grammar.grammarKey, nBest: 5,
      noSpeechTimeoutMs: 5000, maxSpeechMs: 10_000 };
    const after = await PocketsphinxRecognizer.create({ poolSize: 1 });
    const live = await PocketsphinxRecognizer.create({ poolSize: 1 });
    try {
      after.addGrammar(built.grammar);
      live.addGrammar(built.grammar);
      const audio = frames(said);
      const late = await decodeAgain(after, audio, options);
      // Opened once half the audio had come (as when the city shows in pass 1's partial reading), then fed
      // the rest frame by frame with the event loop turning in between, as RTP brings it.
      const half = Math.floor(audio.length / 2);
      const pass = new FollowingPass(live.start({ ...options, ...followingLimits(options) }), audio.slice(0, half));
      for (const frame of audio.slice(half)) {
        pass.write(frame);
        await sleep(1);
      }
      const early = await pass.finish();
      expect(late.hypotheses[0]?.text).to.equal('mary jones of ames');
      expect(early.end).to.equal(late.end);
      expect(early.speechMs).to.equal(late.speechMs);
      expect(early.hypotheses).to.deep.equal(late.hypotheses);
    } finally {
      await after.close();
      await live.close();
    }
  });

  it('in real time, pass 2 comes from a pass that followed the caller, and hears the voter', async () => {
    const base = await PocketsphinxRecognizer.create({ poolSize: 6 });
    const timings: NamePassTimings[] = [];
    const recognizer = new TwoPassNameRecognizer(base, () => Promise.resolve(generation), {},
      (timing) => timings.push(timing));
    try {
      const stream = recognizer.start({ context: 'name', nBest: 5, noSpeechTimeoutMs: 5000, maxSpeechMs: 10_000 });
      let settled = false;
      void stream.result.then(() => { settled = true; });
      const started = performance.now();
      const audio = frames(concat(said, silence(600)));
      for (const [index, frame] of audio.entries()) {
        if (settled) break;
        const wait = started + index * 20 - performance.now();
        if (wait > 0) await sleep(wait);
        stream.write(frame);
      }
      stream.end();
      const heard = await stream.result;
      expect(heard.end).to.equal('end-of-speech');
      expect(heard.hypotheses[0]?.text).to.equal('mary jones of ames');
      expect(timings).to.have.length(1);
      const [timing] = timings;
      expect(timing?.cities).to.be.at.least(1);
      expect(timing?.citiesFollowed, JSON.stringify(timing)).to.be.at.least(1);
    } finally {
      await recognizer.close();
    }
  });
});
