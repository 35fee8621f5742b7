// An answer decoded whole is decoded once the caller has been quiet for half the hangover, on the real
// engine: taken when the hangover ends, thrown away when the caller goes on, and heard the same whether a
// decoder was idle for it early or not (whole-utterance-session.ts).
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import type { Recognition, RecognitionStream } from '../../../src/speech/recognizer.js';
import { listenDefaults } from '../support/recognize.js';
import { activeLevelDb, concat, mix, silence, telephoneSpeech, whiteNoise } from '../support/telephone-tts.js';

/** Writes 20 ms frames with the event loop let through now and then (decodes interleave as with RTP). */
async function writeFrames(stream: RecognitionStream, samples: Int16Array): Promise<void> {
  for (let offset = 0; offset < samples.length; offset += 160) {
    stream.write(samples.subarray(offset, offset + 160));
    if (offset % 1600 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The recording without its quiet start and end (20 ms frames under a hundredth of its loudest frame's power). */
function trimmed(speech: Int16Array): Int16Array {
  const power = (frame: number): number => {
    let sum = 0;
    for (const sample of speech.subarray(frame * 160, frame * 160 + 160)) sum += sample * sample;
    return sum / 160;
  };
  const frames = Math.floor(speech.length / 160);
  const loudest = Math.max(...Array.from({ length: frames }, (_, frame) => power(frame)));
  const loud = Array.from({ length: frames }, (_, frame) => power(frame) >= loudest / 100);
  return speech.subarray(loud.indexOf(true) * 160, (loud.lastIndexOf(true) + 1) * 160);
}

/** The parts said one after another on a line with noise 20 dB under the speech, then a second of the line. */
function onLine(...parts: Int16Array[]): Int16Array {
  const said = concat(silence(300), ...parts, silence(1000));
  const level = Math.max(...parts.map((part) => (part.length > 800 ? activeLevelDb(part) : -Infinity)));
  return mix(said, whiteNoise(said.length / 8, level - 20));
}

describe('speech/pocketsphinx: an answer decoded whole before its hangover ends', function () {
  this.timeout(120_000);
  let dir = '';
  let fourOne: Int16Array = new Int16Array(0);
  let two: Int16Array = new Int16Array(0);
  let recognizer: PocketsphinxRecognizer;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'early-decode-'));
    fourOne = trimmed(await telephoneSpeech('four one', 'flite-kal', dir));
    two = trimmed(await telephoneSpeech('two', 'flite-kal', dir));
    recognizer = await PocketsphinxRecognizer.create({ poolSize: 1, latticeWaitMs: 30_000 });
    // The pool's one decoder is made off the event loop after create(): an answer before it exists has none idle.
    await hear(onLine(two));
  });
  after(async () => {
    await recognizer.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function hear(samples: Int16Array): Promise<Recognition> {
    const stream = recognizer.start({ ...listenDefaults, context: 'digits' });
    await writeFrames(stream, samples);
    stream.end();
    return stream.result;
  }

  it('takes the early decode when the caller has stopped', async () => {
    const before = recognizer.earlyDecodes;
    const heard = await hear(onLine(fourOne));
    expect(heard.end).to.equal('end-of-speech');
    expect(heard.hypotheses[0]?.text).to.equal('four one');
    expect(recognizer.earlyDecodes.decoded - before.decoded).to.equal(1);
    expect(recognizer.earlyDecodes.taken - before.taken).to.equal(1);
  });

  it('throws an early decode away when the caller goes on after a pause, and hears the whole answer', async () => {
    const before = recognizer.earlyDecodes;
    // 350 ms of the line between "four one" and "two": past half the hangover (300 ms), short of its end.
    const heard = await hear(onLine(fourOne, silence(350), two));
    expect(heard.hypotheses[0]?.text).to.equal('four one two');
    expect(recognizer.earlyDecodes.decoded - before.decoded).to.equal(2);
    expect(recognizer.earlyDecodes.taken - before.taken).to.equal(1);
  });

  it('hears an answer the same when its decoder was busy early and it was decoded at the end', async () => {
    const audio = onLine(fourOne, silence(150), two);
    const idleBefore = recognizer.earlyDecodes.taken;
    const idle = await hear(audio);
    expect(recognizer.earlyDecodes.taken - idleBefore).to.equal(1);
    expect(idle.hypotheses[0]?.text).to.equal('four one two');
    // A phone number streamed meanwhile holds the only decoder, so nothing is idle for the early decode.
    const holder = recognizer.start({ ...listenDefaults, context: 'phone' });
    await writeFrames(holder, onLine(two).subarray(0, (300 + two.length / 8) * 8));
    const before = recognizer.earlyDecodes;
    const stream = recognizer.start({ ...listenDefaults, context: 'digits' });
    await writeFrames(stream, audio);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(recognizer.earlyDecodes.decoded).to.equal(before.decoded);
    holder.cancel();
    stream.end();
    const busy = await stream.result;
    expect(recognizer.earlyDecodes).to.deep.equal(before);
    expect(busy.hypotheses).to.deep.equal(idle.hypotheses);
  });
});
