// The decoder pool grows off the event loop (decoder-pool.ts, decoder-init.ts): a burst of callers that
// needs new decoders does not stall the loop for ps_init, the decoders made on a pool thread recognize
// speech, a burst past the limit queues for the next decoder given back, and a failed creation reaches
// its caller and lets a waiting one try again.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecoderPool, type PooledDecoder } from '../../../src/speech/pocketsphinx/decoder-pool.js';
import { debianModelDir, loadPocketsphinx } from '../../../src/speech/pocketsphinx/library.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { recognize } from '../support/recognize.js';
import { concat, silence, telephoneSpeech } from '../support/telephone-tts.js';
import { thrown } from '../../support/thrown.js';

/** The full CMUdict: ps_init reads all of it, so creating a decoder takes long enough to see on the loop. */
const argv = ['-hmm', `${debianModelDir}/en-us`, '-dict', `${debianModelDir}/cmudict-en-us.dict`, '-logfn', '/dev/null'];

/** Runs `work` while a 5 ms timer counts how often the event loop got to run. */
async function loopTicksDuring<T>(work: () => Promise<T>): Promise<{ value: T; ticks: number }> {
  let ticks = 0;
  const timer = setInterval(() => { ticks += 1; }, 5);
  try {
    return { value: await work(), ticks };
  } finally {
    clearInterval(timer);
  }
}

describe('speech/pocketsphinx: the decoder pool grows off the event loop', function () {
  this.timeout(120_000);

  it('creates the decoders a burst needs on pool threads, not in the caller\'s turn of the loop', async () => {
    const pool = new DecoderPool(loadPocketsphinx(), argv, 4);
    try {
      const warmStarted = performance.now();
      pool.warm();
      const onLoopMs = performance.now() - warmStarted;
      let callsMs = 0;
      const { value: decoders, ticks } = await loopTicksDuring(async () => {
        const started = performance.now();
        const acquiring = [pool.acquire(), pool.acquire(), pool.acquire(), pool.acquire()];
        callsMs = performance.now() - started;
        return Promise.all(acquiring);
      });
      expect(pool.size, 'the warm decoder and three new ones').to.equal(4);
      expect(new Set(decoders).size).to.equal(4);
      // Created on the loop, the three new decoders would have held these calls for 3 × onLoopMs.
      expect(callsMs, `acquire calls took ${callsMs.toFixed(1)} ms; ps_init on the loop took ${onLoopMs.toFixed(0)} ms`)
        .to.be.below(onLoopMs / 4);
      expect(ticks, 'the loop ran while the decoders were being created').to.be.greaterThan(0);
      for (const decoder of decoders) pool.release(decoder);
    } finally {
      await pool.close();
    }
  });

  it('a burst past the limit waits for a decoder given back and creates no more', async () => {
    const pool = new DecoderPool(loadPocketsphinx(), argv, 2);
    try {
      const [first, second] = await Promise.all([pool.acquire(), pool.acquire()]);
      let third: PooledDecoder | null = null;
      const waiting = pool.acquire().then((decoder) => { third = decoder; });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(third, 'no decoder is free yet').to.equal(null);
      pool.release(second as PooledDecoder);
      await waiting;
      expect(third).to.equal(second);
      expect(pool.size).to.equal(2);
      pool.release(first as PooledDecoder);
      pool.release(third as unknown as PooledDecoder);
    } finally {
      await pool.close();
    }
  });

  it('a failed creation reaches its caller, and the caller waiting behind it gets a decoder', async () => {
    let failures = 1;
    const library = loadPocketsphinx();
    const pool = new DecoderPool(library, argv, 2, undefined, async (config) => {
      if (failures > 0) {
        failures -= 1;
        return null;
      }
      return library.init(config);
    });
    try {
      pool.warm();
      const held = await pool.acquire();
      const failing = pool.acquire();
      const behind = pool.acquire();
      const error = await thrown(() => failing);
      expect(error).to.be.instanceOf(Error);
      expect((error as Error).message).to.match(/could not create a decoder/);
      const next = await behind;
      expect(pool.size).to.equal(2);
      pool.release(held);
      pool.release(next);
    } finally {
      await pool.close();
    }
  });

  it('decoders created at once off the loop each recognize their caller', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'decoder-pool-growth-'));
    const recognizer = await PocketsphinxRecognizer.create({ poolSize: 3 });
    try {
      const say = async (text: string): Promise<Int16Array> =>
        concat(silence(300), await telephoneSpeech(text, 'flite-kal', dir), silence(900));
      const [yes, no, vote] = await Promise.all([say('yes'), say('no'), say('vote')]);
      const heard = await Promise.all([
        recognize(recognizer, yes, { context: 'yesno', nBest: 1 }),
        recognize(recognizer, no, { context: 'yesno', nBest: 1 }),
        recognize(recognizer, vote, { context: 'command', nBest: 1 }),
      ]);
      expect(heard.map((recognition) => recognition.hypotheses[0]?.text)).to.deep.equal(['yes', 'no', 'vote']);
      expect(recognizer.decoderCount, 'three callers at once: three decoders').to.equal(3);
    } finally {
      await recognizer.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
