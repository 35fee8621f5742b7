// RIFF/WAVE reading for recorded utterances (tests, the corpus runner): PCM 8/16/24/32-bit, IEEE float,
// G.711 μ-law and A-law, any rate and channel count. A broken file is a WavFormatError that says what
// is wrong, never a crash or silently wrong audio.
import { decodeG711 } from '../../telephony/rtp/g711.js';

export class WavFormatError extends Error {
  override name = 'WavFormatError';
}

export interface WavAudio {
  readonly sampleRate: number;
  readonly channels: number;
  /** Interleaved samples scaled to 16-bit PCM. */
  readonly samples: Int16Array;
}

const formatPcm = 1;
const formatFloat = 3;
const formatALaw = 6;
const formatMuLaw = 7;
const formatExtensible = 0xfffe;
const channelsMax = 32;

export function parseWav(bytes: Buffer): WavAudio {
  if (bytes.length < 12 || bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    throw new WavFormatError('not a WAV file (no RIFF/WAVE header)');
  }
  let format: WavFormat | null = null;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw new WavFormatError('WAV fmt chunk is truncated');
      let tag = bytes.readUInt16LE(body);
      if (tag === formatExtensible && size >= 26 && body + 26 <= bytes.length) tag = bytes.readUInt16LE(body + 24);
      format = { tag, channels: bytes.readUInt16LE(body + 2), sampleRate: bytes.readUInt32LE(body + 4),
        bits: bytes.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (format === null) throw new WavFormatError('WAV data chunk comes before its fmt chunk');
      // A streamed WAV may carry a size of 0 or 0xFFFFFFFF; a cut file a size past its end: read what is there.
      const end = size === 0 || body + size > bytes.length ? bytes.length : body + size;
      return decodeData(bytes.subarray(body, end), format);
    }
    offset = body + size + (size % 2);
  }
  throw new WavFormatError(format === null ? 'WAV file has no fmt chunk' : 'WAV file has no data chunk');
}

interface WavFormat { tag: number; channels: number; sampleRate: number; bits: number }

function decodeData(data: Buffer, format: WavFormat): WavAudio {
  const { tag, channels, sampleRate, bits } = format;
  if (channels < 1 || channels > channelsMax) throw new WavFormatError(`WAV has ${channels} channels`);
  if (sampleRate < 1000 || sampleRate > 384_000) {
    throw new WavFormatError(`WAV sample rate ${sampleRate} Hz is not supported`);
  }
  const bytesPerSample = bits / 8;
  if (!Number.isInteger(bytesPerSample) || bytesPerSample < 1 || bytesPerSample > 4) {
    throw new WavFormatError(`WAV has ${bits} bits per sample`);
  }
  const count = Math.floor(data.length / bytesPerSample);
  const samples = new Int16Array(count);
  if ((tag === formatMuLaw || tag === formatALaw) && bits === 8) {
    samples.set(decodeG711(data.subarray(0, count), tag === formatMuLaw ? 'PCMU' : 'PCMA'));
  } else if (tag === formatFloat && (bits === 32)) {
    for (let i = 0; i < count; i++) {
      samples[i] = Math.max(-32_768, Math.min(32_767, Math.round(data.readFloatLE(i * 4) * 32_767)));
    }
  } else if (tag === formatPcm) {
    for (let i = 0; i < count; i++) samples[i] = readPcm(data, i * bytesPerSample, bits);
  } else {
    throw new WavFormatError(`WAV format tag ${tag} with ${bits} bits is not supported (PCM, float, μ-law, A-law are)`);
  }
  return { sampleRate, channels, samples };
}

function readPcm(data: Buffer, offset: number, bits: number): number {
  if (bits === 8) return ((data[offset] ?? 128) - 128) << 8;
  if (bits === 16) return data.readInt16LE(offset);
  if (bits === 24) return data.readIntLE(offset, 3) >> 8;
  return data.readInt32LE(offset) >> 16;
}

/** 16-bit PCM mono WAV bytes (for tests and reports). */
export function encodeWav(samples: Int16Array, sampleRate: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples.length * 2, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(formatPcm, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples.length * 2, 40);
  return Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, samples.length * 2)]);
}
