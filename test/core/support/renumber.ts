// A bill graph with its nodes renumbered by a seeded shuffle: the resolution must not depend on
// the numbering that the graph builder chose for cache locality.
import type { BillGraph } from '../../../src/core/delegation-graph.js';

function shuffled(count: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: count }, (_, index) => index);
  let state = seed >>> 0;
  for (let index = count - 1; index > 0; index -= 1) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const other = state % (index + 1);
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  return order;
}

export function renumbered(graph: BillGraph, seed: number): BillGraph {
  const count = graph.voterIds.length;
  const order = shuffled(count, seed);
  const newIndexOf = new Int32Array(count);
  order.forEach((node, index) => { newIndexOf[node] = index; });
  const candidateStart = new Int32Array(count + 1);
  const candidates: number[] = [];
  order.forEach((node, index) => {
    for (let edge = graph.candidateStart[node]!; edge < graph.candidateStart[node + 1]!; edge += 1) {
      candidates.push(newIndexOf[graph.candidateNode[edge]!]!);
    }
    candidateStart[index + 1] = candidates.length;
  });
  const voterIds = Array.from(order, (node) => graph.voterIds[node]!);
  return {
    ...graph, voterIds, nodeOf: new Map(voterIds.map((voter, index) => [voter, index])),
    directVote: Int8Array.from(order, (node) => graph.directVote[node]!),
    candidateStart, candidateNode: Int32Array.from(candidates),
  };
}
