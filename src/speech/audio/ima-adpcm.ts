// IMA (DVI) ADPCM as WAV files hold it (format tag 0x11, the Microsoft layout), decoded here because wavefile's
// decoder gives 512 samples for each 256-byte block where the block holds 505: the audio came out stretched by
// 1.4 %, with a glitch at every block boundary (measured against sox on the same file).
//
// A block starts, per channel, with a 4-byte header (the first sample as int16, the step index, a reserved
// byte); then 4-byte words of 8 samples each, channels taking turns word by word, low nibble first.

/** The 89 quantizer step sizes of IMA ADPCM. */
const stepSizes = [
  7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45, 50, 55, 60, 66, 73, 80, 88, 97, 107,
  118, 130, 143, 157, 173, 190, 209, 230, 253, 279, 307, 337, 371, 408, 449, 494, 544, 598, 658, 724, 796, 876, 963,
  1060, 1166, 1282, 1411, 1552, 1707, 1878, 2066, 2272, 2499, 2749, 3024, 3327, 3660, 4026, 4428, 4871, 5358, 5894,
  6484, 7132, 7845, 8630, 9493, 10442, 11487, 12635, 13899, 15289, 16818, 18500, 20350, 22385, 24623, 27086, 29794,
  32767,
] as const;

/** How a nibble moves the step index. */
const indexSteps = [-1, -1, -1, -1, 2, 4, 6, 8] as const;

export class ImaAdpcmError extends Error {
  override name = 'ImaAdpcmError';
}

/**
 * Interleaved 16-bit samples of `data`. `samplesPerChannel` (the WAV's fact chunk) cuts the last block's
 * padding; without it every whole word of the last block is decoded. A last block cut short is decoded as far
 * as it goes.
 */
export function decodeImaAdpcm(data: Uint8Array, channels: number, blockAlign: number,
  samplesPerChannel?: number): Int16Array {
  if (!Number.isInteger(channels) || channels < 1) throw new ImaAdpcmError(`IMA ADPCM with ${channels} channels`);
  const header = 4 * channels;
  if (!Number.isInteger(blockAlign) || blockAlign <= header || (blockAlign - header) % header !== 0) {
    throw new ImaAdpcmError(`IMA ADPCM block of ${blockAlign} bytes does not fit ${channels} channel(s)`);
  }
  const frames: number[][] = Array.from({ length: channels }, () => []);
  for (let start = 0; start + header <= data.length; start += blockAlign) {
    const block = data.subarray(start, Math.min(start + blockAlign, data.length));
    const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
    const predictors: number[] = [];
    const indexes: number[] = [];
    for (let channel = 0; channel < channels; channel++) {
      predictors.push(view.getInt16(4 * channel, true));
      indexes.push(Math.min(Math.max(block[4 * channel + 2] ?? 0, 0), stepSizes.length - 1));
      frames[channel]?.push(predictors[channel] ?? 0);
    }
    // Whole words only: each channel's word of a turn must be there for the turn to count.
    const turns = Math.floor((block.length - header) / header);
    for (let turn = 0; turn < turns; turn++) {
      for (let channel = 0; channel < channels; channel++) {
        const word = header + turn * header + 4 * channel;
        for (let byte = 0; byte < 4; byte++) {
          const value = block[word + byte] ?? 0;
          for (const nibble of [value & 0x0f, value >> 4]) {
            const step = stepSizes[indexes[channel] ?? 0] ?? 7;
            let difference = step >> 3;
            if ((nibble & 4) !== 0) difference += step;
            if ((nibble & 2) !== 0) difference += step >> 1;
            if ((nibble & 1) !== 0) difference += step >> 2;
            const predicted = (predictors[channel] ?? 0) + ((nibble & 8) !== 0 ? -difference : difference);
            predictors[channel] = Math.min(Math.max(predicted, -32768), 32767);
            indexes[channel] = Math.min(Math.max((indexes[channel] ?? 0) + (indexSteps[nibble & 7] ?? 0), 0),
              stepSizes.length - 1);
            frames[channel]?.push(predictors[channel] ?? 0);
          }
        }
      }
    }
  }
  const length = Math.min(frames[0]?.length ?? 0, samplesPerChannel ?? Number.POSITIVE_INFINITY);
  const interleaved = new Int16Array(length * channels);
  for (let index = 0; index < length; index++) {
    for (let channel = 0; channel < channels; channel++) {
      interleaved[index * channels + channel] = frames[channel]?.[index] ?? 0;
    }
  }
  return interleaved;
}
