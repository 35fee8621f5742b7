import { expect } from 'chai';
import { DecodeThrottle } from '../../../src/speech/pocketsphinx/decode-throttle.js';

/** A decode call that ends when told to. */
function pendingWork(log: string[], name: string): { work: () => Promise<string>; end: () => void } {
  let end: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => { end = resolve; });
  return {
    work: async () => {
      log.push(`start ${name}`);
      await ended;
      log.push(`end ${name}`);
      return name;
    },
    end: () => { end(); },
  };
}

const turn = async (): Promise<void> => new Promise((resolve) => { setImmediate(resolve); });

/** More calls heard than the throttle has cores, each its own object: lagging decodes are held back. */
function crowded(cores: number): DecodeThrottle {
  const throttle = new DecodeThrottle(cores);
  for (let call = 0; call <= cores; call += 1) throttle.listen({});
  return throttle;
}
const never = (): boolean => false;
const always = (): boolean => true;

describe('decode throttle', () => {
  it('runs calls that may lag only while fewer calls than cores run, in order', async () => {
    const throttle = crowded(2);
    const log: string[] = [];
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => pendingWork(log, name)) as [
      ReturnType<typeof pendingWork>, ReturnType<typeof pendingWork>, ReturnType<typeof pendingWork>,
      ReturnType<typeof pendingWork>];
    const results = [a, b, c, d].map(async (call) => throttle.run(never, call.work));
    await turn();
    expect(log).to.deep.equal(['start a', 'start b']);
    expect(throttle.runningNow).to.equal(2);
    expect(throttle.waitingNow).to.equal(2);
    b.end();
    await turn();
    expect(log).to.deep.equal(['start a', 'start b', 'end b', 'start c']);
    a.end();
    c.end();
    d.end();
    expect(await Promise.all(results)).to.deep.equal(['a', 'b', 'c', 'd']);
    expect(throttle.runningNow).to.equal(0);
    expect(throttle.waitingNow).to.equal(0);
  });

  it('runs a call someone waits for at once, and the lagging ones yield to it', async () => {
    const throttle = crowded(1);
    const log: string[] = [];
    const lagging = pendingWork(log, 'lagging');
    const next = pendingWork(log, 'next');
    const waited = pendingWork(log, 'waited');
    const first = throttle.run(never, lagging.work);
    const second = throttle.run(never, next.work);
    const urgent = throttle.run(always, waited.work);
    await turn();
    expect(log).to.deep.equal(['start lagging', 'start waited']);
    expect(throttle.runningNow).to.equal(2);
    // The lagging call ends; the urgent one still runs on the only core, so the next lagging one waits for it.
    lagging.end();
    await turn();
    expect(log).to.deep.equal(['start lagging', 'start waited', 'end lagging']);
    waited.end();
    await turn();
    expect(log.slice(3)).to.deep.equal(['end waited', 'start next']);
    next.end();
    expect(await Promise.all([first, second, urgent])).to.deep.equal(['lagging', 'next', 'waited']);
  });

  it('starts a waiting call once it becomes urgent (its caller stopped speaking)', async () => {
    const throttle = crowded(1);
    const log: string[] = [];
    const running = pendingWork(log, 'running');
    const queued = pendingWork(log, 'queued');
    let finishing = false;
    const first = throttle.run(never, running.work);
    const second = throttle.run(() => finishing, queued.work);
    await turn();
    expect(log).to.deep.equal(['start running']);
    finishing = true;
    throttle.wake();
    await turn();
    expect(log).to.deep.equal(['start running', 'start queued']);
    running.end();
    queued.end();
    expect(await Promise.all([first, second])).to.deep.equal(['running', 'queued']);
  });

  it('gives the core back when a call fails', async () => {
    const throttle = crowded(1);
    const failing = throttle.run(never, async () => { throw new Error('decoder refused the audio'); });
    const after = throttle.run(never, async () => 'after');
    const error = await failing.then(() => null, (caught: unknown) => caught);
    expect(error).to.be.instanceOf(Error).with.property('message', 'decoder refused the audio');
    expect(await after).to.equal('after');
    expect(throttle.runningNow).to.equal(0);
  });

  it('holds nothing back while no more calls are heard than there are cores', async () => {
    const throttle = new DecodeThrottle(1);
    const log: string[] = [];
    const call = {};
    // One call's passes over one answer (a name's pass 1, its fallback finder, its cities) count once.
    const passes = [throttle.listen(call), throttle.listen(call), throttle.listen(call)];
    expect(throttle.callsHeardNow).to.equal(1);
    const works = ['pass 1', 'finder', 'city'].map((name) => pendingWork(log, name));
    const results = works.map(async (work) => throttle.run(never, work.work));
    await turn();
    expect(log).to.deep.equal(['start pass 1', 'start finder', 'start city']);
    for (const work of works) work.end();
    expect(await Promise.all(results)).to.deep.equal(['pass 1', 'finder', 'city']);
    for (const heard of passes) heard();
    expect(throttle.callsHeardNow).to.equal(0);
  });

  it('holds lagging calls back once a call more than the cores is heard, and lets them go when it is not', async () => {
    const throttle = new DecodeThrottle(1);
    const log: string[] = [];
    const first = throttle.listen({});
    const second = throttle.listen({});
    const running = pendingWork(log, 'running');
    const lagging = pendingWork(log, 'lagging');
    const results = [throttle.run(never, running.work), throttle.run(never, lagging.work)];
    await turn();
    expect(log).to.deep.equal(['start running']);
    expect(throttle.waitingNow).to.equal(1);
    // The second call's answer is out: one call is heard on one core, so nothing waits.
    second();
    second();
    await turn();
    expect(log).to.deep.equal(['start running', 'start lagging']);
    expect(throttle.callsHeardNow).to.equal(1);
    running.end();
    lagging.end();
    expect(await Promise.all(results)).to.deep.equal(['running', 'lagging']);
    first();
    expect(throttle.callsHeardNow).to.equal(0);
  });

  it('refuses a number of cores that is not a whole number from 1', () => {
    for (const cores of [0, -1, 1.5, Number.NaN]) expect(() => new DecodeThrottle(cores)).to.throw(RangeError);
  });
});
