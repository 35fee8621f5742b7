// The engine-independent half of a RecognitionStream: the VAD decides when speech starts (barge-in)
// and ends, keeps a short pre-roll so the first consonant is not lost, and hands the audio to an
// engine session. Engines only implement UtteranceSession (pocketsphinx, Vosk). The engine hears every
// frame from the pre-roll to the end of the hangover: a name's town, whose last syllables are often quieter
// than the VAD's level, is decoded to its end (end-silence.ts says what handing over less cost). A session told
// how long the caller has been quiet may decode before the hangover ends (pocketsphinx/whole-utterance-session.ts).
import { strict as assert } from 'node:assert';
import { DcBlocker } from './audio/dc-blocker.js';
import { EnergyVad, hangoverMsDefault, vadOpeningMs, type VadEvent } from './audio/vad.js';
import type { Hypothesis, Recognition, RecognitionEnd, RecognitionStream, RecognizeOptions } from './recognizer.js';

/**
 * Audio handed over from before the VAD's speech start (onsets are quiet): 240 ms, which is the 300 ms
 * before the VAD decides when it decides as the speech comes (three frames in). Within the stream's
 * opening all of it is kept: the VAD may find there, later, speech that began at once.
 */
const preRollMs = 240;
/** Audio kept outside the opening: the pre-roll and the frames the VAD needs to decide. */
const preRollKeptMs = 300;
const samplesPerMs = 8;

/** One utterance inside an engine: audio in (8 kHz), hypotheses out. */
export interface UtteranceSession {
  write(samples: Int16Array): void;
  /**
   * Decode what came; best first, at most nBest. `trailingSilenceMs` is the VAD's hangover at the end of
   * the audio (engines that normalize over the whole utterance may leave most of it out).
   */
  finish(nBest: number, trailingSilenceMs: number): Promise<Hypothesis[]>;
  /**
   * After each write once speech started: how long the caller has been quiet (0: speaking). A session that
   * decodes the answer whole may start on what it has before the hangover ends; optional.
   */
  quiet?(silenceMs: number): void;
  /** The best reading of what was written so far (RecognitionStream.partial); optional. */
  partial?(): Promise<string | null>;
  /** Drop the utterance and give the engine's resources back. */
  abort(): void;
}

export type SessionOpener = (options: RecognizeOptions) => Promise<UtteranceSession>;

export class VadRecognitionStream implements RecognitionStream {
  readonly result: Promise<Recognition>;
  private resolveResult!: (recognition: Recognition) => void;
  private readonly vad: EnergyVad;
  private readonly dcBlocker = new DcBlocker();
  private preRoll: Array<{ samples: Int16Array; start: number }> = [];
  private writtenSamples = 0;
  private session: Promise<UtteranceSession> | null = null;
  private speechListeners: Array<() => void> = [];
  private settled = false;
  private speechMs = 0;
  private readonly endSilenceMs: number;

  constructor(private readonly options: RecognizeOptions, private readonly open: SessionOpener) {
    assert(options.nBest >= 1, 'nBest must be at least 1');
    this.endSilenceMs = options.endSilenceMs ?? hangoverMsDefault;
    this.vad = new EnergyVad({ sampleRate: 8000, hangoverMs: this.endSilenceMs,
      noSpeechTimeoutMs: options.noSpeechTimeoutMs, maxSpeechMs: options.maxSpeechMs });
    this.result = new Promise((resolve) => { this.resolveResult = resolve; });
  }

  onSpeechStart(listener: () => void): void {
    this.speechListeners.push(listener);
  }

  partial(): Promise<string | null> {
    const session = this.session;
    if (session === null || this.settled) return Promise.resolve(null);
    return session.then(async (open) => (this.settled ? null : await open.partial?.() ?? null), () => null);
  }

  write(heard: Int16Array): void {
    if (this.settled) return;
    const frame = this.dcBlocker.process(heard);
    const events = this.vad.process(frame);
    if (this.session === null) this.keepPreRoll(frame);
    else this.feed(frame, this.vad.silenceMs);
    this.writtenSamples += frame.length;
    for (const event of events) this.handle(event);
  }

  end(): void {
    if (this.settled) return;
    if (this.session === null) this.settle([], 'finished', 0);
    else this.decode('finished', 0);
  }

  cancel(): void {
    if (this.settled) return;
    const session = this.session;
    this.settle([], 'cancelled', 0);
    if (session !== null) void session.then((open) => { open.abort(); }, () => undefined);
  }

  private handle(event: VadEvent): void {
    if (event.kind === 'speech-start') {
      this.startSession(event.atMs);
      for (const listener of this.speechListeners) listener();
    } else if (event.kind === 'no-speech') {
      this.settle([], 'no-speech', 0);
    } else if (event.kind === 'speech-end') {
      this.speechMs = event.speechMs;
      this.decode('end-of-speech', this.endSilenceMs);
    } else {
      this.speechMs = event.speechMs;
      this.decode('max-duration', 0);
    }
  }

  private keepPreRoll(frame: Int16Array): void {
    this.preRoll.push({ samples: frame.slice(), start: this.writtenSamples });
    const end = this.writtenSamples + frame.length;
    if (end > vadOpeningMs * samplesPerMs) this.dropPreRollBefore(end - preRollKeptMs * samplesPerMs);
  }

  /** Drops whole frames that end at or before `sample` (the last frame always stays). */
  private dropPreRollBefore(sample: number): void {
    while (this.preRoll.length > 1) {
      const first = this.preRoll[0];
      if (first === undefined || first.start + first.samples.length > sample) return;
      this.preRoll.shift();
    }
  }

  private startSession(speechStartMs: number): void {
    this.dropPreRollBefore((speechStartMs - preRollMs) * samplesPerMs);
    const buffered = this.preRoll.map((frame) => frame.samples);
    this.preRoll = [];
    this.session = this.open(this.options).then((session) => {
      for (const frame of buffered) session.write(frame);
      return session;
    });
    // A failed open settles with no hypotheses (the port never rejects); the error is the engine's to log.
    this.session.catch(() => { this.settle([], 'finished', 0); });
  }

  private feed(frame: Int16Array, silenceMs: number): void {
    const copy = frame.slice();
    void this.session?.then((session) => {
      session.write(copy);
      session.quiet?.(silenceMs);
    }, () => undefined);
  }

  private decode(end: RecognitionEnd, trailingSilenceMs: number): void {
    const session = this.session;
    if (session === null) {
      this.settle([], end, 0);
      return;
    }
    const endedAt = performance.now();
    this.settled = true;
    session.then((open) => open.finish(this.options.nBest, trailingSilenceMs))
      .then((hypotheses) => { this.deliver(hypotheses, end, performance.now() - endedAt); },
        () => { this.deliver([], end, performance.now() - endedAt); });
  }

  private settle(hypotheses: Hypothesis[], end: RecognitionEnd, latencyMs: number): void {
    if (this.settled) return;
    this.settled = true;
    this.deliver(hypotheses, end, latencyMs);
  }

  private deliver(hypotheses: Hypothesis[], end: RecognitionEnd, latencyMs: number): void {
    this.resolveResult({ hypotheses, end, speechMs: this.speechMs, latencyMs });
  }
}
