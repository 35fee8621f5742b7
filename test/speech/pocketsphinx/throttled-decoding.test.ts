// Decode calls made while callers speak yield to the ones someone waits for (decode-throttle.ts): on real
// pocketsphinx, several callers at once never have more of them running than the limit, and each hears
// exactly what it hears without the limit (the same audio reaches the decoder, only later). One call's passes
// alone are not held back.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPocketsphinx, type PocketsphinxLibrary } from '../../../src/speech/pocketsphinx/library.js';
import { CallerAcoustics } from '../../../src/speech/caller-acoustics.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import type { Hypothesis } from '../../../src/speech/recognizer.js';
import { listenDefaults } from '../support/recognize.js';
import { concat, silence, telephoneSpeech } from '../support/telephone-tts.js';

const commands = ['help', 'money', 'politics', 'delegate', 'menu'];

interface Run {
  readonly heard: ReadonlyArray<readonly Hypothesis[]>;
  /** Most decode calls running at once while every caller was still speaking. */
  readonly mostWhileSpeaking: number;
}

/**
 * Every caller speaks at once (frames interleaved), then all stop; commands, streamed (decoding `streaming`:
 * decoded whole, as by default, nothing would run while they speak). With `oneCall`, the utterances are passes
 * of one call (its acoustics, as a name's passes share them), not several callers.
 */
async function speakTogether(utterances: readonly Int16Array[], backgroundDecodesMax: number | null,
  library: PocketsphinxLibrary, oneCall = false): Promise<Run> {
  const recognizer = await PocketsphinxRecognizer.create({ poolSize: utterances.length, backgroundDecodesMax,
    decoding: 'streaming',
    // The N-best always waited for: confidences do not depend on how fast the lattice is built.
    latticeWaitMs: 10_000 });
  const original = library.processRawAsync;
  let running = 0;
  let mostWhileSpeaking = 0;
  let speaking = true;
  library.processRawAsync = async (decoder, chunk) => {
    running += 1;
    if (speaking) mostWhileSpeaking = Math.max(mostWhileSpeaking, running);
    try {
      return await original(decoder, chunk);
    } finally {
      running -= 1;
    }
  };
  try {
    const call = new CallerAcoustics();
    const streams = utterances.map(() => recognizer.start({ ...listenDefaults, context: 'command',
      ...(oneCall ? { caller: call.frozen() } : {}) }));
    const longest = Math.max(...utterances.map((samples) => samples.length));
    for (let offset = 0; offset < longest; offset += 160) {
      streams.forEach((stream, i) => {
        const samples = utterances[i] as Int16Array;
        if (offset < samples.length) stream.write(samples.subarray(offset, offset + 160));
      });
      await new Promise((resolve) => { setTimeout(resolve, 2); });
    }
    speaking = false;
    for (const stream of streams) stream.end();
    const results = await Promise.all(streams.map(async (stream) => stream.result));
    return { heard: results.map((result) => result.hypotheses), mostWhileSpeaking };
  } finally {
    library.processRawAsync = original;
    await recognizer.close();
  }
}

describe('pocketsphinx: decodes while callers speak yield to the ones a caller waits for', function () {
  this.timeout(180_000);
  let dir = '';
  /** Speech to the very end: every decode before end() is one that may lag. Spoken once for both tests. */
  let utterances: Int16Array[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'throttled-'));
    utterances = await Promise.all(commands.map(async (command) =>
      concat(silence(300), await telephoneSpeech(command, 'flite-kal', dir))));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('runs one at a time under a limit of one, and every caller hears what it hears without a limit', async () => {
    const library = loadPocketsphinx();
    const throttled = await speakTogether(utterances, 1, library);
    const free = await speakTogether(utterances, null, library);
    expect(throttled.mostWhileSpeaking).to.equal(1);
    // Without the limit the same callers do overlap (else the limit above would prove nothing).
    expect(free.mostWhileSpeaking).to.be.greaterThan(1);
    expect(throttled.heard.map((hypotheses) => hypotheses[0]?.text)).to.deep.equal(commands);
    expect(throttled.heard).to.deep.equal(free.heard);
  });

  it('lets one call\'s passes run together under a limit of one: one call is not a crowd', async () => {
    const library = loadPocketsphinx();
    const passes = await speakTogether(utterances, 1, library, true);
    expect(passes.mostWhileSpeaking).to.be.greaterThan(1);
    expect(passes.heard.map((hypotheses) => hypotheses[0]?.text)).to.deep.equal(commands);
  });
});
