// KeyList (commit-encoding.ts) numbers distinct keys by first use, looking through a few keys and
// keeping a Map once it has more: both ways must give the same numbers.
import { expect } from 'chai';
import { KeyList } from '../../src/store/commit-encoding.js';

describe('store/commit-encoding: KeyList numbers keys by first use', () => {
  it('gives each distinct key one 1-based position, before and after it outgrows a linear search', () => {
    const list = new KeyList(['{ia}:log']);
    const names = Array.from({ length: 40 }, (_, i) => `{ia}:k${i % 20}`);
    const positions = names.map((name) => list.position(name));
    // 20 distinct keys after the log: k0..k19 get 2..21, and the second pass finds the same positions.
    expect(positions.slice(0, 20)).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 2));
    expect(positions.slice(20)).to.deep.equal(positions.slice(0, 20));
    expect(list.keys).to.deep.equal(['{ia}:log', ...names.slice(0, 20)]);
    expect(list.position('{ia}:log')).to.equal(1);
    expect(list.position('{ia}:new')).to.equal(22);
  });
});
