// FAKE mod_audio_fork, the websocket client side of the fake FreeSWITCH (tests only). Like the real
// module after `uuid_audio_fork <uuid> start <url> mono 8k <metadata>`: connects to <url> offering the
// audio.drachtio.org subprotocol, sends <metadata> as one text frame, then streams the caller's audio
// as binary frames of L16 little-endian 8 kHz mono, 20 ms (320 bytes) each, in real time: line silence
// unless the test makes the caller say something.
import WebSocket from 'ws';

const frameSamples = 160;
const frameMs = 20;

export class FakeAudioFork {
  private readonly socket: WebSocket;
  private readonly queue: Array<{ samples: Int16Array; offset: number; done: () => void }> = [];
  private timer: NodeJS.Timeout | null = null;
  /** Frames sent so far (speech and silence). */
  framesSent = 0;
  readonly opened: Promise<void>;
  readonly closed: Promise<void>;

  constructor(readonly url: string, metadata: string, protocol = 'audio.drachtio.org') {
    this.socket = new WebSocket(url, protocol);
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    this.opened.then(() => {
      this.socket.send(metadata);
      this.timer = setInterval(() => this.sendFrame(), frameMs);
    }, () => undefined);
    void this.closed.then(() => this.stopTimer());
  }

  /** The caller says `samples` (8 kHz); resolves when the last of it has been sent. */
  say(samples: Int16Array): Promise<void> {
    return new Promise((resolve) => this.queue.push({ samples, offset: 0, done: resolve }));
  }

  private sendFrame(): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    const frame = new Int16Array(frameSamples);
    let filled = 0;
    while (filled < frameSamples && this.queue.length > 0) {
      const head = this.queue[0];
      if (head === undefined) break;
      const take = Math.min(frameSamples - filled, head.samples.length - head.offset);
      frame.set(head.samples.subarray(head.offset, head.offset + take), filled);
      filled += take;
      head.offset += take;
      if (head.offset >= head.samples.length) {
        this.queue.shift();
        head.done();
      }
    }
    const bytes = Buffer.alloc(frameSamples * 2);
    for (let index = 0; index < frameSamples; index += 1) bytes.writeInt16LE(frame[index] ?? 0, index * 2);
    this.socket.send(bytes, { binary: true });
    this.framesSent += 1;
  }

  private stopTimer(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    for (const pending of this.queue.splice(0)) pending.done();
  }

  /** `uuid_audio_fork <uuid> stop`, or the channel hung up. */
  close(): void {
    this.stopTimer();
    if (this.socket.readyState === WebSocket.CONNECTING) this.socket.terminate();
    else this.socket.close(1000);
  }
}
