// A stream whose grammar comes later: every frame said before it opens reaches it, in order, then the rest;
// end and cancel before it opens are kept; nothing to open gives an empty result, never a hang.
import { expect } from 'chai';
import { DeferredStream } from '../../../src/speech/names/deferred-stream.js';
import type { Recognition, RecognitionStream } from '../../../src/speech/recognizer.js';

class NotingStream implements RecognitionStream {
  readonly frames: number[] = [];
  ended = false;
  cancelled = false;
  readonly listeners: Array<() => void> = [];
  readonly result: Promise<Recognition>;
  private finish: (recognition: Recognition) => void = () => undefined;

  constructor() {
    this.result = new Promise((resolve) => { this.finish = resolve; });
  }

  write(frame: Int16Array): void {
    this.frames.push(frame[0] ?? -1);
  }

  end(): void {
    this.ended = true;
    this.finish({ hypotheses: [{ text: 'ames', confidence: 1, phones: [] }], end: 'finished', speechMs: 400,
      latencyMs: 3 });
  }

  cancel(): void {
    this.cancelled = true;
    this.finish({ hypotheses: [], end: 'cancelled', speechMs: 0, latencyMs: 0 });
  }

  onSpeechStart(listener: () => void): void {
    this.listeners.push(listener);
  }
}

const frame = (value: number): Int16Array => Int16Array.of(value, value);

describe('speech/names: a stream opened once its grammar is built (DeferredStream)', () => {
  it('gives the opened stream every frame in order, those kept before it opened first', async () => {
    let open: (stream: RecognitionStream) => void = () => undefined;
    const inner = new NotingStream();
    const stream = new DeferredStream(new Promise((resolve) => { open = resolve; }));
    const heard: string[] = [];
    stream.onSpeechStart(() => heard.push('speech'));
    stream.write(frame(1));
    const kept = frame(2);
    stream.write(kept);
    kept[0] = 99; // the caller's buffer is reused by the endpoint: the stream kept its own copy
    open(inner);
    await new Promise((resolve) => setImmediate(resolve));
    stream.write(frame(3));
    expect(inner.frames).to.deep.equal([1, 2, 3]);
    expect(inner.listeners).to.have.length(1);
    stream.end();
    expect((await stream.result).hypotheses[0]?.text).to.equal('ames');
  });

  it('ends the stream when it opens if the caller already stopped; cancels one that opens too late', async () => {
    const early = new NotingStream();
    const ended = new DeferredStream(new Promise((resolve) => { setImmediate(() => resolve(early)); }));
    ended.write(frame(7));
    ended.end();
    expect((await ended.result).end).to.equal('finished');
    expect(early.frames).to.deep.equal([7]);
    expect(early.ended).to.equal(true);
    const late = new NotingStream();
    const dropped = new DeferredStream(new Promise((resolve) => { setImmediate(() => resolve(late)); }));
    dropped.cancel();
    expect((await dropped.result).end).to.equal('cancelled');
    expect(late.cancelled).to.equal(true);
  });

  it('resolves empty when there is nothing to listen with, or opening failed', async () => {
    const nothing = new DeferredStream(Promise.resolve(null));
    nothing.write(frame(1));
    expect(await nothing.result).to.deep.equal({ hypotheses: [], end: 'finished', speechMs: 0, latencyMs: 0 });
    const failed = new DeferredStream(Promise.reject(new Error('grammar build failed')));
    expect((await failed.result).hypotheses).to.deep.equal([]);
  });
});
