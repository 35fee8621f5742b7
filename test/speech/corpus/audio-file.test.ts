// The runner's in-process decoders on the committed corpus and on junk: every file either decodes to
// 8 kHz mono PCM of the right length or gives an AudioDecodeError that says what is wrong.
import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { AudioDecodeError, decodeAudioFile } from '../../../src/speech/corpus/audio-file.js';
import { loadManifest } from '../../../src/speech/corpus/manifest.js';
import { thrown } from '../../support/thrown.js';
import { ciManifestPath, testAudioDir } from './paths.js';

function corpusFile(manifestAudio: string): string {
  return join(testAudioDir, 'ci', manifestAudio);
}

/** Energy of `samples` at `frequency` (a single DFT bin), per sample. */
function toneLevel(samples: Int16Array, frequency: number, rate: number): number {
  let re = 0;
  let im = 0;
  for (let n = 0; n < samples.length; n++) {
    re += (samples[n] ?? 0) * Math.cos((2 * Math.PI * frequency * n) / rate);
    im += (samples[n] ?? 0) * Math.sin((2 * Math.PI * frequency * n) / rate);
  }
  return Math.hypot(re, im) / samples.length;
}

describe('speech corpus: audio decoding', function () {
  this.timeout(60_000);
  let dir: string;
  let items: Awaited<ReturnType<typeof loadManifest>>['items'];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dn-corpus-audio-'));
    items = (await loadManifest(ciManifestPath)).items;
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('decodes every committed file (μ-law WAV, MP3, 16 kHz stereo WAV) to 8 kHz PCM with speech in it', async () => {
    const kinds = new Set<string>();
    for (const item of items) {
      const decoded = await decodeAudioFile(corpusFile(item.audio));
      // The MP3 decoder always gives two (equal) channels; the WAVs say what they hold.
      kinds.add(`${item.audio.slice(-3)}/${decoded.sourceRate}${item.audio.endsWith('.wav') ? `/${decoded.channels}` : ''}`);
      expect(decoded.warnings, item.audio).to.deep.equal([]);
      // 8 kHz output: one sample per 1/8 ms of the source's duration.
      expect(Math.abs(decoded.pcm.length - decoded.durationMs * 8), item.audio).to.be.below(16);
      let peak = 0;
      for (const sample of decoded.pcm) peak = Math.max(peak, Math.abs(sample));
      expect(peak, `${item.audio} holds speech`).to.be.above(3000);
    }
    expect([...kinds].sort()).to.include.members(['mp3/8000', 'wav/16000/2', 'wav/8000/1']);
  });

  it('reads a 44.1 kHz float stereo WAV: 1 kHz kept, 6 kHz removed (resampled through a filter, not folded)', async () => {
    const rate = 44_100;
    const samples = new Float32Array(rate * 2);
    for (let n = 0; n < rate; n++) {
      const value = 0.4 * Math.sin((2 * Math.PI * 1000 * n) / rate) + 0.4 * Math.sin((2 * Math.PI * 6000 * n) / rate);
      samples[2 * n] = value;
      samples[2 * n + 1] = value;
    }
    const wav = new wavefile.WaveFile();
    wav.fromScratch(2, rate, '32f', samples);
    const path = join(dir, 'float-44k.wav');
    await writeFile(path, wav.toBuffer());
    const decoded = await decodeAudioFile(path);
    expect(decoded.sourceRate).to.equal(rate);
    expect(decoded.channels).to.equal(2);
    expect(decoded.pcm.length).to.be.within(7990, 8000);
    const kept = toneLevel(decoded.pcm, 1000, 8000);
    // 6 kHz would fold to 2 kHz under sample dropping.
    const folded = toneLevel(decoded.pcm, 2000, 8000);
    expect(kept).to.be.above(0.4 * 32767 * 0.45);
    expect(20 * Math.log10(folded / kept)).to.be.below(-40);
  });

  it('reads the encodings telephone recorders write (A-law, μ-law, 8-, 24-bit, IMA ADPCM) to the same tone', async () => {
    // IMA ADPCM went through wavefile's decoder until this test: 14 dB down, stretched (ima-adpcm.ts).
    const tone = new Int16Array(8000).map((_, n) => Math.round(12_000 * Math.sin((2 * Math.PI * 700 * n) / 8000)));
    const level = toneLevel(tone, 700, 8000);
    const encodings: Array<[string, (wav: InstanceType<typeof wavefile.WaveFile>) => void]> = [
      ['a-law', (wav) => { wav.toALaw(); }], ['mu-law', (wav) => { wav.toMuLaw(); }],
      ['8-bit', (wav) => { wav.toBitDepth('8'); }], ['24-bit', (wav) => { wav.toBitDepth('24'); }],
      ['ima-adpcm', (wav) => { wav.toIMAADPCM(); }],
    ];
    for (const [name, encode] of encodings) {
      const wav = new wavefile.WaveFile();
      wav.fromScratch(1, 8000, '16', tone);
      encode(wav);
      const path = join(dir, `${name}.wav`);
      await writeFile(path, wav.toBuffer());
      const decoded = await decodeAudioFile(path);
      // wavefile's ADPCM encoder pads its last blocks with silence; nothing else may be added.
      expect(decoded.pcm.length, name).to.be.at.least(7990);
      expect(decoded.pcm.subarray(8010).every((sample) => Math.abs(sample) < 50), `${name}: only padding after`)
        .to.equal(true);
      // Within 1 dB of the 16-bit original: each encoding's quantizing noise is far below the tone.
      const decodedLevel = toneLevel(decoded.pcm.subarray(0, 8000), 700, 8000);
      expect(Math.abs(20 * Math.log10(decodedLevel / level)), name).to.be.below(1);
    }
  });

  it('a compressed WAV it cannot decode (GSM 6.10) is named, with how to convert it', async () => {
    const wav = new wavefile.WaveFile();
    wav.fromScratch(1, 8000, '16', new Int16Array(800));
    const bytes = Buffer.from(wav.toBuffer());
    // As sox writes GSM: format tag 0x31 and no bits per sample.
    bytes.writeUInt16LE(0x31, 20);
    bytes.writeUInt16LE(0, 34);
    const path = join(dir, 'gsm.wav');
    await writeFile(path, bytes);
    const error = await thrown(() => decodeAudioFile(path));
    expect(error).to.be.instanceOf(AudioDecodeError);
    expect((error as Error).message).to.match(/unsupported WAV encoding GSM 6\.10 \(format 49\): convert it to PCM/);
  });

  it('silence decodes to silence (the recognizer then says no-speech), not an error', async () => {
    const wav = new wavefile.WaveFile();
    wav.fromScratch(1, 8000, '16', new Int16Array(8000));
    const path = join(dir, 'silence.wav');
    await writeFile(path, wav.toBuffer());
    const decoded = await decodeAudioFile(path);
    expect(decoded.pcm.length).to.equal(8000);
    expect(decoded.pcm.every((sample) => sample === 0)).to.equal(true);
  });

  const junk: Array<[string, string, (wav: Buffer, mp3: Buffer) => Buffer, RegExp]> = [
    ['text named .wav', 'text.wav', () => Buffer.from('this is not audio\n'.repeat(20)), /not a WAV file/],
    ['an MP3 named .wav', 'mp3-as.wav', (_wav, mp3) => mp3, /not a WAV file/],
    ['a WAV header cut at 30 bytes', 'cut-header.wav', (wav) => wav.subarray(0, 30), /unreadable WAV|no audio/],
    ['an empty .wav', 'empty.wav', () => Buffer.alloc(0), /not a WAV file/],
    ['text named .mp3', 'text.mp3', () => Buffer.from('this is not audio\n'.repeat(200)), /not an MP3 file/],
    ['an MP3 cut inside its first frame', 'cut.mp3', (_wav, mp3) => mp3.subarray(0, 60), /not an MP3 file/],
    ['a WAV named .mp3', 'wav-as.mp3', (wav) => wav, /not an MP3 file/],
  ];
  for (const [what, name, make, message] of junk) {
    it(`${what} → AudioDecodeError (${String(message)})`, async () => {
      const wavItem = items.find((item) => item.audio.endsWith('.wav') && item.channel?.endsWith('wav-ulaw') === true);
      const mp3Item = items.find((item) => item.audio.endsWith('.mp3'));
      const wav = await readFile(corpusFile(wavItem?.audio ?? ''));
      const mp3 = await readFile(corpusFile(mp3Item?.audio ?? ''));
      const path = join(dir, name);
      await writeFile(path, make(wav, mp3));
      const error = await thrown(() => decodeAudioFile(path));
      expect(error).to.be.instanceOf(AudioDecodeError);
      expect((error as Error).message).to.match(message);
    });
  }

  it('a WAV whose data is cut short decodes what is there, with a warning', async () => {
    const wavItem = items.find((item) => item.channel?.endsWith('wav-ulaw') === true);
    const whole = await readFile(corpusFile(wavItem?.audio ?? ''));
    const path = join(dir, 'cut-data.wav');
    await writeFile(path, whole.subarray(0, Math.floor(whole.length / 2)));
    const decoded = await decodeAudioFile(path);
    expect(decoded.pcm.length).to.be.above(1000);
    expect(decoded.warnings.join()).to.match(/WAV truncated/);
  });

  it('an MP3 cut in the middle decodes the frames before the cut', async () => {
    const mp3Item = items.find((item) => item.audio.endsWith('.mp3'));
    const whole = await decodeAudioFile(corpusFile(mp3Item?.audio ?? ''));
    const bytes = await readFile(corpusFile(mp3Item?.audio ?? ''));
    const path = join(dir, 'half.mp3');
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const decoded = await decodeAudioFile(path);
    expect(decoded.pcm.length).to.be.above(0).and.below(whole.pcm.length);
  });

  it('a missing file and a wrong extension are errors that say so', async () => {
    expect((await thrown(() => decodeAudioFile(join(dir, 'nowhere.wav'))) as Error).message).to.equal('file not found');
    expect((await thrown(() => decodeAudioFile(join(dir, 'clip.ogg'))) as Error).message).to.match(/not a \.wav or \.mp3/);
  });
});
