// The name path's city finders (wideWordBeam) are compiled with their own word beam (nameWordBeam), other
// grammars with the decoder's: a word beam so tight that it prunes every path of the whole-roll voter graph
// before its last word leaves the name unheard ("Final result does not match the grammar") while the
// digits search, compiled on the same decoder afterwards, decodes as it does beside the default name beam.
import { expect } from 'chai';
import { join } from 'node:path';
import { jurisdictionFor } from '../../../src/roll/jurisdictions.js';
import { decodeAudioFile } from '../../../src/speech/corpus/audio-file.js';
import { readRollVoters } from '../../../src/speech/corpus/roll-voters.js';
import { loadCmudict } from '../../../src/speech/lexicon/cmudict.js';
import { NameGeneration } from '../../../src/speech/names/name-generation.js';
import { nameRollOf } from '../../../src/speech/names/name-roll.js';
import {
  nameWordBeamDefault, PocketsphinxRecognizer,
} from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import type { Recognition } from '../../../src/speech/recognizer.js';
import { sampleRollPath, testAudioDir } from '../corpus/paths.js';
import { recognize } from '../support/recognize.js';

/** "leteena liening of centerville", flite slt, 20 dB SNR: a tuning item. */
const tuningItem = { audio: 'audio/name-0044-flite-slt-snr20.wav' };

describe('speech/names: the city finders decode with their own word beam', function () {
  this.timeout(300_000);
  let generation: NameGeneration | undefined;
  let pcm: Int16Array;

  before(async () => {
    const { voters } = await readRollVoters(sampleRollPath, jurisdictionFor('iowa'));
    generation = await NameGeneration.prepare(nameRollOf('beam', voters), await loadCmudict());
    pcm = (await decodeAudioFile(join(testAudioDir, 'ci', tuningItem.audio))).pcm;
  });
  after(async () => generation?.dispose());

  async function listen(nameWordBeam: number | null): Promise<{ name: Recognition; digits: Recognition }> {
    const recognizer = await PocketsphinxRecognizer.create({ poolSize: 1, mllr: 'telephone', nameWordBeam });
    if (generation === undefined) throw new Error('no name generation');
    try {
      recognizer.addGrammar(generation.cityFinder);
      const name = await recognize(recognizer, pcm, { context: 'name', grammarKey: generation.cityFinder.grammarKey,
        nBest: 20, maxSpeechMs: 30_000 });
      const digits = await recognize(recognizer, pcm, { context: 'digits', maxSpeechMs: 30_000 });
      return { name, digits };
    } finally {
      await recognizer.close();
    }
  }

  it('gives the city finder its own word beam and leaves other grammars\' beam alone', async () => {
    const pruned = await listen(0.5);
    const usual = await listen(nameWordBeamDefault);
    expect(pruned.name.hypotheses, 'with a word beam that prunes every path').to.deep.equal([]);
    // A fresh decoder (the telephone channel prior) mishears the name here, but the city comes through.
    expect(usual.name.hypotheses.map((hypothesis) => hypothesis.text), 'with the default name beam')
      .to.satisfy((texts: string[]) => texts.length > 0 && texts.every((text) => text.endsWith(' centerville')));
    // The digits search was compiled with the decoder's own beam both times.
    expect(pruned.digits.hypotheses.map((hypothesis) => hypothesis.text))
      .to.deep.equal(usual.digits.hypotheses.map((hypothesis) => hypothesis.text));
  });

  it('refuses a word beam that is not a probability', async () => {
    let error: unknown = null;
    await PocketsphinxRecognizer.create({ poolSize: 1, nameWordBeam: 2 }).then((made) => made.close(),
      (refused: unknown) => { error = refused; });
    expect(String(error)).to.match(/name word beam 2 is not between 0 and 1/);
  });
});
