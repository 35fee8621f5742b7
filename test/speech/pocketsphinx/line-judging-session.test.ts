// The session a streamed answer starts with when its call's line is unknown: it hands the audio on as it comes,
// judges the line once, and on a noisy one starts the answer again on another session with everything kept.
// The sessions here record what they were given (the decoders behind them are tested in context-mllr.test.ts).
import { expect } from 'chai';
import {
  LineJudgingSession, type DecoderSession, type LineJudgingOptions,
} from '../../../src/speech/pocketsphinx/line-judging-session.js';
import type { Hypothesis } from '../../../src/speech/recognizer.js';

class RecordingSession implements DecoderSession {
  readonly written: number[] = [];
  aborted = false;
  finished = false;
  /** Given back when `giveBack` is called (a decoder still ending its utterance after the abort). */
  readonly decoderReturned: Promise<void>;
  giveBack: () => void = () => undefined;

  constructor(private readonly text: string) {
    this.decoderReturned = new Promise((resolve) => { this.giveBack = resolve; });
  }

  write(samples: Int16Array): void {
    this.written.push(...samples);
  }

  finish(): Promise<Hypothesis[]> {
    this.finished = true;
    return Promise.resolve([{ text: this.text, confidence: 1, phones: [] }]);
  }

  partial(): Promise<string | null> {
    return Promise.resolve(`${this.text}…`);
  }

  abort(): void {
    this.aborted = true;
  }
}

/** Lets promise callbacks queued so far run. */
const settle = async (): Promise<void> => new Promise((resolve) => { setImmediate(resolve); });

/** Frame `n`: four samples of value n. The judge calls the line noisy when any kept sample is 9. */
const frame = (n: number): Int16Array => new Int16Array(4).fill(n);
const noisyWhenNine = (heard: readonly Int16Array[]): boolean => heard.some((samples) => samples.includes(9));

interface Setup {
  readonly session: LineJudgingSession;
  readonly first: RecordingSession;
  readonly noisy: RecordingSession;
  readonly ended: number[][];
  readonly openNoisy: () => void;
  readonly reopened: () => number;
}

/**
 * A judging session over 12 samples (three frames). The first session's decoder comes back as soon as it is
 * aborted; the noisy one opens when `openNoisy` is called.
 */
function setUp(options: Partial<LineJudgingOptions> = {}): Setup {
  const first = new RecordingSession('first');
  first.giveBack();
  const noisy = new RecordingSession('noisy');
  const ended: number[][] = [];
  let reopens = 0;
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => { open = resolve; });
  const session = new LineJudgingSession(first, {
    judgeAfterSamples: 12, noisy: noisyWhenNine,
    openNoisy: async () => { reopens += 1; await opened; return noisy; },
    ended: (heard) => { ended.push(heard.flatMap((samples) => Array.from(samples))); },
    ...options,
  });
  return { session, first, noisy, ended, openNoisy: open, reopened: () => reopens };
}

describe('speech/pocketsphinx: a streamed answer on a line not yet measured (LineJudgingSession)', () => {
  it('on a line that is not noisy, hands everything to the first session and tells the call the whole answer',
    async () => {
      const { session, first, ended, reopened } = setUp();
      for (const n of [1, 2, 3, 4]) session.write(frame(n));
      expect(await session.partial()).to.equal('first…');
      const heard = await session.finish(5, 600);
      expect(heard.map((hypothesis) => hypothesis.text)).to.deep.equal(['first']);
      expect(reopened()).to.equal(0);
      expect(session.restarted).to.equal(false);
      expect(first.written).to.deep.equal([...frame(1), ...frame(2), ...frame(3), ...frame(4)]);
      expect(ended).to.deep.equal([first.written]);
    });

  it('on a noisy line, aborts the first session and gives the noisy-line one everything, in order, including '
    + 'what came while it opened', async () => {
      const { session, first, noisy, ended, openNoisy, reopened } = setUp();
      session.write(frame(9));
      session.write(frame(1));
      // The third frame reaches the 12 samples the line is judged on.
      session.write(frame(2));
      expect(first.aborted).to.equal(true);
      await settle();
      expect(reopened()).to.equal(1);
      expect(session.restarted).to.equal(true);
      // Opening: no session to read a partial reading from, and the audio is kept meanwhile.
      expect(await session.partial()).to.equal(null);
      session.write(frame(3));
      openNoisy();
      const heard = await session.finish(5, 600);
      expect(heard.map((hypothesis) => hypothesis.text)).to.deep.equal(['noisy']);
      expect(first.finished).to.equal(false);
      expect(first.written).to.deep.equal([...frame(9), ...frame(1), ...frame(2)]);
      expect(noisy.written).to.deep.equal([...frame(9), ...frame(1), ...frame(2), ...frame(3)]);
      expect(ended).to.deep.equal([noisy.written]);
    });

  it('judges only once: noise after the judged part changes nothing', async () => {
    const { session, first, reopened } = setUp();
    for (const n of [1, 2, 3, 9, 9]) session.write(frame(n));
    await session.finish(5, 600);
    expect(reopened()).to.equal(0);
    expect(first.finished).to.equal(true);
  });

  it('judges an answer shorter than the judged part on all of it when it ends', async () => {
    const { session, first, noisy, openNoisy, reopened } = setUp();
    session.write(frame(9));
    expect(reopened()).to.equal(0);
    openNoisy();
    const heard = await session.finish(5, 600);
    expect(reopened()).to.equal(1);
    expect(first.aborted).to.equal(true);
    expect(noisy.written).to.deep.equal([...frame(9)]);
    expect(heard.map((hypothesis) => hypothesis.text)).to.deep.equal(['noisy']);
  });

  it('opens the noisy-line session only once the aborted session\'s decoder is back in the pool', async () => {
    const first = new RecordingSession('first');
    const noisy = new RecordingSession('noisy');
    let reopens = 0;
    const session = new LineJudgingSession(first, { judgeAfterSamples: 4, noisy: noisyWhenNine,
      openNoisy: () => { reopens += 1; return Promise.resolve(noisy); }, ended: () => undefined });
    session.write(frame(9));
    await settle();
    expect(first.aborted).to.equal(true);
    expect(reopens).to.equal(0);
    first.giveBack();
    await settle();
    expect(reopens).to.equal(1);
    expect(noisy.written).to.deep.equal([...frame(9)]);
  });

  it('with nobody to tell at the end (a pass of a frozen copy), keeps no audio once the line is judged clear',
    async () => {
      const { session, first } = setUp({ ended: null });
      for (const n of [1, 2]) session.write(frame(n));
      expect(session.keptSamplesNow).to.equal(8);
      for (const n of [3, 4]) session.write(frame(n));
      expect(session.keptSamplesNow).to.equal(0);
      await session.finish(5, 600);
      expect(first.written).to.deep.equal([...frame(1), ...frame(2), ...frame(3), ...frame(4)]);
    });

  it('with nobody to tell at the end, on a noisy line keeps the audio only until the noisy-line session has it',
    async () => {
      const { session, noisy, openNoisy } = setUp({ ended: null });
      for (const n of [9, 1, 2, 3]) session.write(frame(n));
      expect(session.keptSamplesNow).to.equal(16);
      openNoisy();
      await settle();
      expect(session.keptSamplesNow).to.equal(0);
      session.write(frame(4));
      expect(session.keptSamplesNow).to.equal(0);
      await session.finish(5, 600);
      expect(noisy.written).to.deep.equal([...frame(9), ...frame(1), ...frame(2), ...frame(3), ...frame(4)]);
    });

  it('aborted while the noisy-line session opens, aborts that one too once it is open', async () => {
    const { session, first, noisy, ended, openNoisy } = setUp();
    for (const n of [9, 9, 9]) session.write(frame(n));
    session.abort();
    openNoisy();
    expect(await session.finish(5, 600)).to.deep.equal([]);
    expect(first.aborted).to.equal(true);
    expect(noisy.aborted).to.equal(true);
    expect(noisy.written).to.deep.equal([]);
    expect(ended).to.deep.equal([]);
  });

  it('a noisy-line session that cannot be opened is finish()\'s error, and nothing is left unhandled', async () => {
    const first = new RecordingSession('first');
    first.giveBack();
    const session = new LineJudgingSession(first, { judgeAfterSamples: 4, noisy: noisyWhenNine,
      openNoisy: () => Promise.reject(new Error('no decoder')), ended: () => undefined });
    session.write(frame(9));
    // A turn of the loop with the rejection not yet awaited: mocha would report an unhandled one.
    await new Promise((resolve) => setImmediate(resolve));
    let error: unknown = null;
    await session.finish(5, 600).catch((caught: unknown) => { error = caught; });
    expect(error).to.be.instanceOf(Error).with.property('message', 'no decoder');
  });
});
