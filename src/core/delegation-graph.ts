// The delegation graph of one bill on dense integer indices, built once from DemocracyState so that
// resolution (tally.ts) runs on typed arrays instead of string-keyed maps.
//
// Nodes are the registered voters that can matter on the bill: direct voters, and voters with at
// least one registered candidate. Reductions that keep the reference walk exact:
// - A direct voter's candidates are never consulted, so direct voters have no edges.
// - Unregistered voters have neither vote nor candidates (dead ends): they are not nodes.
// - A registered voter without vote or candidates is a dead end too: not a node, edges to it dropped.
// - A repeated candidate (bill delegate also ranked) is tried again with the same path and gives the
//   same absent result, so only its first occurrence is kept.
// Registered voters that are not nodes are absent; the tally counts them via registeredCount.
import type { BillId } from './bill.js';
import type { DemocracyState } from './democracy-state.js';
import { sinkFirstOrder } from './graph-layout.js';
import { invariant } from './invariant.js';
import type { VoteValue } from './vote.js';
import type { VoterId } from './voter.js';

/** Vote codes in Int8Arrays. 0 means "no direct vote" (graph) or "absent" (resolution). */
export const voteCodeAbsent = 0;
export const voteCodeYes = 1;
export const voteCodeNo = 2;
export const voteCodeAbstain = 3;
export type VoteCode = 0 | 1 | 2 | 3;

const voteValueByCode = ['absent', 'yes', 'no', 'abstain'] as const;

export function voteCodeOf(value: VoteValue): VoteCode {
  if (value === 'yes') return voteCodeYes;
  if (value === 'no') return voteCodeNo;
  invariant(value === 'abstain', 'unknown vote value');
  return voteCodeAbstain;
}

export function voteValueOfCode(code: number): VoteValue | 'absent' {
  const value = voteValueByCode[code];
  invariant(value !== undefined, 'unknown vote code');
  return value;
}

/** Indices fit Int32Array with room for the negative encodings used during resolution. */
export const graphNodesMax = 1_000_000_000;

/** Voter id → node index of a bill graph. */
export interface NodeIndex {
  get(voter: VoterId): number | undefined;
  has(voter: VoterId): boolean;
  readonly size: number;
}

export interface BillGraph {
  readonly bill: BillId;
  /** All registered voters of the roll, including the absent ones that are not nodes. */
  readonly registeredCount: number;
  readonly voterIds: readonly VoterId[];
  readonly nodeOf: NodeIndex;
  /** Per node: vote code of the direct vote, voteCodeAbsent when delegating. */
  readonly directVote: Int8Array;
  /** CSR: candidates of node u are candidateNode[candidateStart[u] .. candidateStart[u + 1]). */
  readonly candidateStart: Int32Array;
  readonly candidateNode: Int32Array;
}

/**
 * The index after renumbering, kept as the draft map plus a permutation: re-keying a map of
 * millions of voter ids would cost more than the rest of the build.
 */
class RenumberedIndex implements NodeIndex {
  constructor(private readonly draft: ReadonlyMap<VoterId, number>, private readonly newIndexOf: Int32Array) {
    invariant(draft.size === newIndexOf.length, 'permutation size differs from the index');
  }

  get size(): number {
    return this.draft.size;
  }

  get(voter: VoterId): number | undefined {
    const draftIndex = this.draft.get(voter);
    return draftIndex === undefined ? undefined : this.newIndexOf[draftIndex];
  }

  has(voter: VoterId): boolean {
    return this.draft.has(voter);
  }
}

/**
 * Collects the nodes of a bill graph. String-keyed lookups dominate the build at millions of
 * voters, so each voter costs a bounded few and each edge exactly one.
 */
class GraphBuilder {
  readonly voterIds: VoterId[] = [];
  readonly draftIndex = new Map<VoterId, number>();
  readonly votes: number[] = [];
  readonly lists: VoterId[][] = [];
  private readonly billVotes: ReadonlyMap<VoterId, VoteValue>;
  private readonly billDelegates: ReadonlyMap<VoterId, VoterId>;

  constructor(readonly state: DemocracyState, readonly bill: BillId) {
    this.billVotes = state.votesOn(bill);
    this.billDelegates = state.billDelegatesOn(bill);
  }

  /** Adds a registered voter as a node when it has a direct vote or a registered candidate. */
  consider(voter: VoterId, defaults?: readonly VoterId[]): boolean {
    if (this.draftIndex.has(voter)) return true;
    if (!this.state.isRegistered(voter)) return false;
    const vote = this.billVotes.get(voter);
    const ranked = defaults ?? this.state.rankedDefaults(voter);
    const list = vote === undefined ? this.candidatesOf(voter, ranked) : [];
    if (vote === undefined && list.length === 0) return false;
    this.draftIndex.set(voter, this.voterIds.length);
    this.voterIds.push(voter);
    this.votes.push(vote === undefined ? voteCodeAbsent : voteCodeOf(vote));
    this.lists.push(list);
    return true;
  }

  /** The voter's registered candidates on the bill, first occurrences, in walk order. */
  private candidatesOf(voter: VoterId, defaults: readonly VoterId[]): VoterId[] {
    const result: VoterId[] = [];
    const billDelegate = this.billDelegates.get(voter);
    if (billDelegate !== undefined && this.state.isRegistered(billDelegate)) result.push(billDelegate);
    for (const delegate of defaults) {
      if (delegate !== billDelegate && this.state.isRegistered(delegate)) result.push(delegate);
    }
    invariant(!result.includes(voter), 'self-delegation in state');
    return result;
  }

  finish(): BillGraph {
    const nodeCount = this.voterIds.length;
    invariant(nodeCount <= graphNodesMax, 'too many graph nodes');
    invariant(nodeCount <= this.state.registeredCount, 'more nodes than registered voters');
    const draft = this.draftEdges();
    const order = sinkFirstOrder(nodeCount, draft.start, draft.target);
    const newIndexOf = new Int32Array(nodeCount);
    order.forEach((node, index) => { newIndexOf[node] = index; });
    const candidateStart = new Int32Array(nodeCount + 1);
    const candidateNode = new Int32Array(draft.target.length);
    let edge = 0;
    for (let index = 0; index < nodeCount; index += 1) {
      const node = order[index]!;
      for (let old = draft.start[node]!; old < draft.start[node + 1]!; old += 1) {
        candidateNode[edge++] = newIndexOf[draft.target[old]!]!;
      }
      candidateStart[index + 1] = edge;
    }
    invariant(edge === draft.target.length, 'edges lost while renumbering');
    return {
      bill: this.bill, registeredCount: this.state.registeredCount,
      voterIds: Array.from(order, (node) => this.voterIds[node]!),
      nodeOf: new RenumberedIndex(this.draftIndex, newIndexOf),
      directVote: Int8Array.from(order, (node) => this.votes[node]!), candidateStart, candidateNode,
    };
  }

  /** CSR in draft numbering (the order voters were added), edges only to voters that are nodes. */
  private draftEdges(): { start: Int32Array; target: Int32Array } {
    const nodeCount = this.voterIds.length;
    const start = new Int32Array(nodeCount + 1);
    let target = new Int32Array(Math.max(16, nodeCount));
    let edgeCount = 0;
    for (let node = 0; node < nodeCount; node += 1) {
      for (const delegate of this.lists[node] ?? []) {
        const candidate = this.draftIndex.get(delegate);
        if (candidate === undefined) continue;
        if (edgeCount === target.length) {
          const grown = new Int32Array(target.length * 2);
          grown.set(target);
          target = grown;
        }
        target[edgeCount++] = candidate;
      }
      start[node + 1] = edgeCount;
    }
    invariant(start[nodeCount] === edgeCount, 'edge offsets out of step');
    return { start, target: target.slice(0, edgeCount) };
  }
}

/** The whole bill graph: every registered voter that votes or delegates. */
export function buildBillGraph(state: DemocracyState, bill: BillId): BillGraph {
  const builder = new GraphBuilder(state, bill);
  for (const voter of state.votesOn(bill).keys()) builder.consider(voter);
  for (const voter of state.billDelegatesOn(bill).keys()) builder.consider(voter);
  for (const [voter, defaults] of state.defaultsEntries()) builder.consider(voter, defaults);
  const graph = builder.finish();
  invariant(graph.voterIds.length === graph.nodeOf.size, 'node index out of step');
  return graph;
}

/**
 * The part of the bill graph reachable from `root` (empty when the root is not a node). Every
 * node's value depends only on what it reaches, so resolving this small graph gives the same
 * values as the whole one: explain() uses it to answer for one voter without a full build.
 */
export function buildReachableBillGraph(state: DemocracyState, bill: BillId, root: VoterId): BillGraph {
  const builder = new GraphBuilder(state, bill);
  if (builder.consider(root)) {
    // The node list doubles as the breadth-first queue: it only grows, so the loop is bounded by it.
    for (let next = 0; next < builder.voterIds.length; next += 1) {
      for (const delegate of builder.lists[next] ?? []) builder.consider(delegate);
    }
  }
  const graph = builder.finish();
  invariant(graph.voterIds.length === 0 || graph.nodeOf.has(root), 'root is not a node');
  return graph;
}

/** Checks the structural invariants of a graph (O(nodes + edges)): used by tests and benchmarks. */
export function assertBillGraph(graph: BillGraph): void {
  const nodeCount = graph.voterIds.length;
  invariant(graph.directVote.length === nodeCount, 'vote array length');
  invariant(graph.candidateStart.length === nodeCount + 1, 'candidate offsets length');
  invariant(graph.candidateStart[0] === 0, 'candidate offsets start');
  invariant(graph.candidateStart[nodeCount] === graph.candidateNode.length, 'candidate offsets end');
  for (let node = 0; node < nodeCount; node += 1) {
    const first = graph.candidateStart[node] ?? 0;
    const end = graph.candidateStart[node + 1] ?? 0;
    invariant(first <= end, 'candidate offsets decrease');
    invariant(graph.directVote[node] === voteCodeAbsent || first === end, 'direct voter with edges');
    for (let edge = first; edge < end; edge += 1) {
      const target = graph.candidateNode[edge] ?? -1;
      invariant(target >= 0 && target < nodeCount && target !== node, 'bad candidate');
    }
  }
}
