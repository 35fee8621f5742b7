// What of the line reaches the engine session (vad-stream.ts), frame by frame: one unbroken stretch from the
// pre-roll to the end of the hangover, pauses whole. The session here only records (a pure unit test of the
// stream); the real decoder path is tested in test/speech/pocketsphinx/decoded-silence.test.ts.
import { expect } from 'chai';
import { concatSamples } from '../../../src/speech/audio/samples.js';
import type { Hypothesis, RecognizeOptions } from '../../../src/speech/recognizer.js';
import { VadRecognitionStream, type UtteranceSession } from '../../../src/speech/vad-stream.js';

const samplesPerMs = 8;
const hangoverMs = 600;
const options: RecognizeOptions = { context: 'name', nBest: 1, noSpeechTimeoutMs: 5000, maxSpeechMs: 10_000,
  endSilenceMs: hangoverMs };

/** A 440 Hz tone (loud) or low white noise (the line), each sample tagged by its section for the checks. */
function section(kind: 'tone' | 'quiet', ms: number): Int16Array {
  const samples = new Int16Array(ms * samplesPerMs);
  for (let i = 0; i < samples.length; i += 1) {
    samples[i] = kind === 'tone' ? Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000))
      : ((i * 7919) % 41) - 20;
  }
  return samples;
}

class RecordingSession implements UtteranceSession {
  readonly written: Int16Array[] = [];
  trailingSilenceMs: number | null = null;
  write(samples: Int16Array): void {
    this.written.push(samples);
  }
  finish(_nBest: number, trailingSilenceMs: number): Promise<Hypothesis[]> {
    this.trailingSilenceMs = trailingSilenceMs;
    return Promise.resolve([{ text: 'heard', confidence: 0.9, phones: [] }]);
  }
  abort(): void {}
}

async function play(parts: Int16Array[], chunkMs: number, context: RecognizeOptions['context'] = 'name'):
Promise<{ session: RecordingSession; heardMs: number; audio: Int16Array; end: string }> {
  const session = new RecordingSession();
  const stream = new VadRecognitionStream({ ...options, context }, () => Promise.resolve(session));
  const audio = concatSamples(parts);
  const chunk = chunkMs * samplesPerMs;
  for (let at = 0; at < audio.length; at += chunk) {
    stream.write(audio.subarray(at, at + chunk));
    await new Promise((resolve) => setImmediate(resolve));
  }
  stream.end();
  const result = await stream.result;
  const heardMs = session.written.reduce((sum, frame) => sum + frame.length, 0) / samplesPerMs;
  return { session, heardMs, audio, end: result.end };
}

/** Where `heard` (the frames joined) sits in `audio`: it must be one contiguous stretch of it. */
function offsetIn(audio: Int16Array, heard: Int16Array): number {
  for (let start = 0; start + heard.length <= audio.length; start += 1) {
    let same = true;
    for (let i = 0; i < heard.length && same; i += 1) same = audio[start + i] === heard[i];
    if (same) return start;
  }
  return -1;
}


describe('recognition stream: what the engine hears of a pause', () => {
  for (const context of ['name', 'digits'] as const) {
    for (const chunkMs of [20, 60]) {
      it(`hands over a 440 ms pause between words and the whole hangover (${context}, ${chunkMs} ms chunks)`,
        async () => {
          const { session, heardMs, audio, end } = await play([section('quiet', 1000), section('tone', 400),
            section('quiet', 440), section('tone', 300), section('quiet', 1500)], chunkMs, context);
          expect(end).to.equal('end-of-speech');
          const heard = concatSamples(session.written);
          // One unbroken stretch of the audio, in order: the pause inside it, nothing reordered or skipped.
          const start = offsetIn(audio, heard);
          expect(start).to.be.greaterThan(0);
          const endMs = (start + heard.length) / samplesPerMs;
          // Speech ends at 2140 ms; the hangover follows it whole (the VAD decides on whole chunks).
          expect(endMs).to.be.within(2140 + hangoverMs - 20, 2140 + hangoverMs + chunkMs);
          // The pre-roll before the first tone at 1000 ms, and all of it up to there.
          expect(start / samplesPerMs).to.be.within(600, 1000);
          expect(heardMs).to.equal(endMs - start / samplesPerMs);
          expect(session.trailingSilenceMs).to.equal(hangoverMs);
        });
    }
  }

  it('hands over a pause almost as long as the hangover when speech resumes after it', async () => {
    const { session, audio } = await play([section('quiet', 600), section('tone', 300), section('quiet', 500),
      section('tone', 300), section('quiet', 1200)], 20);
    const heard = concatSamples(session.written);
    const start = offsetIn(audio, heard);
    expect(start).to.be.greaterThan(0);
    // 300 + 500 + 300 ms from the first tone on, then the hangover.
    expect((start + heard.length) / samplesPerMs).to.be.within(1700 + hangoverMs - 20, 1700 + hangoverMs + 20);
  });

  it('hands over speech that opens the stream from its first sample (found once the line goes quiet)',
    async () => {
      const { session, audio, end } = await play([section('tone', 400), section('quiet', 1500)], 20, 'digits');
      expect(end).to.equal('end-of-speech');
      const heard = concatSamples(session.written);
      expect(offsetIn(audio, heard)).to.equal(0);
      expect(heard.length / samplesPerMs).to.be.within(400 + hangoverMs - 20, 400 + hangoverMs + 20);
    });
});
