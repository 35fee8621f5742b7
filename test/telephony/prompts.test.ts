import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PromptError, PromptSynthesizer, decodeWav } from '../../src/ivr/prompts.js';

describe('PromptSynthesizer (flite)', function () {
  this.timeout(20_000);
  let dir: string;

  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'dn-prompts-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('synthesizes 8 kHz speech and caches it on disk by SHA-256 of voice and text', async () => {
    const prompts = new PromptSynthesizer({ cacheDir: dir });
    const samples = await prompts.synthesize('enter two digits');
    // About a second of speech at 8 kHz, not silence.
    expect(samples.length).to.be.within(4000, 24_000);
    expect(Math.max(...samples.map((sample) => Math.abs(sample)))).to.be.greaterThan(1000);
    expect(readdirSync(dir)).to.deep.equal([`${prompts.cacheKey('enter two digits')}.pcm`]);
    // A fresh synthesizer (no memory cache) reads the same samples from disk, without flite.
    const fromDisk = await new PromptSynthesizer({ cacheDir: dir, fliteBinary: '/nonexistent/flite' }).synthesize('enter two digits');
    expect(Buffer.from(fromDisk.buffer).equals(Buffer.from(samples.buffer))).to.equal(true);
  });

  it('says a name written with accents as its plain letters (flite drops what it cannot read)', async () => {
    const prompts = new PromptSynthesizer({ cacheDir: dir });
    const accented = await prompts.synthesize('Did you mean José Núñez of Ames?');
    const plain = await new PromptSynthesizer({ cacheDir: dir, fliteBinary: '/nonexistent/flite' })
      .synthesize('Did you mean Jose Nunez of Ames?');
    expect(Buffer.from(plain.buffer).equals(Buffer.from(accented.buffer))).to.equal(true);
  });

  it('decimates a 16 kHz voice to 8 kHz', async () => {
    const samples = await new PromptSynthesizer({ cacheDir: dir, voice: 'kal16' }).synthesize('hello');
    const reference = await new PromptSynthesizer({ cacheDir: dir }).synthesize('hello');
    expect(samples.length).to.be.within(reference.length * 0.5, reference.length * 2);
  });

  it('refuses empty text, bad voices and non-WAV data with PromptError', async () => {
    let error: unknown = null;
    try {
      await new PromptSynthesizer({ cacheDir: dir }).synthesize(' ');
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(PromptError);
    expect(() => new PromptSynthesizer({ cacheDir: dir, voice: '../x' })).to.throw(PromptError);
    expect(() => decodeWav(Buffer.from('RIFF0000WAVEjunk'))).to.throw(PromptError);
  });
});
