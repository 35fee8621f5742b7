// Feeds telephone audio to a recognizer the way the endpoint does: 20 ms frames, then end().
import type { Recognition, Recognizer, RecognizeOptions } from '../../../src/speech/recognizer.js';

export const listenDefaults = { noSpeechTimeoutMs: 5000, maxSpeechMs: 10_000, nBest: 5 } as const;

export async function recognize(recognizer: Recognizer, samples: Int16Array,
  options: Partial<RecognizeOptions> & Pick<RecognizeOptions, 'context'>): Promise<Recognition & { speechStarts: number }> {
  const stream = recognizer.start({ ...listenDefaults, ...options });
  let speechStarts = 0;
  stream.onSpeechStart(() => { speechStarts += 1; });
  for (let offset = 0; offset < samples.length; offset += 160) {
    stream.write(samples.subarray(offset, offset + 160));
    // Let decode calls interleave as they would with paced RTP.
    if (offset % 1600 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  stream.end();
  return { ...(await stream.result), speechStarts };
}

/**
 * The same, one frame every `frameMs` of wall time (RTP brings 20 ms frames every 20 ms): passes that follow the
 * caller live (two-pass-stream.ts) open while the audio is still coming, as on a call.
 */
export async function recognizePaced(recognizer: Recognizer, samples: Int16Array,
  options: Partial<RecognizeOptions> & Pick<RecognizeOptions, 'context'>, frameMs = 10): Promise<Recognition> {
  const stream = recognizer.start({ ...listenDefaults, ...options });
  for (let offset = 0; offset < samples.length; offset += 160) {
    stream.write(samples.subarray(offset, offset + 160));
    await new Promise((resolve) => setTimeout(resolve, frameMs));
  }
  stream.end();
  return stream.result;
}
