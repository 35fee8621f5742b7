import { expect } from 'chai';
import { CallerAcoustics } from '../../src/speech/caller-acoustics.js';

describe('speech: what the recognizer learns of one caller\'s line (CallerAcoustics)', () => {
  const prior = [10, -4, 2];

  it('starts from the prior, which counts as 500 frames against what the call said', () => {
    const caller = new CallerAcoustics();
    expect(Array.from(caller.cepstralMean(prior))).to.deep.equal(prior);
    caller.heard([20, 0, 2], 500);
    expect(Array.from(caller.cepstralMean(prior))).to.deep.equal([15, -2, 2]);
    caller.heard([40, 8, 2], 1000);
    // (10·500 + 20·500 + 40·1000) / 2000 = 27.5; (-4·500 + 0 + 8·1000) / 2000 = 3
    expect(Array.from(caller.cepstralMean(prior))).to.deep.equal([27.5, 3, 2]);
    expect(caller.framesHeard).to.equal(1500);
  });

  it('ignores an utterance with no frames, a non-finite mean, or one of another width', () => {
    const caller = new CallerAcoustics();
    caller.heard([20, 0, 2], 0);
    caller.heard([Number.NaN, 0, 2], 300);
    caller.heard([Number.POSITIVE_INFINITY, 0, 2], 300);
    expect(caller.framesHeard).to.equal(0);
    expect(Array.from(caller.cepstralMean(prior))).to.deep.equal(prior);
    caller.heard([20, 0, 2], 500);
    expect(Array.from(caller.cepstralMean([1, 2]))).to.deep.equal([1, 2]);
  });

  it('a frozen copy reads the call\'s mean as it was and records nothing, and the call goes on without it', () => {
    const caller = new CallerAcoustics();
    caller.heard([20, 0, 2], 500);
    const frozen = caller.frozen();
    expect(Array.from(frozen.cepstralMean(prior))).to.deep.equal([15, -2, 2]);
    frozen.heard([100, 100, 100], 5000);
    expect(frozen.framesHeard).to.equal(500);
    expect(Array.from(frozen.cepstralMean(prior))).to.deep.equal([15, -2, 2]);
    caller.heard([20, 0, 2], 1000);
    expect(caller.framesHeard).to.equal(1500);
    expect(Array.from(frozen.cepstralMean(prior))).to.deep.equal([15, -2, 2]);
    expect(Array.from(caller.cepstralMean(prior))).to.deep.equal([17.5, -1, 2]);
  });

  it('keeps the line SNR of the call\'s last answer measured; a frozen copy reads it as it was and records none', () => {
    const caller = new CallerAcoustics();
    expect(caller.lineSnrDb).to.equal(null);
    expect(caller.recordsLine).to.equal(true);
    expect(caller.frozen().recordsLine).to.equal(false);
    caller.heardLine(8.5);
    caller.heardLine(Number.NaN);
    expect(caller.lineSnrDb).to.equal(8.5);
    const frozen = caller.frozen();
    frozen.heardLine(30);
    expect(frozen.lineSnrDb).to.equal(8.5);
    // Digital silence in the pauses measures as a clean line, and that is kept too.
    caller.heardLine(Number.POSITIVE_INFINITY);
    expect(caller.lineSnrDb).to.equal(Number.POSITIVE_INFINITY);
    expect(frozen.lineSnrDb).to.equal(8.5);
  });

  it('names its call, the same for its frozen copies and another for another call', () => {
    const caller = new CallerAcoustics();
    expect(caller.call).to.equal(caller);
    expect(caller.frozen().call).to.equal(caller);
    expect(caller.frozen().frozen().call).to.equal(caller);
    expect(new CallerAcoustics().call).to.not.equal(caller);
  });

  it('a held copy reads the call as it was, and what it is told reaches the call only when told on, once', () => {
    const caller = new CallerAcoustics();
    caller.heard([20, 0, 2], 500);
    caller.heardLine(18);
    const held = caller.held();
    expect(held.call).to.equal(caller);
    expect(held.recordsLine).to.equal(true);
    held.heard([40, 8, 2], 1000);
    held.heardLine(7);
    expect(caller.framesHeard).to.equal(500);
    expect(caller.lineSnrDb).to.equal(18);
    expect(Array.from(held.cepstralMean(prior))).to.deep.equal([15, -2, 2]);
    held.tell();
    held.tell();
    expect(caller.framesHeard).to.equal(1500);
    expect(caller.lineSnrDb).to.equal(7);
    expect(Array.from(caller.cepstralMean(prior))).to.deep.equal([27.5, 3, 2]);
    expect(caller.frozen().held().recordsLine).to.equal(false);
  });
});
