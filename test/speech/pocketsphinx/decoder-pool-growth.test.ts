// The decoder pool under a burst (decoder-pool.ts, decoder-init.ts): new decoders are created without
// stalling the event loop for ps_init, the decoders made on a pool thread recognize speech, a burst past
// the limit queues for the next decoder given back, a failed creation reaches its caller and lets a
// waiting one try again, and grammars compile one at a time (the other libuv threads keep decoding).
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { dialogValue } from '../../../src/speech/corpus/dialog-judge.js';
import { loadStaticGrammars } from '../../../src/speech/grammar/static-grammars.js';
import { DecoderPool, type PooledDecoder } from '../../../src/speech/pocketsphinx/decoder-pool.js';
import { debianModelDir, loadPocketsphinx } from '../../../src/speech/pocketsphinx/library.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { recognize } from '../support/recognize.js';
import { concat, silence, telephoneSpeech } from '../support/telephone-tts.js';
import { thrown } from '../../support/thrown.js';

/** The full CMUdict: ps_init reads all of it, so creating a decoder takes long enough to see on the loop. */
const argv = ['-hmm', `${debianModelDir}/en-us`, '-dict', `${debianModelDir}/cmudict-en-us.dict`];

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

/** The pool's acquire and release, remembering what is held so a failing test still gives it back and closes. */
class Holder {
  private readonly held = new Set<PooledDecoder>();
  constructor(readonly pool: DecoderPool) {}
  async acquire(preference?: (decoder: PooledDecoder) => number): Promise<PooledDecoder> {
    const decoder = await this.pool.acquire(preference);
    this.held.add(decoder);
    return decoder;
  }
  release(decoder: PooledDecoder): void {
    this.held.delete(decoder);
    this.pool.release(decoder);
  }
  async close(): Promise<void> {
    for (const decoder of this.held) this.release(decoder);
    await this.pool.close();
  }
}

/** A pool of at most two decoders whose first has been made, used and given back. */
async function poolOfTwoWithOneIdle(): Promise<{ pool: DecoderPool; holder: Holder; first: PooledDecoder }> {
  const pool = new DecoderPool(loadPocketsphinx(), argv, 2);
  const holder = new Holder(pool);
  pool.warm();
  const first = await holder.acquire();
  holder.release(first);
  return { pool, holder, first };
}

describe('speech/pocketsphinx: the decoder pool under a burst of callers', function () {
  this.timeout(120_000);

  it('creates the decoders a burst needs on pool threads, not in the caller\'s turn of the loop', async () => {
    const pool = new DecoderPool(loadPocketsphinx(), argv, 4);
    const holder = new Holder(pool);
    try {
      const warmStarted = performance.now();
      pool.warm();
      const onLoopMs = performance.now() - warmStarted;
      let callsMs = 0;
      const { value: decoders, ticks } = await loopTicksDuring(async () => {
        const started = performance.now();
        const acquiring = [holder.acquire(), holder.acquire(), holder.acquire(), holder.acquire()];
        callsMs = performance.now() - started;
        return Promise.all(acquiring);
      });
      expect(pool.size, 'the warm decoder and three new ones').to.equal(4);
      expect(new Set(decoders).size).to.equal(4);
      // Created on the loop, the three new decoders would have held these calls for 3 × onLoopMs.
      expect(callsMs, `acquire calls took ${callsMs.toFixed(1)} ms; ps_init on the loop took ${onLoopMs.toFixed(0)} ms`)
        .to.be.below(onLoopMs / 4);
      expect(ticks, 'the loop ran while the decoders were being created').to.be.greaterThan(0);
    } finally {
      await holder.close();
    }
  });

  it('a burst past the limit waits for a decoder given back and creates no more', async () => {
    const pool = new DecoderPool(loadPocketsphinx(), argv, 2);
    const holder = new Holder(pool);
    try {
      const [, second] = await Promise.all([holder.acquire(), holder.acquire()]);
      let third: PooledDecoder | null = null;
      const waiting = holder.acquire().then((decoder) => { third = decoder; });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(third, 'no decoder is free yet').to.equal(null);
      holder.release(second as PooledDecoder);
      await waiting;
      expect(third).to.equal(second);
      expect(pool.size).to.equal(2);
    } finally {
      await holder.close();
    }
  });

  it('a decoder given back goes to the waiter that prefers it, unless the first has waited 250 ms', async () => {
    const pool = new DecoderPool(loadPocketsphinx(), argv, 2);
    const holder = new Holder(pool);
    const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
    try {
      const [one, two] = await Promise.all([holder.acquire(), holder.acquire()]) as [PooledDecoder, PooledDecoder];
      // The first waiter would take any; the second prefers `two` (say, its grammar is compiled there).
      const got: string[] = [];
      const anyFirst = holder.acquire(() => 0).then((decoder) => { got.push(decoder === one ? 'any:one' : 'any:two'); });
      const wantsTwo = holder.acquire((decoder) => (decoder === two ? 2 : 0))
        .then((decoder) => { got.push(decoder === two ? 'wants-two:two' : 'wants-two:one'); });
      holder.release(two);
      await Promise.race([wantsTwo, anyFirst]);
      holder.release(one);
      await Promise.all([wantsTwo, anyFirst]);
      expect(got, 'the waiter that prefers it first, though it came second').to.deep.equal(['wants-two:two', 'any:one']);
      // A waiter passed over for 250 ms is served next whatever the others prefer.
      const order: string[] = [];
      const patient = holder.acquire(() => 0).then((decoder) => { order.push('patient'); return decoder; });
      await sleep(300);
      const eager = holder.acquire(() => 2).then((decoder) => { order.push('eager'); return decoder; });
      holder.release(one);
      await patient;
      holder.release(two);
      await eager;
      expect(order).to.deep.equal(['patient', 'eager']);
    } finally {
      await holder.close();
    }
  });

  it('work ahead of a call takes a preferred idle decoder, else a new one, else any idle one, and never waits', async () => {
    const { pool, holder, first } = await poolOfTwoWithOneIdle();
    try {
      // The only idle decoder is not preferred: a new one is created instead while the pool may grow.
      const fresh = await pool.acquireIfFree(() => 0);
      expect(fresh).to.not.equal(null);
      expect(fresh).to.not.equal(first);
      expect(pool.size).to.equal(2);
      // Full: the idle one not preferred is taken rather than nothing.
      const again = await pool.acquireIfFree(() => 0);
      expect(again).to.equal(first);
      // Every decoder in use: null at once, where acquire would wait.
      expect(await pool.acquireIfFree(() => 1)).to.equal(null);
      pool.release(fresh as PooledDecoder);
      pool.release(again as PooledDecoder);
      // Both idle: the preferred one, whichever was released last.
      expect(await pool.acquireIfFree((decoder) => (decoder === fresh ? 1 : 0))).to.equal(fresh);
      pool.release(fresh as PooledDecoder);
    } finally {
      await holder.close();
    }
  });

  it('a decode that may be thrown away takes any idle decoder, the preferred first, and never waits', async () => {
    const { pool, holder, first } = await poolOfTwoWithOneIdle();
    try {
      // The idle decoder is taken though not preferred (as acquire takes it): no new one is made for it.
      const taken = await pool.acquireIdle(() => 0);
      expect(taken).to.equal(first);
      expect(pool.size).to.equal(1);
      // None idle but room: a new one, as acquire would.
      const fresh = await pool.acquireIdle(() => 0);
      expect(fresh).to.not.equal(null);
      expect(pool.size).to.equal(2);
      // Every decoder in use and the pool full: null at once, where acquire would wait.
      expect(await pool.acquireIdle(() => 1)).to.equal(null);
      pool.release(taken as PooledDecoder);
      pool.release(fresh as PooledDecoder);
      expect(await pool.acquireIdle((decoder) => (decoder === first ? 1 : 0))).to.equal(first);
      pool.release(first);
    } finally {
      await holder.close();
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
    const holder = new Holder(pool);
    try {
      pool.warm();
      await holder.acquire();
      const failing = holder.acquire();
      const behind = holder.acquire();
      const error = await thrown(() => failing);
      expect(error).to.be.instanceOf(Error);
      expect((error as Error).message).to.match(/could not create a decoder/);
      await behind;
      expect(pool.size).to.equal(2);
    } finally {
      await holder.close();
    }
  });

  it('compiles grammars one at a time across decoders, and a grammar that fails does not stop the next', async () => {
    const library = loadPocketsphinx();
    const spans: Array<{ started: number; ended: number }> = [];
    // The real library, with its compile call timed (every other call as it is).
    const timed = { ...library, setJsgfStringAsync: async (decoder: object, name: string, jsgf: string) => {
      const started = performance.now();
      try {
        return await library.setJsgfStringAsync(decoder, name, jsgf);
      } finally {
        spans.push({ started, ended: performance.now() });
      }
    } };
    const pool = new DecoderPool(timed, argv, 3);
    const holder = new Holder(pool);
    try {
      pool.warm();
      const decoders = await Promise.all([holder.acquire(), holder.acquire(), holder.acquire()]);
      const grammars = loadStaticGrammars().filter((grammar) => ['digits', 'phone', 'amount'].includes(grammar.context));
      expect(grammars).to.have.length(3);
      const broken = { ...(grammars[0] as (typeof grammars)[number]), grammarKey: 'broken',
        source: '#JSGF V1.0;\ngrammar broken;\npublic <x> = ( ;\n' };
      const failed = await thrown(() => pool.select(decoders[0] as PooledDecoder, broken, 7.5));
      expect((failed as Error).message).to.match(/could not compile/);
      await Promise.all(grammars.map(async (grammar, index) =>
        pool.select(decoders[index] as PooledDecoder, grammar, 7.5)));
      expect(pool.searchesCompiled).to.equal(3);
      const sorted = spans.slice(1).sort((a, b) => a.started - b.started);
      for (let i = 1; i < sorted.length; i += 1) {
        expect((sorted[i] as { started: number }).started, 'a compilation started before the one before it ended')
          .to.be.at.least((sorted[i - 1] as { ended: number }).ended);
      }
    } finally {
      await holder.close();
    }
  });

  it('refuses -logfn: each ps_init would swap the global log file under other threads\' writes', () => {
    expect(() => new DecoderPool(loadPocketsphinx(), [...argv, '-logfn', '/dev/null'], 2)).to.throw(/-logfn/);
  });

  it('creates decoders on several threads at once, round after round, without a deadlock', async function () {
    // In a child process with a deadline: with -logfn, the child hung within 30 rounds (sphinxbase fclosed
    // the log FILE another thread was writing to); CI sat silent until its own limit. ~13 s quiet; the
    // deadline leaves room for a machine loaded 20 deep (one run took over 100 s there).
    this.timeout(330_000);
    const churn = join(dirname(fileURLToPath(import.meta.url)), 'support', 'decoder-churn.js');
    const { stdout } = await promisify(execFile)(process.execPath, [churn, '40'],
      { timeout: 300_000, killSignal: 'SIGKILL' });
    expect(stdout.trim()).to.equal('done 40');
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
      // As the dialog takes them: "yep" and "nope" are the yes/no grammar's ways of saying yes and no.
      expect(heard.map((recognition, index) => dialogValue(index < 2 ? 'yesno' : 'command',
        recognition.hypotheses[0]?.text ?? ''))).to.deep.equal(['yes', 'no', 'vote']);
      expect(recognizer.decoderCount, 'three callers at once: three decoders').to.equal(3);
    } finally {
      await recognizer.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
