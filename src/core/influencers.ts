// Top influencers of a bill: voters by weight descending, then id ascending. A bounded min-heap
// keeps the selection O(N log limit): sorting millions of nodes to print ten would dominate a tally.
import { voteValueOfCode } from './delegation-graph.js';
import { invariant } from './invariant.js';
import type { BillResolution } from './bill-resolution.js';
import type { VoteChoice } from './vote.js';
import type { VoterId } from './voter.js';

/** More than a page of influencers is never shown; the bound keeps the heap small. */
export const influencersMax = 10_000;

export interface Influencer {
  voter: VoterId;
  weight: number;
  /** The influencer's own effective vote. */
  value: VoteChoice;
}

/**
 * Voter ids are decimal digit strings without leading zeros, so shorter means smaller: comparing
 * length, then text, is numeric order without parsing (tentative ids exceed 2^53 precision).
 */
export function compareVoterIds(left: VoterId, right: VoterId): number {
  if (left.length !== right.length) return left.length - right.length;
  return left < right ? -1 : left > right ? 1 : 0;
}

class InfluencerHeap {
  readonly nodes: number[] = [];

  constructor(private readonly resolution: BillResolution) {}

  /** True when node a ranks below node b (lighter, or as heavy with a larger id). */
  below(a: number, b: number): boolean {
    const { weight, graph } = this.resolution;
    if (weight[a] !== weight[b]) return weight[a]! < weight[b]!;
    return compareVoterIds(graph.voterIds[a]!, graph.voterIds[b]!) > 0;
  }

  push(node: number): void {
    const nodes = this.nodes;
    nodes.push(node);
    let index = nodes.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.below(nodes[index]!, nodes[parent]!)) break;
      [nodes[index], nodes[parent]] = [nodes[parent]!, nodes[index]!];
      index = parent;
    }
  }

  /** Replaces the lowest-ranked node (the root) and restores the heap order. */
  replaceRoot(node: number): void {
    const nodes = this.nodes;
    nodes[0] = node;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let lowest = index;
      if (left < nodes.length && this.below(nodes[left]!, nodes[lowest]!)) lowest = left;
      if (right < nodes.length && this.below(nodes[right]!, nodes[lowest]!)) lowest = right;
      if (lowest === index) return;
      [nodes[index], nodes[lowest]] = [nodes[lowest]!, nodes[index]!];
      index = lowest;
    }
  }
}

export function topInfluencers(resolution: BillResolution, limit: number): Influencer[] {
  invariant(Number.isInteger(limit) && limit >= 0, 'influencer limit must be a natural number');
  invariant(limit <= influencersMax, 'influencer limit too large');
  const heap = new InfluencerHeap(resolution);
  const { weight } = resolution;
  // Once the heap is full, a node lighter than its lightest member cannot enter: one comparison.
  let entryWeight = 1;
  for (let node = 0; node < weight.length && limit > 0; node += 1) {
    if (weight[node]! < entryWeight) continue;
    if (heap.nodes.length < limit) heap.push(node);
    else if (heap.below(heap.nodes[0]!, node)) heap.replaceRoot(node);
    if (heap.nodes.length === limit) entryWeight = weight[heap.nodes[0]!]!;
  }
  const ranked = [...heap.nodes].sort((a, b) => (heap.below(a, b) ? 1 : heap.below(b, a) ? -1 : 0));
  const result = ranked.map((node) => ({
    voter: resolution.graph.voterIds[node]!,
    weight: weight[node]!,
    value: voteValueOfCode(resolution.value[node]!),
  }));
  invariant(result.length <= limit, 'more influencers than asked for');
  return result;
}
