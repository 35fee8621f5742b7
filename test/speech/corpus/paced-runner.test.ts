// The corpus runner's two ways of streaming and its latency per context. RecordingRecognizer is a named
// TEST DOUBLE of the recognizer port that recognizes nothing: it notes when each frame arrived and answers
// once it has heard a set amount of audio, so the test can see the runner's pacing. The real engine runs
// through the same runner in corpus-run.test.ts and the speech benchmark.
import { expect } from 'chai';
import { recognizePcm, type CorpusRun, type ItemResult } from '../../../src/speech/corpus/runner.js';
import { latencyByContext, latencyLines } from '../../../src/speech/corpus/summary.js';
import { endSilenceMsByContext } from '../../../src/speech/end-silence.js';
import type {
  GrammarContext, Recognition, RecognitionStream, Recognizer, RecognizeOptions,
} from '../../../src/speech/recognizer.js';

class RecordingRecognizer implements Recognizer {
  readonly engine = 'recording';
  readonly arrivals: number[] = [];
  readonly frames: Int16Array[] = [];
  readonly started: RecognizeOptions[] = [];

  constructor(private readonly answerAfterFrames: number) {}

  start(options: RecognizeOptions): RecognitionStream {
    this.started.push(options);
    let resolve: (recognition: Recognition) => void = () => undefined;
    const result = new Promise<Recognition>((done) => { resolve = done; });
    const answer = (): void => { resolve({ hypotheses: [], end: 'end-of-speech', speechMs: 0, latencyMs: 0 }); };
    return {
      write: (frame: Int16Array) => {
        this.arrivals.push(performance.now());
        this.frames.push(frame.slice());
        if (this.arrivals.length === this.answerAfterFrames) answer();
      },
      end: answer,
      cancel: answer,
      onSpeechStart: () => undefined,
      result,
    };
  }

  async close(): Promise<void> {}
}

describe('speech corpus: paced streaming and latency per context', function () {
  this.timeout(30_000);

  it('paced, each 20 ms frame leaves no earlier than its time, and feeding stops at the result', async () => {
    const recognizer = new RecordingRecognizer(30);
    // 0.4 s of audio and 1 s of trailing silence: 70 frames, but the answer comes after 30.
    await recognizePcm(recognizer, new Int16Array(3200), { context: 'yesno', nBest: 1, trailingSilenceMs: 1000,
      paced: true });
    const first = recognizer.arrivals[0] ?? 0;
    recognizer.arrivals.forEach((at, frame) => {
      expect(at - first, `frame ${frame}`).to.be.at.least(frame * 20 - 2);
    });
    expect(recognizer.arrivals.length, 'no frame after the result (a caller would have stopped being heard)')
      .to.be.at.most(31);
  });

  it('as fast as written, every frame goes at once, trailing silence included', async () => {
    const recognizer = new RecordingRecognizer(1000);
    await recognizePcm(recognizer, new Int16Array(3200), { context: 'yesno', nBest: 1, trailingSilenceMs: 1000 });
    expect(recognizer.arrivals).to.have.length(70);
    expect((recognizer.arrivals.at(-1) ?? 0) - (recognizer.arrivals[0] ?? 0)).to.be.below(500);
  });

  it("after the file, the caller's line: noise at the file's quietest level, the same every run", async () => {
    // Half a second of hiss at RMS ~100, then a loud tone: the line is the hiss's level, not digital zeros.
    const pcm = new Int16Array(8000);
    for (let i = 0; i < pcm.length; i += 1) {
      pcm[i] = i < 4000 ? (i % 2 === 0 ? 100 : -100) : Math.round(8000 * Math.sin(i / 3));
    }
    const heard = async (): Promise<Int16Array> => {
      const recognizer = new RecordingRecognizer(1000);
      await recognizePcm(recognizer, pcm, { context: 'digits', nBest: 1, trailingSilenceMs: 1000 });
      const all = new Int16Array(recognizer.frames.reduce((sum, frame) => sum + frame.length, 0));
      let at = 0;
      for (const frame of recognizer.frames) { all.set(frame, at); at += frame.length; }
      return all;
    };
    const first = await heard();
    expect(first).to.have.length(pcm.length + 8000);
    expect([...first.subarray(0, pcm.length)]).to.deep.equal([...pcm]);
    const tail = first.subarray(pcm.length);
    const rms = Math.sqrt(tail.reduce((sum, sample) => sum + sample * sample, 0) / tail.length);
    expect(rms).to.be.within(90, 110);
    expect([...await heard()]).to.deep.equal([...first]);
  });

  it('each context ends on the hangover the dialog listens with (short answers sooner)', async () => {
    const recognizer = new RecordingRecognizer(1);
    for (const context of ['yesno', 'command', 'vote', 'name', 'phone'] as const) {
      await recognizePcm(recognizer, new Int16Array(160), { context, nBest: 1, trailingSilenceMs: 0 });
    }
    expect(recognizer.started.map((options) => [options.context, options.endSilenceMs])).to.deep.equal([
      ['yesno', endSilenceMsByContext.yesno], ['command', endSilenceMsByContext.command],
      ['vote', endSilenceMsByContext.vote], ['name', undefined], ['phone', undefined]]);
    expect(endSilenceMsByContext.yesno, 'a short answer ends sooner than the engine default').to.be.below(600);
  });

  it('gives p50/p95 per context over the items that got a result', () => {
    const item = (context: GrammarContext, latencyMs: number | null): ItemResult => ({ index: 0,
      item: { audio: 'a.wav', context, expected: 'x' }, audioPath: '/a.wav',
      judgement: { outcome: 'rejected', value: null, candidates: [] }, heard: '', hypotheses: [], error: null,
      warnings: [], audioMs: 1000, latencyMs, processingMs: 1, end: latencyMs === null ? null : 'end-of-speech' });
    const names = Array.from({ length: 20 }, (_, index) => item('name', (index + 1) * 100));
    const run: CorpusRun = { results: [...names, item('yesno', 5), item('yesno', 7), item('digits', null)],
      audioMs: 23_000, processingMs: 23 };
    const byContext = latencyByContext(run);
    expect(byContext.name).to.deep.equal({ items: 20, p50: 1000, p95: 1900 });
    expect(byContext.yesno).to.deep.equal({ items: 2, p50: 5, p95: 7 });
    expect(byContext.digits, 'no item of the context got a result').to.equal(undefined);
    expect(latencyLines(run)).to.deep.equal(['yesno    latency p50 5 ms  p95 7 ms (2 items)',
      'name     latency p50 1000 ms  p95 1900 ms (20 items)']);
  });
});
