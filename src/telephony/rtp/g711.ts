// G.711 μ-law and A-law (ITU-T G.711), table-based: decoding is one lookup, encoding one lookup in a
// 64 Ki table indexed by the 16-bit sample. The tables are built once from the reference formulas.

const bias = 0x84;
const clip = 32635;

function encodeMuLawSample(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  let magnitude = Math.min(Math.abs(sample), clip) + bias;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent -= 1;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  magnitude = ~(sign | (exponent << 4) | mantissa);
  return magnitude & 0xff;
}

function decodeMuLawByte(byte: number): number {
  const value = ~byte & 0xff;
  const sign = value & 0x80;
  const exponent = (value >> 4) & 0x07;
  const mantissa = value & 0x0f;
  const magnitude = (((mantissa << 3) + bias) << exponent) - bias;
  return sign !== 0 ? -magnitude : magnitude;
}

function encodeALawSample(sample: number): number {
  const sign = sample >= 0 ? 0x80 : 0;
  const magnitude = Math.min(sample >= 0 ? sample : -sample - 1, 32767) >> 3;
  let exponent = 0;
  while (exponent < 7 && magnitude >= 32 << exponent) exponent += 1;
  const mantissa = exponent === 0 ? magnitude >> 1 : (magnitude >> exponent) & 0x0f;
  return ((sign | (exponent << 4) | mantissa) ^ 0x55) & 0xff;
}

function decodeALawByte(byte: number): number {
  const value = byte ^ 0x55;
  const exponent = (value >> 4) & 0x07;
  const mantissa = value & 0x0f;
  let magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  magnitude = Math.min(magnitude, 32767);
  return (value & 0x80) !== 0 ? magnitude : -magnitude;
}

function buildTables(): { muEncode: Uint8Array; aEncode: Uint8Array; muDecode: Int16Array; aDecode: Int16Array } {
  const muEncode = new Uint8Array(65536);
  const aEncode = new Uint8Array(65536);
  for (let index = 0; index < 65536; index += 1) {
    const sample = index >= 32768 ? index - 65536 : index;
    muEncode[index] = encodeMuLawSample(sample);
    aEncode[index] = encodeALawSample(sample);
  }
  const muDecode = new Int16Array(256);
  const aDecode = new Int16Array(256);
  for (let byte = 0; byte < 256; byte += 1) {
    muDecode[byte] = decodeMuLawByte(byte);
    aDecode[byte] = decodeALawByte(byte);
  }
  return { muEncode, aEncode, muDecode, aDecode };
}

const tables = buildTables();

export type G711Law = 'PCMU' | 'PCMA';

/** The byte a silent frame is filled with (the encoding of sample 0). */
export function silenceByte(law: G711Law): number {
  return law === 'PCMU' ? 0xff : 0xd5;
}

export function encodeG711(samples: Int16Array, law: G711Law): Buffer {
  const table = law === 'PCMU' ? tables.muEncode : tables.aEncode;
  const output = Buffer.allocUnsafe(samples.length);
  for (let index = 0; index < samples.length; index += 1) output[index] = table[(samples[index] ?? 0) & 0xffff] ?? 0;
  return output;
}

export function decodeG711(payload: Uint8Array, law: G711Law): Int16Array {
  const table = law === 'PCMU' ? tables.muDecode : tables.aDecode;
  const output = new Int16Array(payload.length);
  for (let index = 0; index < payload.length; index += 1) output[index] = table[payload[index] ?? 0] ?? 0;
  return output;
}
