// Decodes a corpus audio file in process (no shell-out): WAV of any PCM, float, μ-law or A-law
// format with wavefile, MP3 with the wasm mpg123 decoder, then any rate and channel count → 8 kHz
// mono 16-bit PCM through the speech resampler (a band-limited filter). Junk gives AudioDecodeError
// with a reason fit for the report, never a crash.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { MPEGDecoder } from 'mpg123-decoder';
import wavefile from 'wavefile';
import { decodeImaAdpcm } from '../audio/ima-adpcm.js';
import { sampleRateMax, toTelephoneRate } from '../audio/resample.js';

export class AudioDecodeError extends Error {
  override name = 'AudioDecodeError';
}

export interface DecodedAudio {
  /** 8 kHz mono 16-bit PCM. */
  pcm: Int16Array;
  sourceRate: number;
  channels: number;
  /** Length of the audio in ms. */
  durationMs: number;
  /** Problems the decoder worked around (e.g. a truncated last MP3 frame). */
  warnings: string[];
}

/** Files above this are refused before decoding (an hour of 16-bit stereo 48 kHz). */
export const audioFileBytesMax = 700 * 1024 * 1024;

interface Samples {
  mono: Float32Array;
  rate: number;
  channels: number;
  warnings: string[];
}

function checkRate(rate: number): void {
  if (!Number.isFinite(rate) || rate < 1000 || rate > sampleRateMax) {
    throw new AudioDecodeError(`unsupported sample rate ${rate} Hz`);
  }
}

/**
 * Compressed WAV encodings other recorders write and this reader does not decode (PCM, float, μ-law, A-law and
 * IMA ADPCM it does), named so the error says what the file is and how to make it readable.
 */
const compressedWavFormats: Readonly<Record<number, string>> = {
  0x02: 'Microsoft ADPCM', 0x31: 'GSM 6.10', 0x40: 'G.721 ADPCM', 0x42: 'G.723.1', 0x45: 'G.726 ADPCM',
  0x50: 'MPEG audio', 0x55: 'MP3', 0x64: 'G.726 ADPCM',
};
const convertHint = 'convert it to PCM, μ-law or A-law (e.g. `sox in.wav -e signed -b 16 out.wav`)';

/** WAVE_FORMAT_DVI_ADPCM: decoded by ima-adpcm.ts, not wavefile (whose blocks come out 7 samples too long). */
const imaAdpcmFormat = 0x11;

function imaAdpcmSamples(wav: InstanceType<typeof wavefile.WaveFile>, channels: number): Float32Array {
  const { blockAlign } = wav.fmt as { blockAlign: number };
  const fact = wav.fact as { chunkId: string; dwSampleLength: number };
  try {
    const samples = decodeImaAdpcm((wav.data as { samples: Uint8Array }).samples, channels, blockAlign,
      fact.chunkId === 'fact' ? fact.dwSampleLength : undefined);
    return Float32Array.from(samples, (sample) => sample / 32768);
  } catch (error) {
    throw new AudioDecodeError(`unreadable IMA ADPCM WAV (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Any other encoding through wavefile, as floats in -1..1, interleaved. */
function convertedSamples(wav: InstanceType<typeof wavefile.WaveFile>, audioFormat: number): Float32Array {
  try {
    if (wav.bitDepth === '8m') wav.fromMuLaw();
    else if (wav.bitDepth === '8a') wav.fromALaw();
    wav.toBitDepth('32f');
  } catch (error) {
    const known = compressedWavFormats[audioFormat];
    throw new AudioDecodeError(known === undefined
      ? `unsupported WAV encoding (format ${audioFormat}, ${wav.bitDepth} bits): `
        + `${error instanceof Error ? error.message : String(error)}`
      : `unsupported WAV encoding ${known} (format ${audioFormat}): ${convertHint}`);
  }
  return Float32Array.from(wav.getSamples(true, Float64Array) as unknown as Float64Array);
}

function decodeWav(bytes: Buffer): Samples {
  if (bytes.length < 12 || bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WAVE') {
    throw new AudioDecodeError('not a WAV file (no RIFF/WAVE header)');
  }
  let wav: InstanceType<typeof wavefile.WaveFile>;
  try {
    wav = new wavefile.WaveFile(bytes);
  } catch (error) {
    throw new AudioDecodeError(`unreadable WAV (${error instanceof Error ? error.message : String(error)})`);
  }
  const data = wav.data as { chunkSize: number; samples: Uint8Array };
  const warnings = data.samples.length < data.chunkSize
    ? [`WAV truncated: the header announces ${data.chunkSize} bytes of audio, the file holds ${data.samples.length}`] : [];
  // Copied now: the format conversions below replace wav.fmt's fields.
  const { sampleRate, numChannels: channels, audioFormat } = wav.fmt as {
    sampleRate: number; numChannels: number; audioFormat: number; };
  checkRate(sampleRate);
  if (!Number.isInteger(channels) || channels < 1 || channels > 8) {
    throw new AudioDecodeError(`unsupported channel count ${channels}`);
  }
  const interleaved = audioFormat === imaAdpcmFormat
    ? imaAdpcmSamples(wav, channels) : convertedSamples(wav, audioFormat);
  const frames = Math.floor(interleaved.length / channels);
  const mono = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[i * channels + c] ?? 0;
    mono[i] = sum / channels;
  }
  return { mono, rate: sampleRate, channels, warnings };
}

/** One wasm decoder per process: creating it compiles the module; files are decoded one at a time. */
let mp3Decoder: Promise<MPEGDecoder> | null = null;
let mp3Queue: Promise<unknown> = Promise.resolve();

/** An MP3 starts with an ID3 tag or an MPEG frame sync; mpg123 alone would hunt for a sync anywhere. */
function checkMp3Start(bytes: Buffer): void {
  if (bytes.toString('latin1', 0, 4) === 'RIFF') throw new AudioDecodeError('not an MP3 file (it is a WAV file)');
  const id3 = bytes.toString('latin1', 0, 3) === 'ID3';
  const sync = bytes.length >= 2 && bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0;
  if (!id3 && !sync) throw new AudioDecodeError('not an MP3 file (no ID3 tag or MPEG frame at the start)');
}

async function decodeMp3(bytes: Buffer): Promise<Samples> {
  checkMp3Start(bytes);
  mp3Decoder ??= (async () => {
    const decoder = new MPEGDecoder();
    await decoder.ready;
    return decoder;
  })();
  const decoder = await mp3Decoder;
  const run = mp3Queue.then(async () => {
    await decoder.reset();
    return decoder.decode(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  });
  mp3Queue = run.catch(() => undefined);
  const decoded = await run;
  if (decoded.samplesDecoded === 0 || decoded.channelData.length === 0) {
    throw new AudioDecodeError('not an MP3 file, or no decodable MPEG audio frame in it');
  }
  checkRate(decoded.sampleRate);
  const channels = decoded.channelData.length;
  const mono = new Float32Array(decoded.samplesDecoded);
  for (const channel of decoded.channelData) {
    for (let i = 0; i < mono.length; i++) mono[i] = (mono[i] ?? 0) + (channel[i] ?? 0) / channels;
  }
  const warnings = decoded.errors.length === 0 ? []
    : [`MP3: ${decoded.errors.length} damaged frame(s) skipped (${decoded.errors[0]?.message ?? 'error'})`];
  return { mono, rate: decoded.sampleRate, channels, warnings };
}

/** Decodes WAV or MP3 bytes (by extension) to 8 kHz mono PCM. */
export async function decodeAudio(bytes: Buffer, kind: 'wav' | 'mp3'): Promise<DecodedAudio> {
  const samples = kind === 'wav' ? decodeWav(bytes) : await decodeMp3(bytes);
  if (samples.mono.length === 0) throw new AudioDecodeError('the file holds no audio samples');
  for (const value of samples.mono) {
    if (!Number.isFinite(value)) throw new AudioDecodeError('the file holds samples that are not numbers (NaN/∞)');
  }
  const pcm = toTelephoneRate({ samples: samples.mono, sampleRate: samples.rate, channels: 1 });
  return { pcm, sourceRate: samples.rate, channels: samples.channels,
    durationMs: Math.round((samples.mono.length / samples.rate) * 1000), warnings: samples.warnings };
}

export async function decodeAudioFile(path: string): Promise<DecodedAudio> {
  const extension = extname(path).toLowerCase();
  if (extension !== '.wav' && extension !== '.mp3') throw new AudioDecodeError(`not a .wav or .mp3 file: ${path}`);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AudioDecodeError(code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(error)})`);
  }
  if (bytes.length > audioFileBytesMax) throw new AudioDecodeError(`file too large (${bytes.length} bytes)`);
  return decodeAudio(bytes, extension === '.wav' ? 'wav' : 'mp3');
}
