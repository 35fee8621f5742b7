// A recognition stream whose grammar is only known later (the roll generation's, built in the background):
// the caller's frames are kept until the stream underneath opens, then given to it in order, so nothing
// said while the grammar was being built is lost. It opens to null when there is nothing to listen with
// (no roll yet): the result is then empty, as a stream that heard nothing.
import { nothingHeard, type Recognition, type RecognitionStream } from '../recognizer.js';

export class DeferredStream implements RecognitionStream {
  readonly result: Promise<Recognition>;
  private readonly kept: Int16Array[] = [];
  private inner: RecognitionStream | null = null;
  private ended = false;
  private cancelled = false;
  private readonly speechListeners: Array<() => void> = [];

  constructor(opening: Promise<RecognitionStream | null>) {
    this.result = opening.then((stream) => {
      if (stream === null || this.cancelled) {
        stream?.cancel();
        return nothingHeard(this.cancelled ? 'cancelled' : 'finished');
      }
      this.inner = stream;
      for (const listener of this.speechListeners) stream.onSpeechStart(listener);
      for (const frame of this.kept) stream.write(frame);
      this.kept.length = 0;
      if (this.ended) stream.end();
      return stream.result;
    }, () => nothingHeard('finished'));
  }

  write(frame: Int16Array): void {
    if (this.ended || this.cancelled) return;
    if (this.inner === null) this.kept.push(frame.slice());
    else this.inner.write(frame);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.inner?.end();
  }

  cancel(): void {
    this.cancelled = true;
    this.inner?.cancel();
  }

  onSpeechStart(listener: () => void): void {
    this.speechListeners.push(listener);
    this.inner?.onSpeechStart(listener);
  }

  async partial(): Promise<string | null> {
    return (await this.inner?.partial?.()) ?? null;
  }
}
