// Components against brute-force reachability on random graphs, and deep graphs without recursion.
import { expect } from 'chai';
import fc from 'fast-check';
import { sinkFirstOrder } from '../../src/core/graph-layout.js';
import { stronglyConnectedComponents } from '../../src/core/strongly-connected-components.js';

interface Csr { nodeCount: number; start: Int32Array; target: Int32Array }

function csrOf(lists: readonly (readonly number[])[]): Csr {
  const start = new Int32Array(lists.length + 1);
  lists.forEach((list, node) => { start[node + 1] = start[node]! + list.length; });
  return { nodeCount: lists.length, start, target: Int32Array.from(lists.flat()) };
}

/** reach[a][b]: b is reachable from a (every node reaches itself). */
function reachability(lists: readonly (readonly number[])[]): boolean[][] {
  return lists.map((_, from) => {
    const seen = new Array<boolean>(lists.length).fill(false);
    const queue = [from];
    seen[from] = true;
    for (let head = 0; head < queue.length; head += 1) {
      for (const next of lists[queue[head]!]!) if (!seen[next]) { seen[next] = true; queue.push(next); }
    }
    return seen;
  });
}

const graphArbitrary = fc.integer({ min: 1, max: 30 }).chain((nodeCount) =>
  fc.array(fc.uniqueArray(fc.integer({ min: 0, max: nodeCount - 1 }), { maxLength: 4 }),
    { minLength: nodeCount, maxLength: nodeCount }));

describe('strongly connected components', () => {
  it('groups exactly the mutually reachable nodes, sinks first (property)', () => {
    fc.assert(fc.property(graphArbitrary, (lists) => {
      const { nodeCount, start, target } = csrOf(lists);
      const reach = reachability(lists);
      const components = stronglyConnectedComponents(nodeCount, start, target);
      expect([...components.order].sort((a, b) => a - b)).to.deep.equal(lists.map((_, node) => node));
      for (let a = 0; a < nodeCount; a += 1) {
        for (let b = 0; b < nodeCount; b += 1) {
          const same = components.componentOf[a] === components.componentOf[b];
          expect(same, `${a} and ${b}`).to.equal(reach[a]![b]! && reach[b]![a]!);
          // A component reached from another one is emitted before it.
          if (!same && reach[a]![b]) expect(components.componentOf[b]!).to.be.lessThan(components.componentOf[a]!);
        }
      }
      const cycleMembers = components.cycles.reduce((sum, { first, end }) => sum + end - first, 0);
      const inCycles = lists.filter((_, node) => lists.some((__, other) => other !== node
        && components.componentOf[other] === components.componentOf[node])).length;
      expect(cycleMembers).to.equal(inCycles);
    }), { numRuns: 300 });
  });

  it('numbers candidates first when the graph is acyclic (property)', () => {
    fc.assert(fc.property(graphArbitrary, (lists) => {
      const acyclic = lists.map((list, node) => list.filter((next) => next < node));
      const { nodeCount, start, target } = csrOf(acyclic);
      const order = sinkFirstOrder(nodeCount, start, target);
      const position = new Int32Array(nodeCount);
      order.forEach((node, index) => { position[node] = index; });
      expect([...order].sort((a, b) => a - b)).to.deep.equal(acyclic.map((_, node) => node));
      acyclic.forEach((list, node) => list.forEach((next) => expect(position[next]).to.be.lessThan(position[node]!)));
    }), { numRuns: 200 });
  });

  it('searches a 300,000-node chain and cycle without recursion', () => {
    const nodeCount = 300_000;
    const chain = csrOf(Array.from({ length: nodeCount }, (_, node) => (node + 1 < nodeCount ? [node + 1] : [])));
    const chainComponents = stronglyConnectedComponents(chain.nodeCount, chain.start, chain.target);
    expect(chainComponents.count).to.equal(nodeCount);
    expect(chainComponents.order[0]).to.equal(nodeCount - 1);
    const ring = csrOf(Array.from({ length: nodeCount }, (_, node) => [(node + 1) % nodeCount]));
    const ringComponents = stronglyConnectedComponents(ring.nodeCount, ring.start, ring.target);
    expect(ringComponents.count).to.equal(1);
    expect(ringComponents.cycles).to.deep.equal([{ first: 0, end: nodeCount }]);
  });
});
