// Energy voice-activity detector with an adaptive noise floor and a hangover, on 8 kHz telephone audio.
// Speech = frame energy well above the floor for a few frames in a row; the floor follows the quietest
// recent frames fast and rises only slowly, so steady line noise (hiss, hum) becomes floor instead of
// speech, while a caller's pauses between words stay inside the hangover.
//
// The floor's first estimate is the first frame. A stream that opens on speech (a recording cut tight, a
// caller already talking) sets it at the speech's own level, and a word that never falls 10 dB below its
// opening was never heard ("audit" from espeak-ng: no hypothesis at all). So the opening frames are looked
// back at against each new floor: a run of them loud by today's floor is speech from where it began.
import { strict as assert } from 'node:assert';

export interface VadOptions {
  readonly sampleRate: number;
  /** Silence after speech that ends the utterance (SPEC: answer quickly, but not inside a pause). */
  readonly hangoverMs: number;
  /** Nothing but silence this long: give up ('no-speech'). */
  readonly noSpeechTimeoutMs: number;
  /** Speech longer than this is cut ('max-duration'). */
  readonly maxSpeechMs: number;
}

export const vadFrameMs = 20;
export const hangoverMsDefault = 600;
/** Energy above the floor that counts as speech, in dB. */
const speechAboveFloorDb = 10;
/** Below this absolute level nothing is speech (digital silence, a muted line): -55 dBFS. */
const absoluteSpeechMinDb = -55;
/** Speech frames in a row before speech starts (60 ms: a click or a pop does not barge in). */
const startFramesMin = 3;
/** How fast the floor rises during loud frames, in dB per frame (2.5 dB/s), and falls toward quieter ones. */
const floorRiseDbPerFrame = 0.05;
const floorFallFraction = 0.3;
/** Slower inside speech (0.5 dB/s), so a long sentence is not swallowed by its own floor. */
const floorRiseInSpeechDbPerFrame = 0.01;
/**
 * Below this a frame is digital silence, not line noise (G.711's quietest nonzero level is about -72 dBFS): a
 * lost packet a jitter buffer filled with zeros, a phone's noise suppression, a synthetic voice's pause.
 */
const dropoutDb = -80;
/**
 * How far digital silence may take the floor under the line's own quietest sound. Without a limit two lost
 * packets inside a word pulled the floor 35 dB under the line's hiss, the hiss after the answer then counted
 * as speech, and the answer never ended (the floor rises 0.5 dB/s in speech). Some limit is needed because
 * zeros where a line is otherwise silent do mean quiet: a voice's /t/ after a silent closure is still speech.
 */
const dropoutBelowLineDbMax = 8;
/**
 * A sound that stays within this band for this long is steady noise, not speech (syllables swing the level
 * by 10-30 dB several times a second). Inside speech the floor rises only 0.5 dB/s, so a floor left under
 * the line's noise (by a quiet stretch, a lost packet) would count the noise after the answer as speech
 * for many seconds; steady noise ends the speech where it began instead.
 */
const steadyBandDb = 6;
const steadyMs = 1000;
/** …and at least this far under the utterance's loudest frame: a held "ummm" is speech, line noise is not. */
const steadyBelowPeakDbMin = 10;
/** How much of a stream's opening is looked back at once the floor is lower (then the floor is trusted). */
export const vadOpeningMs = 2000;

export type VadEvent =
  | { kind: 'speech-start'; atMs: number }
  | { kind: 'speech-end'; atMs: number; speechMs: number }
  | { kind: 'no-speech'; atMs: number }
  | { kind: 'max-duration'; atMs: number; speechMs: number };

/** Frame level in dB relative to full scale 16-bit. */
export function frameDb(samples: Int16Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) {
    const value = samples[i] ?? 0;
    sum += value * value;
  }
  const meanSquare = sum / Math.max(1, end - start);
  return 10 * Math.log10(meanSquare / (32_768 * 32_768) + 1e-12);
}

export class EnergyVad {
  private readonly frameSamples: number;
  private pending: Int16Array = new Int16Array(0);
  private floorDb: number | null = null;
  /** The floor as the frames that are not digital silence alone would set it: the line's own noise. */
  private lineFloorDb: number | null = null;
  /** The latest run of frames (in speech, digital silence left out) whose levels stay within steadyBandDb. */
  private steady: { readonly startMs: number; minDb: number; maxDb: number } | null = null;
  /** The loudest frame since speech started. */
  private speechPeakDb = -Infinity;
  private elapsedMs = 0;
  private speechRun = 0;
  private speechRunStartMs = 0;
  private silenceRunMs = 0;
  private speechStartMs: number | null = null;
  private lastSpeechMs = 0;
  private done = false;
  /** Levels of the frames so far while within the opening (null after it, or once speech started). */
  private opening: number[] | null = [];

  constructor(private readonly options: VadOptions) {
    assert(options.sampleRate >= 8000, 'sample rate must be at least 8000');
    assert(options.hangoverMs >= vadFrameMs && options.noSpeechTimeoutMs > 0 && options.maxSpeechMs > 0);
    this.frameSamples = Math.round((options.sampleRate * vadFrameMs) / 1000);
  }

  get inSpeech(): boolean {
    return this.speechStartMs !== null;
  }

  /** Since speech started: how long the caller has been quiet (0 while they speak, and before speech). */
  get silenceMs(): number {
    return this.speechStartMs === null ? 0 : this.silenceRunMs;
  }

  get noiseFloorDb(): number | null {
    return this.floorDb;
  }

  /** Feeds samples; returns the events they caused (at most one start and one end per utterance). */
  process(samples: Int16Array): VadEvent[] {
    if (this.done) return [];
    const joined = new Int16Array(this.pending.length + samples.length);
    joined.set(this.pending, 0);
    joined.set(samples, this.pending.length);
    const events: VadEvent[] = [];
    let offset = 0;
    for (; offset + this.frameSamples <= joined.length && !this.done; offset += this.frameSamples) {
      const event = this.frame(frameDb(joined, offset, offset + this.frameSamples));
      if (event !== null) events.push(event);
    }
    this.pending = joined.slice(offset);
    return events;
  }

  private frame(db: number): VadEvent | null {
    this.elapsedMs += vadFrameMs;
    const loud = this.loudAgainstFloor(db);
    const floor = this.followed(this.floorDb, db);
    // Its first estimate is the floor so far: after digital silence the first sound may be the caller speaking.
    if (db >= dropoutDb) this.lineFloorDb = this.followed(this.lineFloorDb ?? this.floorDb, db);
    this.floorDb = this.lineFloorDb === null ? floor : Math.max(floor, this.lineFloorDb - dropoutBelowLineDbMax);
    if (this.speechStartMs === null) {
      this.opening?.push(db);
      if (this.elapsedMs > vadOpeningMs) this.opening = null;
      this.steady = null;
      this.speechPeakDb = -Infinity;
      return (db < dropoutDb ? null : this.beforeSpeech(loud)) ?? this.openingSpeech() ?? this.noSpeechYet();
    }
    return this.steadyNoise(db) ?? this.inSpeechFrame(loud);
  }

  /** In speech: a second of steady sound is noise, so the speech ended where it began (and the hangover is over). */
  private steadyNoise(db: number): VadEvent | null {
    if (db < dropoutDb) return null;
    this.speechPeakDb = Math.max(this.speechPeakDb, db);
    const run = this.steady;
    if (run === null || Math.max(run.maxDb, db) - Math.min(run.minDb, db) > steadyBandDb) {
      this.steady = { startMs: this.elapsedMs - vadFrameMs, minDb: db, maxDb: db };
      return null;
    }
    run.minDb = Math.min(run.minDb, db);
    run.maxDb = Math.max(run.maxDb, db);
    if (this.elapsedMs - run.startMs < steadyMs || run.maxDb > this.speechPeakDb - steadyBelowPeakDbMin) return null;
    const start = this.speechStartMs ?? 0;
    this.lastSpeechMs = Math.max(start, Math.min(this.lastSpeechMs, run.startMs));
    this.done = true;
    return { kind: 'speech-end', atMs: this.elapsedMs, speechMs: this.lastSpeechMs - start };
  }

  /** A floor after a frame: it tracks quiet frames quickly and creeps up under loud ones (steady noise is absorbed). */
  private followed(floorDb: number | null, db: number): number {
    const floor = floorDb ?? db;
    const rise = this.speechStartMs === null ? floorRiseDbPerFrame : floorRiseInSpeechDbPerFrame;
    return db < floor ? floor + (db - floor) * floorFallFraction : floor + rise;
  }

  private loudAgainstFloor(db: number): boolean {
    return db > Math.max((this.floorDb ?? db) + speechAboveFloorDb, absoluteSpeechMinDb);
  }

  /**
   * Speech the opening held that the first floor hid: the first run of startFramesMin frames loud by the
   * current floor. Speech starts where the run began; the frames since are replayed as speech or pause.
   */
  private openingSpeech(): VadEvent | null {
    const opening = this.opening;
    if (opening === null) return null;
    let run = 0;
    let first = -1;
    let runFirst = 0;
    for (let index = 0; index < opening.length && first < 0; index++) {
      const db = opening[index] ?? 0;
      if (db < dropoutDb) continue;
      if (!this.loudAgainstFloor(db)) {
        run = 0;
        continue;
      }
      if (run === 0) runFirst = index;
      run += 1;
      if (run >= startFramesMin) first = runFirst;
    }
    if (first < 0) return null;
    this.speechStartMs = first * vadFrameMs;
    this.lastSpeechMs = this.speechStartMs;
    for (let index = first; index < opening.length; index++) {
      if (this.loudAgainstFloor(opening[index] ?? 0)) this.lastSpeechMs = (index + 1) * vadFrameMs;
    }
    this.silenceRunMs = this.elapsedMs - this.lastSpeechMs;
    this.opening = null;
    return { kind: 'speech-start', atMs: this.speechStartMs };
  }

  /** A frame that is not digital silence, before speech (a lost packet neither starts nor breaks a run). */
  private beforeSpeech(loud: boolean): VadEvent | null {
    if (!loud) {
      this.speechRun = 0;
      return null;
    }
    if (this.speechRun === 0) this.speechRunStartMs = this.elapsedMs - vadFrameMs;
    this.speechRun += 1;
    if (this.speechRun >= startFramesMin) {
      this.speechStartMs = this.speechRunStartMs;
      this.lastSpeechMs = this.elapsedMs;
      this.opening = null;
      return { kind: 'speech-start', atMs: this.speechStartMs };
    }
    return null;
  }

  private noSpeechYet(): VadEvent | null {
    if (this.elapsedMs < this.options.noSpeechTimeoutMs) return null;
    this.done = true;
    return { kind: 'no-speech', atMs: this.elapsedMs };
  }

  private inSpeechFrame(loud: boolean): VadEvent | null {
    const start = this.speechStartMs ?? 0;
    if (loud) {
      this.lastSpeechMs = this.elapsedMs;
      this.silenceRunMs = 0;
    } else {
      this.silenceRunMs += vadFrameMs;
    }
    if (this.silenceRunMs >= this.options.hangoverMs) {
      this.done = true;
      return { kind: 'speech-end', atMs: this.elapsedMs, speechMs: this.lastSpeechMs - start };
    }
    if (this.elapsedMs - start >= this.options.maxSpeechMs) {
      this.done = true;
      return { kind: 'max-duration', atMs: this.elapsedMs, speechMs: this.elapsedMs - start };
    }
    return null;
  }
}
