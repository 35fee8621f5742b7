// Node numbering of a bill graph for the resolution's memory access pattern. At millions of voters
// the depth-first search is bound by memory latency, not by arithmetic. Numbering candidates before
// their delegators (topologically, where the graph is acyclic) lets the search meet almost every
// node with its candidates already complete, so it degenerates into a sweep in index order, and
// the flow pass sweeps back. The numbering changes no result, only which index a voter gets: the
// resolution is exact for any numbering (the property tests also run on shuffled numberings).
import { invariant } from './invariant.js';

/** The order of the new numbering: order[newIndex] = old node. */
export function sinkFirstOrder(nodeCount: number, start: Int32Array, target: Int32Array): Int32Array {
  invariant(start.length === nodeCount + 1, 'offsets length must be nodeCount + 1');
  invariant(start[nodeCount] === target.length, 'offsets must end at the edge count');
  // Reverse adjacency: the delegators of each node, in CSR form.
  const reverseStart = new Int32Array(nodeCount + 1);
  for (let edge = 0; edge < target.length; edge += 1) {
    const candidate = target[edge]!;
    reverseStart[candidate + 1] = reverseStart[candidate + 1]! + 1;
  }
  for (let node = 0; node < nodeCount; node += 1) {
    reverseStart[node + 1] = reverseStart[node + 1]! + reverseStart[node]!;
  }
  const fill = reverseStart.slice(0, nodeCount);
  const delegators = new Int32Array(target.length);
  for (let node = 0; node < nodeCount; node += 1) {
    for (let edge = start[node]!; edge < start[node + 1]!; edge += 1) {
      const candidate = target[edge]!;
      delegators[fill[candidate]!] = node;
      fill[candidate] = fill[candidate]! + 1;
    }
  }
  // Kahn's order: a node is placed once all its candidates are, so the acyclic part is numbered
  // topologically (candidates first). The order array doubles as the queue; each node enters once.
  const order = new Int32Array(nodeCount);
  const unplacedCandidates = new Int32Array(nodeCount);
  let size = 0;
  for (let node = 0; node < nodeCount; node += 1) {
    unplacedCandidates[node] = start[node + 1]! - start[node]!;
    if (unplacedCandidates[node] === 0) order[size++] = node;
  }
  for (let head = 0; head < size; head += 1) {
    const node = order[head]!;
    for (let edge = reverseStart[node]!; edge < reverseStart[node + 1]!; edge += 1) {
      const delegator = delegators[edge]!;
      unplacedCandidates[delegator] = unplacedCandidates[delegator]! - 1;
      if (unplacedCandidates[delegator] === 0) order[size++] = delegator;
    }
  }
  // Cycles and what leads into them go last, in their original order.
  for (let node = 0; node < nodeCount; node += 1) if (unplacedCandidates[node]! > 0) order[size++] = node;
  invariant(size === nodeCount, 'the order is a permutation');
  return order;
}
