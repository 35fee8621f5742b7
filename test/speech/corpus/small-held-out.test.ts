// The committed short-context held-out corpus (test-audio/small-held-out) is what its README line says it
// is: exactly the generator's plan for that command (so anyone can regenerate it and nobody tuned on it),
// held-out voices only, 40 items per context, and every file decodes to telephone audio.
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { planCorpus } from '../../../src/speech/corpus/make.js';
import { decodeAudioFile } from '../../../src/speech/corpus/audio-file.js';
import { audioPath, loadManifest } from '../../../src/speech/corpus/manifest.js';
import { readRollVoters } from '../../../src/speech/corpus/roll-voters.js';
import { jurisdictionFor } from '../../../src/roll/jurisdictions.js';
import { sampleRollPath } from './paths.js';

const manifestPath = fileURLToPath(new URL('../../../../test-audio/small-held-out/manifest.json', import.meta.url));

describe('speech corpus: the short contexts\' held-out corpus (test-audio/small-held-out)', function () {
  this.timeout(60_000);

  it('is the generator\'s plan for its documented command, held-out voices only, 40 per context', async () => {
    const { voters } = await readRollVoters(sampleRollPath, jurisdictionFor('iowa'));
    const planned = planCorpus({ roll: sampleRollPath, out: '', seed: 23, names: 0, perContext: 100, rollSeed: 11,
      rollVoters: 3000, workers: 1, contexts: ['command', 'yesno', 'vote', 'digits'], split: 'held-out' }, voters);
    const manifest = await loadManifest(manifestPath);
    expect(manifest.items.map((item) => [item.audio, item.context, item.expected, item.voice]))
      .to.deep.equal(planned.map((item) => [item.file, item.context, item.expected, item.voice.id]));
    expect(planned.every((item) => item.voice.heldOut && item.split === 'held-out')).to.equal(true);
    for (const context of ['command', 'yesno', 'vote', 'digits']) {
      expect(manifest.items.filter((item) => item.context === context), context).to.have.length(40);
    }
  });

  it('decodes every file to 8 kHz audio with speech-length content', async () => {
    const manifest = await loadManifest(manifestPath);
    for (const item of manifest.items) {
      const audio = await decodeAudioFile(audioPath(manifestPath, item));
      expect(audio.pcm.length, item.audio).to.be.greaterThan(8000 * 0.2);
      expect(audio.warnings, item.audio).to.deep.equal([]);
    }
  });
});
