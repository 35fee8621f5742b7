// An answer decoded whole keeps its audio until the caller stops, and is decoded early once they have been quiet
// for half the hangover: taken if the hangover ends, thrown away if they go on. Early or at the end, the decoder
// hears the same audio. The sessions here record what they were given (the decoders behind them: see
// early-decode.test.ts).
import { expect } from 'chai';
import { lineHeardLast } from '../../../src/speech/audio/line-noise.js';
import {
  WholeUtteranceSession, type EarlyDecoding, type EarlySession,
} from '../../../src/speech/pocketsphinx/whole-utterance-session.js';
import type { Hypothesis } from '../../../src/speech/recognizer.js';
import type { UtteranceSession } from '../../../src/speech/vad-stream.js';

class RecordingSession implements UtteranceSession {
  readonly written: number[] = [];
  aborted = false;
  finishedWith: { nBest: number; trailingSilenceMs: number } | null = null;

  constructor(private readonly text: string) {}

  write(samples: Int16Array): void {
    this.written.push(...samples);
  }

  finish(nBest: number, trailingSilenceMs: number): Promise<Hypothesis[]> {
    this.finishedWith = { nBest, trailingSilenceMs };
    return Promise.resolve([{ text: this.text, confidence: 0.9, phones: [] }, { text: 'other', confidence: 0.1,
      phones: [] }]);
  }

  abort(): void {
    this.aborted = true;
  }
}

/** Lets promise callbacks queued so far run. */
const settle = async (): Promise<void> => new Promise((resolve) => { setImmediate(resolve); });

/** A 20 ms frame (160 samples) of one value: speech frames are loud, quiet ones small. */
const frame = (value: number): Int16Array => new Int16Array(160).fill(value);

interface Setup {
  readonly session: WholeUtteranceSession;
  /** Sessions opened at the end, and the audio each was opened for. */
  readonly late: Array<{ session: RecordingSession; heard: number[] }>;
  /** Early sessions opened, the audio each was opened for, and whether its answer was taken. */
  readonly early: Array<{ session: RecordingSession; heard: number[]; taken: boolean }>;
}

/** endSilenceMs 600: early once 300 ms are quiet. `idle`: whether an early decode finds a decoder. */
function setUp(idle = true, endSilenceMs = 600): Setup {
  const late: Setup['late'] = [];
  const early: Setup['early'] = [];
  const earlyDecoding: EarlyDecoding = {
    endSilenceMs, nBest: 5,
    open: async (heard): Promise<EarlySession | null> => {
      if (!idle) return null;
      const session = new RecordingSession('early');
      const opened = { session, heard: heard.flatMap((samples) => [...samples]), taken: false };
      early.push(opened);
      return { session, taken: () => { opened.taken = true; } };
    },
  };
  const session = new WholeUtteranceSession(async (heard) => {
    const opened = new RecordingSession('late');
    late.push({ session: opened, heard: heard.flatMap((samples) => [...samples]) });
    return opened;
  }, earlyDecoding);
  return { session, late, early };
}

/** Writes `speechFrames` loud frames, then quiet frames told to the session as the VAD counts them. */
function speakThenPause(session: WholeUtteranceSession, speechFrames: number, quietFrames: number, value = 1000): void {
  for (let index = 0; index < speechFrames; index += 1) {
    session.write(frame(value));
    session.quiet(0);
  }
  for (let index = 1; index <= quietFrames; index += 1) {
    session.write(frame(3));
    session.quiet(index * 20);
  }
}

describe('speech/pocketsphinx: an answer decoded whole, early when the caller has stopped', () => {
  it('decodes early at half the hangover, with the line played on for the rest, and takes it when the hangover ends', async () => {
    const { session, late, early } = setUp();
    speakThenPause(session, 10, 14);
    await settle();
    expect(early).to.have.length(0);
    session.write(frame(3));
    session.quiet(300);
    await settle();
    expect(early).to.have.length(1);
    expect(session.decodingEarly).to.equal(true);
    // 10 loud and 15 quiet frames said, then 300 ms of the line: as long as the answer at the hangover's end.
    const said = new Int16Array([...Array.from({ length: 10 }, () => [...frame(1000)]).flat(),
      ...Array.from({ length: 15 }, () => [...frame(3)]).flat()]);
    const expected = [...said, ...lineHeardLast(said, 300 * 8)];
    expect(early[0]?.heard).to.deep.equal(expected);
    expect(early[0]?.session.written).to.deep.equal(expected);
    for (let index = 16; index <= 30; index += 1) {
      session.write(frame(3));
      session.quiet(index * 20);
    }
    const heard = await session.finish(1, 600);
    expect(heard.map((hypothesis) => hypothesis.text)).to.deep.equal(['early']);
    expect(early[0]?.taken).to.equal(true);
    expect(early[0]?.session.finishedWith).to.deep.equal({ nBest: 5, trailingSilenceMs: 600 });
    expect(late).to.have.length(0);
  });

  it('throws the early decode away when the caller goes on, and decodes again after the next pause', async () => {
    const { session, late, early } = setUp();
    speakThenPause(session, 10, 16);
    await settle();
    expect(early).to.have.length(1);
    speakThenPause(session, 5, 0);
    expect(session.decodingEarly).to.equal(false);
    speakThenPause(session, 0, 30);
    await settle();
    expect(early).to.have.length(2);
    const heard = await session.finish(5, 600);
    expect(heard[0]?.text).to.equal('early');
    expect(early.map((opened) => opened.taken)).to.deep.equal([false, true]);
    // The second early decode heard the whole answer: both runs of speech.
    expect(early[1]?.heard.filter((sample) => sample === 1000)).to.have.length(15 * 160);
    expect(late).to.have.length(0);
  });

  it('decodes the same audio at the end when no decoder was idle early', async () => {
    const busy = setUp(false);
    speakThenPause(busy.session, 10, 30);
    await settle();
    await busy.session.finish(5, 600);
    const idle = setUp(true);
    speakThenPause(idle.session, 10, 30);
    await settle();
    await idle.session.finish(5, 600);
    expect(busy.early).to.have.length(0);
    expect(busy.late).to.have.length(1);
    expect(idle.early).to.have.length(1);
    expect(busy.late[0]?.heard).to.deep.equal(idle.early[0]?.heard);
    // 10 loud frames, 15 quiet ones to the cut, 300 ms of the line played on: 600 ms of hangover in all.
    expect(busy.late[0]?.heard).to.have.length((10 + 30) * 160);
    expect(busy.late[0]?.session.written).to.deep.equal(busy.late[0]?.heard);
  });

  it('takes the early decode when the stream ends before the hangover does, the caller quiet since', async () => {
    const { session, late, early } = setUp();
    speakThenPause(session, 10, 20);
    await settle();
    const heard = await session.finish(5, 0);
    expect(heard[0]?.text).to.equal('early');
    expect(early[0]?.taken).to.equal(true);
    expect(late).to.have.length(0);
  });

  it('decodes an answer that ends while the caller speaks or before half the hangover as it came', async () => {
    for (const quietFrames of [0, 14]) {
      const { session, late, early } = setUp();
      speakThenPause(session, 10, quietFrames);
      await settle();
      const heard = await session.finish(5, 0);
      expect(heard[0]?.text).to.equal('late');
      expect(early).to.have.length(0);
      expect(late[0]?.heard).to.have.length((10 + quietFrames) * 160);
    }
  });

  it('decodes early at most eight times, however often the caller pauses', async () => {
    const { session, early } = setUp();
    for (let pause = 0; pause < 12; pause += 1) {
      speakThenPause(session, 5, 16);
      await settle();
    }
    expect(early).to.have.length(8);
    expect(early.some((opened) => opened.taken)).to.equal(false);
  });

  it('takes no early decode once the answer is dropped, and an early session opened after that is aborted', async () => {
    const { session, early } = setUp();
    speakThenPause(session, 10, 15);
    session.abort();
    await settle();
    expect(early.every((opened) => opened.session.aborted && !opened.taken)).to.equal(true);
    expect(session.decodingEarly).to.equal(false);
  });

  it('an answer dropped while its early decode runs is neither taken nor decoded again', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let taken = false;
    let lateOpened = 0;
    const slow = new RecordingSession('early');
    const session = new WholeUtteranceSession(async () => {
      lateOpened += 1;
      return new RecordingSession('late');
    }, { endSilenceMs: 600, nBest: 5, open: async () => ({
      session: { ...slow, write: () => undefined, abort: () => undefined,
        finish: async (nBest: number, trailing: number) => gate.then(async () => slow.finish(nBest, trailing)) },
      taken: () => { taken = true; } }) });
    speakThenPause(session, 10, 30);
    const finished = session.finish(5, 600);
    await settle();
    session.abort();
    release();
    expect(await finished).to.deep.equal([]);
    expect(taken).to.equal(false);
    expect(lateOpened).to.equal(0);
  });

  it('without early decoding, decodes everything at the end as it came', async () => {
    const late: RecordingSession[] = [];
    const session = new WholeUtteranceSession(async () => {
      const opened = new RecordingSession('late');
      late.push(opened);
      return opened;
    });
    speakThenPause(session, 10, 30);
    await session.finish(5, 600);
    expect(late[0]?.written).to.deep.equal([...Array.from({ length: 10 }, () => [...frame(1000)]).flat(),
      ...Array.from({ length: 30 }, () => [...frame(3)]).flat()]);
  });
});
