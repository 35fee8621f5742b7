// Debian's pocketsphinx-en-us ships its mixture weights only as `sendump` (8-bit quantized negative logs,
// the form the decoder reads fast), but sphinxtrain's bw needs them as an s3 `mixture_weights` file of
// float32 probabilities. This turns one into the other: each byte q stands for p = 1.0001^-(q·2^10) (the
// decoder's log base and SENSCR_SHIFT), renormalized per senone and feature stream. The quantization
// (steps of ~10 %) is harmless here: bw only needs the weights to share out each frame among the Gaussians.
import { readFile, writeFile } from 'node:fs/promises';

/** pocketsphinx's default -logbase and the shift that makes mixture weights fit in 8 bits. */
const logBase = 1.0001;
const quantShift = 10;

export interface MixtureWeights {
  readonly senones: number;
  readonly streams: number;
  readonly densities: number;
  /** Probabilities in s3 order: [senone][stream][density]. */
  readonly weights: Float32Array;
}

export class SendumpFormatError extends Error {
  constructor(path: string, reason: string) {
    super(`${path} is not a pocketsphinx sendump this tool reads: ${reason}`);
    this.name = 'SendumpFormatError';
  }
}

/** Reads an 8-bit, unclustered sendump of a PTM/semi-continuous model (what Debian's en-us model has). */
export async function readSendump(path: string, densities: number): Promise<MixtureWeights> {
  const data = await readFile(path);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 0;
  const int32 = (): number => {
    if (offset + 4 > data.length) throw new SendumpFormatError(path, 'truncated header');
    const value = view.getInt32(offset, true);
    offset += 4;
    return value;
  };
  let streams = 1;
  let clusters = 0;
  // Length-prefixed header strings, ended by a zero length.
  for (let length = int32(); length !== 0; length = int32()) {
    if (length < 0 || offset + length > data.length) throw new SendumpFormatError(path, 'bad header string length');
    const line = data.subarray(offset, offset + length).toString('latin1').replace(/\0+$/, '');
    offset += length;
    const [key, value] = line.split(' ');
    if (key === 'feature_count') streams = Number(value);
    if (key === 'cluster_count') clusters = Number(value);
  }
  if (clusters !== 0) throw new SendumpFormatError(path, `clustered (4-bit) weights (cluster_count ${clusters})`);
  const rows = int32();
  const senones = int32();
  if (rows !== densities) throw new SendumpFormatError(path, `${rows} densities, the model's means have ${densities}`);
  if (offset + streams * rows * senones !== data.length) {
    throw new SendumpFormatError(path, `size ${data.length} does not match ${streams}×${rows}×${senones} weights`);
  }
  const weights = new Float32Array(senones * streams * densities);
  const nats = -Math.log(logBase) * 2 ** quantShift;
  // The file is [stream][density][senone]; s3 wants [senone][stream][density].
  for (let stream = 0; stream < streams; stream++) {
    for (let density = 0; density < densities; density++) {
      const row = offset + (stream * densities + density) * senones;
      for (let senone = 0; senone < senones; senone++) {
        weights[(senone * streams + stream) * densities + density] = Math.exp(nats * (data[row + senone] ?? 255));
      }
    }
  }
  for (let start = 0; start < weights.length; start += densities) {
    let sum = 0;
    for (let i = start; i < start + densities; i++) sum += weights[i] ?? 0;
    for (let i = start; i < start + densities; i++) weights[i] = (weights[i] ?? 0) / sum;
  }
  return { senones, streams, densities, weights };
}

/** Reads the Gaussian count per codebook from an s3 means file header (to check the sendump against it). */
export async function readDensityCount(meansPath: string): Promise<number> {
  const data = await readFile(meansPath);
  const end = data.indexOf('endhdr\n');
  if (!data.subarray(0, 3).equals(Buffer.from('s3\n')) || end < 0) throw new Error(`${meansPath} is not an s3 file`);
  const body = end + 'endhdr\n'.length + 4;
  const view = new DataView(data.buffer, data.byteOffset + body, 12);
  // n_codebooks, n_streams, n_densities (little-endian on the machines Debian builds for).
  return view.getInt32(8, true);
}

/** Writes an s3 mixture_weights file (no checksum: readers check one only when the header says so). */
export async function writeMixtureWeights(path: string, mixture: MixtureWeights): Promise<void> {
  const header = Buffer.from('s3\nversion 1.0\nendhdr\n', 'latin1');
  const counts = new DataView(new ArrayBuffer(20));
  counts.setUint32(0, 0x11223344, true);
  counts.setInt32(4, mixture.senones, true);
  counts.setInt32(8, mixture.streams, true);
  counts.setInt32(12, mixture.densities, true);
  counts.setInt32(16, mixture.weights.length, true);
  const body = Buffer.from(mixture.weights.buffer, mixture.weights.byteOffset, mixture.weights.byteLength);
  await writeFile(path, Buffer.concat([header, Buffer.from(counts.buffer), body]));
}
