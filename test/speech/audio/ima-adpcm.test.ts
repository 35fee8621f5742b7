// IMA ADPCM WAVs (format 0x11) decoded by our own decoder, checked sample for sample against sox's on files
// sox encoded (mono and stereo), and through the corpus runner's file reader: the length is the file's, not
// wavefile's 512 samples per 505-sample block.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import wavefile from 'wavefile';
import { decodeImaAdpcm, ImaAdpcmError } from '../../../src/speech/audio/ima-adpcm.js';
import { decodeAudioFile } from '../../../src/speech/corpus/audio-file.js';

const run = promisify(execFile);

/** A chirp from 200 to 3000 Hz with an envelope: every step size and nibble gets used. */
function chirp(samples: number, channels: number): Int16Array {
  const out = new Int16Array(samples * channels);
  for (let n = 0; n < samples; n++) {
    const t = n / 8000;
    const value = 20_000 * Math.sin(n / samples * Math.PI) * Math.sin(2 * Math.PI * (200 * t + 700 * t * t));
    for (let channel = 0; channel < channels; channel++) {
      out[n * channels + channel] = Math.round(value / (channel + 1));
    }
  }
  return out;
}

function pcmOf(bytes: Buffer): Int16Array {
  const wav = new wavefile.WaveFile(bytes);
  return wav.getSamples(true, Int16Array) as unknown as Int16Array;
}

describe('speech audio: IMA ADPCM WAV', function () {
  this.timeout(60_000);
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dn-ima-adpcm-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  for (const channels of [1, 2]) {
    it(`decodes sox's ${channels === 1 ? 'mono' : 'stereo'} IMA ADPCM exactly as sox does`, async () => {
      const samples = 4321;
      const source = new wavefile.WaveFile();
      source.fromScratch(channels, 8000, '16', chirp(samples, channels));
      const pcmPath = join(dir, `chirp-${channels}.wav`);
      await writeFile(pcmPath, source.toBuffer());
      const adpcmPath = join(dir, `chirp-${channels}-adpcm.wav`);
      await run('sox', [pcmPath, '-e', 'ima-adpcm', adpcmPath]);
      const soxPath = join(dir, `chirp-${channels}-sox.wav`);
      await run('sox', [adpcmPath, '-e', 'signed', '-b', '16', soxPath]);

      const adpcm = new wavefile.WaveFile(await readFile(adpcmPath));
      const fmt = adpcm.fmt as { audioFormat: number; blockAlign: number };
      expect(fmt.audioFormat).to.equal(0x11);
      const ours = decodeImaAdpcm((adpcm.data as { samples: Uint8Array }).samples, channels, fmt.blockAlign,
        (adpcm.fact as { dwSampleLength: number }).dwSampleLength);
      const theirs = pcmOf(await readFile(soxPath));
      // sox decodes the last block's padding too; the fact chunk says where the audio ends.
      expect(ours.length).to.equal(samples * channels);
      expect(Array.from(ours)).to.deep.equal(Array.from(theirs.subarray(0, ours.length)));

      // The corpus reader: 8 kHz mono of the same length, not stretched.
      const read = await decodeAudioFile(adpcmPath);
      expect(read.channels).to.equal(channels);
      expect(read.pcm.length).to.equal(samples);
    });
  }

  it('a file cut inside a block decodes its whole words; a block that fits no channel layout is refused', () => {
    const block = new Uint8Array(256);
    block[0] = 0x10;
    block[2] = 20;
    block.fill(0x37, 4);
    expect(decodeImaAdpcm(block, 1, 256).length).to.equal(505);
    // 4 header bytes and 10 data bytes: two whole words (16 samples) after the header's sample.
    expect(decodeImaAdpcm(block.subarray(0, 14), 1, 256).length).to.equal(17);
    expect(decodeImaAdpcm(block.subarray(0, 3), 1, 256).length).to.equal(0);
    expect(() => decodeImaAdpcm(block, 2, 258)).to.throw(ImaAdpcmError, /258 bytes does not fit 2 channel/);
    expect(() => decodeImaAdpcm(block, 0, 256)).to.throw(ImaAdpcmError, /0 channels/);
  });
});
