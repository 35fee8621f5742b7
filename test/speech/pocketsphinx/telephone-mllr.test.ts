import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/config.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { checkMllrFile, resolveMllr, telephoneMllrPath } from '../../../src/speech/pocketsphinx/telephone-mllr.js';
import { RecognizerUnavailableError } from '../../../src/speech/recognizer.js';
import { thrown } from '../../support/thrown.js';
import { recognize } from '../support/recognize.js';
import { concat, silence, telephoneSpeech } from '../support/telephone-tts.js';

/** An mllr_matrix in sphinxtrain's text format: one class, three 13-dimensional streams. */
function mllrText(bias: number): string {
  const lines = ['1', '3'];
  for (let stream = 0; stream < 3; stream++) {
    lines.push('13');
    for (let row = 0; row < 13; row++) {
      lines.push(Array.from({ length: 13 }, (_, col) => (row === col ? 1 : 0)).join(' '));
    }
    lines.push(Array.from({ length: 13 }, () => bias).join(' '));
    lines.push(Array.from({ length: 13 }, () => 1).join(' '));
  }
  return `${lines.join('\n')}\n`;
}

describe('telephone-channel MLLR for pocketsphinx (POCKETSPHINX_MLLR)', function () {
  this.timeout(120_000);
  let dir = '';

  before(async () => { dir = await mkdtemp(join(tmpdir(), 'mllr-test-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('is configured by POCKETSPHINX_MLLR: off unless set to telephone (the committed transform) or a file', () => {
    expect(loadConfig({}).pocketsphinxMllr).to.equal('off');
    expect(resolveMllr()).to.equal(null);
    expect(loadConfig({ POCKETSPHINX_MLLR: 'telephone' }).pocketsphinxMllr).to.equal('telephone');
    expect(loadConfig({ POCKETSPHINX_MLLR: 'off' }).pocketsphinxMllr).to.equal('off');
    expect(() => loadConfig({ POCKETSPHINX_MLLR: ' ' })).to.throw(/POCKETSPHINX_MLLR/);
    expect(resolveMllr('off')).to.equal(null);
    expect(resolveMllr('OFF')).to.equal(null);
    expect(resolveMllr('telephone')).to.equal(telephoneMllrPath());
  });

  it('commits a well-formed global transform: one class, three 13-dimensional streams', async () => {
    const path = telephoneMllrPath();
    expect(path).to.match(/models\/telephone-mllr\/mllr_matrix$/);
    expect(() => { checkMllrFile(path); }).not.to.throw();
    const numbers = (await readFile(path, 'utf8')).trim().split(/\s+/).map(Number);
    expect(numbers.slice(0, 3)).to.deep.equal([1, 3, 13]);
    // Not the identity: the adaptation moved something.
    const firstRow = numbers.slice(3, 16);
    expect(firstRow.some((value, col) => Math.abs(value - (col === 0 ? 1 : 0)) > 1e-3)).to.equal(true);
  });

  it('refuses a missing, junk or truncated file with a message naming POCKETSPHINX_MLLR', async () => {
    const missing = await thrown(async () => resolveMllr(join(dir, 'nothing-here')));
    expect(missing).to.be.instanceOf(RecognizerUnavailableError);
    expect((missing as Error).message).to.match(/POCKETSPHINX_MLLR: .*nothing-here does not exist/);
    const junk = join(dir, 'junk');
    await writeFile(junk, 'this is not a matrix\n');
    expect(((await thrown(async () => resolveMllr(junk))) as Error).message).to.match(/other than numbers/);
    const truncated = join(dir, 'truncated');
    const whole = await readFile(telephoneMllrPath(), 'utf8');
    await writeFile(truncated, whole.slice(0, Math.floor(whole.length / 2)).replace(/\s\S*$/, ''));
    expect(((await thrown(async () => resolveMllr(truncated))) as Error).message).to.match(/ends early/);
    const extra = join(dir, 'extra');
    await writeFile(extra, `${whole}\n1 2 3\n`);
    const extraError = (await thrown(async () => resolveMllr(extra))) as Error;
    expect(extraError.message).to.match(/3 numbers after the last block/);
    // The recognizer checks before it creates anything.
    const refused = await thrown(() => PocketsphinxRecognizer.create({ poolSize: 1, mllr: junk }));
    expect(refused).to.be.instanceOf(RecognizerUnavailableError);
  });

  it('reaches the decoder: the committed transform hears the words, an absurd one does not', async () => {
    const speech = concat(silence(400), await telephoneSpeech('four one two', 'flite-kal', dir), silence(900));
    const absurd = join(dir, 'absurd');
    await writeFile(absurd, mllrText(25));
    const heard = new Map<string, string>();
    for (const mllr of ['telephone', 'off', absurd]) {
      // The same transform for digits too (POCKETSPHINX_NUMBER_MLLR), so -mllr is what they decode with.
      const recognizer = await PocketsphinxRecognizer.create({ poolSize: 1, mllr, numberMllr: mllr });
      try {
        expect(recognizer.mllrPath).to.equal(resolveMllr(mllr));
        const result = await recognize(recognizer, speech, { context: 'digits' });
        heard.set(mllr, result.hypotheses[0]?.text ?? '');
      } finally {
        await recognizer.close();
      }
    }
    expect(heard.get('telephone')).to.equal('four one two');
    expect(heard.get('off')).to.equal('four one two');
    // Every mean shifted by 25 cepstral units: if -mllr were ignored this would still say "four one two".
    expect(heard.get(absurd)).to.not.equal('four one two');
  });
});
