import { expect } from 'chai';
import { JitterBuffer } from '../../src/telephony/rtp/jitter-buffer.js';

describe('JitterBuffer', () => {
  it('waits for its depth, then plays in sequence order despite reordering', () => {
    const buffer = new JitterBuffer<number>({ depthFrames: 3, capacityFrames: 10 });
    buffer.put(10, 10);
    buffer.put(12, 12);
    expect(buffer.take()).to.equal(null); // still priming
    buffer.put(11, 11);
    expect([buffer.take(), buffer.take(), buffer.take()]).to.deep.equal([10, 11, 12]);
  });

  it('drops duplicates and late packets, counts losses', () => {
    const buffer = new JitterBuffer<number>({ depthFrames: 2, capacityFrames: 10 });
    buffer.put(1, 1);
    buffer.put(1, 1);
    buffer.put(3, 3);
    expect(buffer.take()).to.equal(1);
    expect(buffer.take()).to.equal(null); // 2 missing
    buffer.put(2, 2); // too late now
    expect(buffer.take()).to.equal(3);
    expect(buffer.stats).to.include({ duplicate: 1, late: 1, lost: 1, received: 2 });
  });

  it('handles 16-bit sequence wrap-around', () => {
    const buffer = new JitterBuffer<number>({ depthFrames: 2, capacityFrames: 10 });
    buffer.put(65535, 1);
    buffer.put(0, 2);
    buffer.put(1, 3);
    expect([buffer.take(), buffer.take(), buffer.take()]).to.deep.equal([1, 2, 3]);
  });

  it('stays bounded: a jump beyond capacity restarts at the new packet', () => {
    const buffer = new JitterBuffer<number>({ depthFrames: 1, capacityFrames: 5 });
    for (let sequence = 0; sequence < 4; sequence += 1) buffer.put(sequence * 2, sequence);
    buffer.put(1000, 99);
    expect(buffer.size).to.equal(1);
    expect(buffer.take()).to.equal(99);
    expect(buffer.stats.overflow).to.equal(4);
  });
});
