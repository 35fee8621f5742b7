import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { within } from '../../src/speech/within.js';

describe('speech: waiting for a recognizer\'s work with a bound (within)', () => {
  it('gives the work\'s value when it comes in time, and `late` when it does not', async () => {
    expect(await within(sleep(5).then(() => 'heard'), 500, 'late')).to.equal('heard');
    const started = performance.now();
    expect(await within(sleep(500).then(() => 'heard'), 20, 'late')).to.equal('late');
    expect(performance.now() - started).to.be.below(400);
  });

  it('a rejection in time rejects; a bound already passed answers `late` at once', async () => {
    let caught: unknown = null;
    try {
      await within(Promise.reject(new Error('engine gone')), 500, null);
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(Error).with.property('message', 'engine gone');
    expect(await within(new Promise<never>(() => undefined), -10, false)).to.equal(false);
  });
});
