// Audit (SPEC §3): how a voter's power is used. With a bill, the chain the reference walk takes
// (tally.ts), including the branches it skipped and why, down to the final direct voter, or why the
// vote is absent. Without a bill, the voter's ranked delegates and theirs, as a bounded tree.
// Structured data only: renderExplanation (explain-render.ts) and the CLI/IVR/web turn it into words.
import type { BillId } from './bill.js';
import type { Candidate, CandidateKind, DemocracyState, DirectVote } from './democracy-state.js';
import { buildReachableBillGraph, voteCodeAbsent, voteValueOfCode } from './delegation-graph.js';
import { invariant, InvariantError } from './invariant.js';
import { resolutionPath, resolveValues } from './bill-resolution.js';
import type { VoteValue } from './vote.js';
import type { VoterId } from './voter.js';

/** Tree depth read out without a bill: beyond it a chain is too long to follow by ear. */
export const delegationTreeDepthMax = 10;
/** Tree size bound: three ranks over ten levels could otherwise reach 3^10 voters. */
export const delegationTreeNodesMax = 500;
/** Direct votes listed per voter in the tree (the most recent bills). */
export const delegationTreeVotesMax = 10;
/** Bound on any followed chain; a chain never repeats a voter, so this is never reached in practice. */
export const chainStepsMax = 10_000_000;

/** Why a branch ends absent: it cycles back, reaches a dead end, or reaches an unregistered voter. */
export type AbsentCause = 'cycle' | 'dead-end' | 'not-registered';

export type SkipReason =
  /** The candidate is already on the chain. */
  | { kind: 'cycle' }
  /** Following it, the chain ends absent at `at`. */
  | { kind: 'ends-absent'; at: VoterId; cause: AbsentCause };

export interface SkippedCandidate {
  delegate: VoterId;
  kind: CandidateKind;
  reason: SkipReason;
}

export interface ChainStep {
  voter: VoterId;
  delegate: VoterId;
  /** Which candidate the walk used: the bill delegate or ranked default 1..3. */
  kind: CandidateKind;
  /** Earlier candidates of `voter` that the walk tried and skipped, in order. */
  skipped: SkippedCandidate[];
}

export type AbsentReason =
  | { kind: 'cycle'; from: VoterId; backTo: VoterId }
  | { kind: 'dead-end'; at: VoterId }
  | { kind: 'not-registered'; at: VoterId };

export interface BillExplanation {
  kind: 'bill';
  bill: BillId;
  voter: VoterId;
  steps: ChainStep[];
  outcome:
    | { kind: 'voted'; finalVoter: VoterId; value: VoteValue }
    | { kind: 'absent'; reason: AbsentReason };
}

export interface DelegationNode {
  voter: VoterId;
  /** Rank under its parent; null for the root. */
  rank: CandidateKind | null;
  registered: boolean;
  /** Already on the chain from the root: not expanded again. */
  cycle: boolean;
  votes: DirectVote[];
  delegates: DelegationNode[];
}

export interface DelegationsExplanation {
  kind: 'delegations';
  voter: VoterId;
  root: DelegationNode;
  /** Some delegates were left out (depth or size bound). */
  truncated: boolean;
}

export type Explanation = BillExplanation | DelegationsExplanation;

/** Candidates in walk order, each voter once (a bill delegate that is also ranked is tried once). */
function distinctCandidates(state: DemocracyState, bill: BillId, voter: VoterId): Candidate[] {
  if (!state.isRegistered(voter)) return [];
  const seen = new Set<VoterId>();
  return state.candidates(bill, voter).filter(({ delegate }) => !seen.has(delegate) && seen.add(delegate));
}

/** Where a skipped (absent) branch ends: follow its first candidates that are not yet seen. */
function probeAbsentBranch(
  state: DemocracyState, bill: BillId, start: VoterId, onChain: ReadonlySet<VoterId>,
): { at: VoterId; cause: AbsentCause } {
  invariant(!onChain.has(start), 'probing a branch that is on the chain');
  const seen = new Set<VoterId>();
  const available = (voter: VoterId): boolean => !onChain.has(voter) && !seen.has(voter);
  let current = start;
  for (let step = 0; step < chainStepsMax; step += 1) {
    seen.add(current);
    if (!state.isRegistered(current)) return { at: current, cause: 'not-registered' };
    invariant(state.directVote(bill, current) === undefined, 'an absent branch reaches a direct voter');
    const candidates = distinctCandidates(state, bill, current);
    if (candidates.length === 0) return { at: current, cause: 'dead-end' };
    const next = candidates.find(({ delegate }) => available(delegate));
    if (next === undefined) return { at: current, cause: 'cycle' };
    current = next.delegate;
  }
  throw new InvariantError('unreachable: an absent branch longer than the bound');
}

/**
 * The candidates of `voter` (the last on the chain) that the walk tried before `used`, with the
 * reason each was skipped; and the kind of `used`.
 */
function skippedBefore(
  state: DemocracyState, bill: BillId, chain: { voter: VoterId; onChain: ReadonlySet<VoterId> }, used: VoterId,
): { skipped: SkippedCandidate[]; usedKind: CandidateKind } {
  const { voter, onChain } = chain;
  invariant(onChain.has(voter), 'the voter is not on the chain');
  const skipped: SkippedCandidate[] = [];
  for (const { delegate, kind } of distinctCandidates(state, bill, voter)) {
    if (delegate === used) return { skipped, usedKind: kind };
    const reason: SkipReason = onChain.has(delegate)
      ? { kind: 'cycle' }
      : { kind: 'ends-absent', ...probeAbsentBranch(state, bill, delegate, onChain) };
    skipped.push({ delegate, kind, reason });
  }
  throw new InvariantError('the walk used a candidate the voter does not have');
}

function explainPresent(state: DemocracyState, bill: BillId, path: readonly VoterId[]): BillExplanation {
  const steps: ChainStep[] = [];
  const onChain = new Set<VoterId>();
  for (let index = 0; index + 1 < path.length; index += 1) {
    const voter = path[index]!;
    const delegate = path[index + 1]!;
    onChain.add(voter);
    const { skipped, usedKind } = skippedBefore(state, bill, { voter, onChain }, delegate);
    steps.push({ voter, delegate, kind: usedKind, skipped });
  }
  const finalVoter = path[path.length - 1]!;
  const value = state.directVote(bill, finalVoter);
  invariant(value !== undefined, 'a present chain ends at a direct voter');
  return { kind: 'bill', bill, voter: path[0]!, steps, outcome: { kind: 'voted', finalVoter, value } };
}

/**
 * An absent voter: every branch ends absent, so the chain shown follows, at each voter, the first
 * candidate not yet on it (as the walk tries it first), until the reason appears.
 */
function explainAbsent(state: DemocracyState, bill: BillId, voter: VoterId): BillExplanation {
  const steps: ChainStep[] = [];
  const onChain = new Set<VoterId>([voter]);
  const explanation = (reason: AbsentReason): BillExplanation =>
    ({ kind: 'bill', bill, voter, steps, outcome: { kind: 'absent', reason } });
  let current = voter;
  for (let step = 0; step < chainStepsMax; step += 1) {
    if (!state.isRegistered(current)) return explanation({ kind: 'not-registered', at: current });
    invariant(state.directVote(bill, current) === undefined, 'an absent chain reaches a direct voter');
    const candidates = distinctCandidates(state, bill, current);
    if (candidates.length === 0) return explanation({ kind: 'dead-end', at: current });
    const next = candidates.find(({ delegate }) => !onChain.has(delegate));
    if (next === undefined) {
      return explanation({ kind: 'cycle', from: current, backTo: candidates[0]!.delegate });
    }
    const { skipped, usedKind } = skippedBefore(state, bill, { voter: current, onChain }, next.delegate);
    invariant(usedKind === next.kind, 'absent chain used another candidate');
    steps.push({ voter: current, delegate: next.delegate, kind: next.kind, skipped });
    onChain.add(next.delegate);
    current = next.delegate;
  }
  throw new InvariantError('unreachable: an absent chain longer than the bound');
}

export function explainBill(state: DemocracyState, voter: VoterId, bill: BillId): BillExplanation {
  const graph = buildReachableBillGraph(state, bill, voter);
  const resolution = resolveValues(graph);
  const node = graph.nodeOf.get(voter);
  if (node === undefined || resolution.value[node] === voteCodeAbsent) {
    return explainAbsent(state, bill, voter);
  }
  const path = resolutionPath(resolution, node).map((onPath) => graph.voterIds[onPath]!);
  invariant(path[0] === voter, 'the chain starts elsewhere');
  const explanation = explainPresent(state, bill, path);
  invariant(explanation.outcome.kind === 'voted', 'present voter explained as absent');
  const value = voteValueOfCode(resolution.value[node]!);
  invariant(explanation.outcome.value === value, 'explained value differs');
  return explanation;
}

/**
 * The delegation tree without a bill: ranked delegates and theirs, breadth-first so that when the
 * size bound cuts the tree, the nearest delegates are the ones kept.
 */
export function explainDelegations(state: DemocracyState, voter: VoterId): DelegationsExplanation {
  const nodeOf = (id: VoterId, rank: CandidateKind | null, cycle: boolean): DelegationNode => ({
    voter: id, rank, registered: state.isRegistered(id), cycle,
    votes: state.directVotesOf(id).slice(-delegationTreeVotesMax), delegates: [],
  });
  const root = nodeOf(voter, null, false);
  const queue: Array<{ node: DelegationNode; chain: VoterId[] }> = [{ node: root, chain: [voter] }];
  let nodeCount = 1;
  let truncated = false;
  // Nodes are only added while at most delegationTreeNodesMax exist, so the loop is bounded.
  for (let head = 0; head < queue.length; head += 1) {
    const { node, chain } = queue[head]!;
    const delegates = state.rankedDefaults(node.voter);
    if (delegates.length === 0) continue;
    if (chain.length > delegationTreeDepthMax || nodeCount + delegates.length > delegationTreeNodesMax) {
      truncated = true;
      continue;
    }
    nodeCount += delegates.length;
    delegates.forEach((delegate, index) => {
      const child = nodeOf(delegate, (index + 1) as CandidateKind, chain.includes(delegate));
      node.delegates.push(child);
      if (!child.cycle) queue.push({ node: child, chain: [...chain, delegate] });
    });
  }
  invariant(nodeCount <= delegationTreeNodesMax, 'delegation tree over its bound');
  invariant(queue[0]?.node === root, 'tree root moved');
  return { kind: 'delegations', voter, root, truncated };
}

/** With a bill: the chain for that bill. Without: the delegation tree. */
export function explain(state: DemocracyState, voter: VoterId, bill?: BillId): Explanation {
  return bill === undefined ? explainDelegations(state, voter) : explainBill(state, voter, bill);
}

export { renderExplanation } from './explain-render.js';
