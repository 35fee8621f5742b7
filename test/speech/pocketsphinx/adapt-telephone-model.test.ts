import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ttsVoices } from '../../../src/speech/corpus/voices.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { checkMllrFile } from '../../../src/speech/pocketsphinx/telephone-mllr.js';
import { recognize } from '../support/recognize.js';
import { concat, silence, telephoneSpeech } from '../support/telephone-tts.js';

const run = promisify(execFile);

/** The surname an adaptation or corpus item says ("first last of city") or spells ("S, M, I, T, H"). */
function surnameOf(item: AdaptationItem): string[] {
  const words = item.text.toLowerCase().replace(/,/g, '').split(/\s+/);
  if (item.context === 'spelled') return [words.join('')];
  const at = words.findIndex((word) => word === 'of' || word === 'in');
  return item.context === 'name' && at > 0 ? [words[at - 1] ?? ''] : [];
}
const repo = fileURLToPath(new URL('../../../../', import.meta.url));

interface AdaptationItem { id: string; context: string; text: string; voice: string; condition?: string }

describe('scripts/adapt-telephone-model (TTS → G.711 channel → sphinx_fe → bw → mllr_solve)', function () {
  this.timeout(300_000);
  let dir = '';

  before(async () => { dir = await mkdtemp(join(tmpdir(), 'adapt-script-test-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('makes a transform from tuning voices only that the recognizer loads and decodes with', async () => {
    const target = join(dir, 'out', 'mllr_matrix');
    // Five utterances use the flite and espeak-ng tuning voices (the first five of the voice list).
    const { stdout } = await run(join(repo, 'scripts', 'adapt-telephone-model'),
      ['--utterances', '5', '--seed', '7', '--target', target, '--no-build', '--no-install'],
      { cwd: repo, env: { ...process.env, TMPDIR: dir }, maxBuffer: 16 * 2 ** 20 });
    expect(stdout).to.match(/adapt: wrote .*mllr_matrix \(\d+ bytes\) from 5 utterances/);
    expect(() => { checkMllrFile(target); }).not.to.throw();
    // The work directory (audio, features, statistics) is gone; only the transform and its inventory stay.
    expect((await readdir(dir)).sort()).to.deep.equal(['out']);
    const items = JSON.parse(await readFile(join(dir, 'out', 'adaptation-set.json'), 'utf8')) as AdaptationItem[];
    expect(items).to.have.length(5);
    const heldOutVoices = new Set(ttsVoices.filter((voice) => voice.heldOut).map((voice) => voice.id));
    expect(items.filter((item) => heldOutVoices.has(item.voice))).to.deep.equal([]);
    expect(new Set(items.map((item) => item.context)).size).to.be.greaterThan(1);

    const recognizer = await PocketsphinxRecognizer.create({ poolSize: 1, mllr: target });
    try {
      expect(recognizer.mllrPath).to.equal(target);
      // Five utterances are far too few for a good transform (accuracy is measured by bench/speech-adaptation
      // on the committed one): this checks that the decoder accepts and runs with what the script wrote.
      const speech = concat(silence(400), await telephoneSpeech('five six seven', 'flite-slt', dir), silence(900));
      const result = await recognize(recognizer, speech, { context: 'digits' });
      expect(result.end).to.equal('end-of-speech');
      expect(result.hypotheses[0]?.text).to.match(/^(zero|one|two|three|four|five|six|seven|eight|nine|oh)( |$)/);
    } finally {
      await recognizer.close();
    }
  });

  it('refuses a noise floor the decoder would refuse, before making any audio', async () => {
    const target = join(dir, 'refused', 'mllr_matrix');
    const failed = await run(join(repo, 'scripts', 'adapt-telephone-model'),
      ['--utterances', '5', '--target', target, '--no-build', '--no-install', '--noise-floor-db', '0'],
      { cwd: repo, env: { ...process.env, TMPDIR: dir } }).then(() => null, (error: unknown) => error);
    expect(failed).to.be.instanceOf(Error);
    expect((failed as { stderr?: string }).stderr).to.match(/--noise-floor-db must be off or above 0 and at most 90/);
    expect(await readdir(dir)).not.to.include('refused');
  });

  it('puts every utterance through one channel condition when asked (the noisy-line transform), refusing others',
    async () => {
      const target = join(dir, 'noisy', 'mllr_matrix');
      await run(join(repo, 'scripts', 'adapt-telephone-model'),
        ['--utterances', '4', '--seed', '7', '--target', target, '--no-build', '--no-install', '--condition', 'snr10'],
        { cwd: repo, env: { ...process.env, TMPDIR: dir }, maxBuffer: 16 * 2 ** 20 });
      expect(() => { checkMllrFile(target); }).not.to.throw();
      const items = JSON.parse(await readFile(join(dir, 'noisy', 'adaptation-set.json'), 'utf8')) as AdaptationItem[];
      expect(items.map((item) => item.condition)).to.deep.equal(['snr10', 'snr10', 'snr10', 'snr10']);

      const refusedTarget = join(dir, 'loud', 'mllr_matrix');
      const failed = await run(join(repo, 'scripts', 'adapt-telephone-model'),
        ['--utterances', '4', '--target', refusedTarget, '--no-build', '--no-install', '--condition', 'loud'],
        { cwd: repo, env: { ...process.env, TMPDIR: dir } }).then(() => null, (error: unknown) => error);
      expect((failed as { stderr?: string }).stderr).to.match(/--condition must be one of snr20, snr10, clipped/);
      expect(await readdir(dir)).not.to.include('loud');
    });

  it('keeps every surname of the held-out manifest out of the adaptation set', async () => {
    const manifest = JSON.parse(await readFile(join(repo, 'test-audio', 'ci', 'manifest-held-out.json'), 'utf8')) as {
      items: Array<{ context: string; expected: string; text?: string }>; };
    const surnames = new Set(manifest.items.flatMap((item) => surnameOf({ id: '', voice: '', ...item,
      text: item.text ?? '' })));
    expect(surnames.size).to.be.greaterThan(20);
    const heldOutVoices = new Set(ttsVoices.filter((voice) => voice.heldOut).map((voice) => voice.id));
    for (const transform of ['telephone-mllr', 'telephone-mllr-noisy']) {
      const committed = JSON.parse(await readFile(join(repo, 'models', transform, 'adaptation-set.json'),
        'utf8')) as AdaptationItem[];
      expect(committed.length, transform).to.be.greaterThan(200);
      const said = committed.flatMap(surnameOf);
      expect(said.length, transform).to.be.greaterThan(100);
      expect(said.filter((word) => surnames.has(word)), transform).to.deep.equal([]);
      expect(committed.filter((item) => heldOutVoices.has(item.voice)), transform).to.deep.equal([]);
    }
  });
});
