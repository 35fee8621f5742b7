// A real decoder is handed a name utterance's whole hangover (vad-stream.ts; end-silence.ts says why), hears
// the name, and hears a pause between words that speech follows.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GrammarDefinition } from '../../../src/speech/grammar/grammar-definition.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import type { Recognition } from '../../../src/speech/recognizer.js';
import { smallNameGrammar } from '../support/name-grammar.js';
import { recognize } from '../support/recognize.js';
import { concat, mix, silence, telephoneSpeech, whiteNoise } from '../support/telephone-tts.js';

/** vad-stream.ts keeps this much audio from before the VAD's speech start. */
const preRollMsMax = 300;
const hangoverMs = 600;
const grammarKey = 'test/decoded-silence';

/** The synthesized words without the quiet the synthesizer puts around them (so a pause is what we insert). */
function withoutQuietEnds(samples: Int16Array): Int16Array {
  const loud = (value: number): boolean => Math.abs(value) > 300;
  const first = samples.findIndex(loud);
  let last = samples.length - 1;
  while (last > first && !loud(samples[last] ?? 0)) last -= 1;
  return first < 0 ? samples : samples.slice(first, last + 1);
}

/** A small name grammar (the roll's are built the same way: words with their pronunciations). */
async function nameGrammar(): Promise<GrammarDefinition> {
  return smallNameGrammar(grammarKey, ['mary smith of ames', 'john jones of boone', 'robert brown of ames',
    'linda davis of boone']);
}

describe('pocketsphinx: silence handed to the decoder', function () {
  this.timeout(120_000);
  let dir = '';
  let recognizer: PocketsphinxRecognizer;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'decoded-silence-'));
    recognizer = await PocketsphinxRecognizer.create({ poolSize: 2 });
    recognizer.addGrammar(await nameGrammar());
  });
  after(async () => {
    await recognizer.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** `line` under a faint hiss, heard with the 600 ms hangover: the result and the ms of audio the decoder got. */
  async function listen(line: Int16Array, context: 'name' | 'digits'):
    Promise<{ result: Recognition; decodedMs: number }> {
    const before = recognizer.audioSecondsDecoded;
    const result = await recognize(recognizer, mix(line, whiteNoise(line.length / 8, -60)),
      { context, endSilenceMs: hangoverMs, ...(context === 'name' ? { grammarKey } : {}) });
    return { result, decodedMs: (recognizer.audioSecondsDecoded - before) * 1000 };
  }

  it('decodes a name with the pre-roll and the whole 600 ms hangover', async () => {
    const speech = await telephoneSpeech('mary smith of ames', 'flite-kal', dir);
    const { result, decodedMs } = await listen(concat(silence(800), speech, silence(1500)), 'name');
    expect(result.end).to.equal('end-of-speech');
    expect(result.hypotheses[0]?.text).to.equal('mary smith of ames');
    const speechMs = speech.length / 8;
    // The synthesizer's own quiet ends fall under the VAD's level: some slack below.
    expect(decodedMs).to.be.at.least(speechMs + hangoverMs - 400);
    expect(decodedMs).to.be.at.most(preRollMsMax + speechMs + hangoverMs + 20);
  });

  it('hands over a 450 ms pause inside a name when speech resumes after it', async () => {
    const first = withoutQuietEnds(await telephoneSpeech('linda davis', 'flite-kal', dir));
    const rest = withoutQuietEnds(await telephoneSpeech('of boone', 'flite-kal', dir));
    const { result, decodedMs } = await listen(concat(silence(600), first, silence(450), rest, silence(1200)),
      'name');
    expect(result.end).to.equal('end-of-speech');
    expect(result.hypotheses[0]?.text).to.equal('linda davis of boone');
    const wordsMs = (first.length + rest.length) / 8;
    // The pause went to the decoder whole (soft word ends may fall under the VAD's level: some slack).
    expect(decodedMs).to.be.at.least(wordsMs + 450 + hangoverMs - 200);
    expect(decodedMs).to.be.at.most(preRollMsMax + wordsMs + 450 + hangoverMs + 20);
  });

  it('hands a digit string its whole hangover too', async () => {
    const speech = await telephoneSpeech('four one two', 'flite-kal', dir);
    const { result, decodedMs } = await listen(concat(silence(600), speech, silence(1200)), 'digits');
    expect(result.hypotheses[0]?.text).to.equal('four one two');
    expect(decodedMs).to.be.at.least(speech.length / 8 + hangoverMs - 400);
  });
});
