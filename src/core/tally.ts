// Tally of one bill: every registered voter's effective vote, the counts, and each voter's weight.
//
// Semantics (SPEC §3, decided). For bill b, voter v's candidates are, in order: v's bill delegate
// on b (if any), then v's ranked default delegates 1, 2, 3 (if any). The effective vote of v is the
// reference walk walk(v, {}):
//
//   walk(v, path): if v has a direct vote on b → that vote (yes / no / abstain).
//     for c in candidates(v): if c ∈ path ∪ {v} → skip (a cycle: that branch is absent);
//       r = walk(c, path ∪ {v}); if r ≠ absent → return r
//     return absent   (no candidates, or every branch absent)
//
// Only registered voters' actions count: an unregistered (tentative) voter has no vote and no
// candidates, i.e. it is a dead end. Counts run over all registered voters (registeredCount),
// including the many without any action, who are absent. The weight of voter x on b is the number
// of registered voters whose effective vote is not absent and whose resolution path (the voters
// the walk went through, from v to the final direct voter, both included) contains x. Top
// influencers: voters by weight descending, then id ascending.
//
// Algorithm. The seed walked each voter separately (O(N·depth), and wrong on ranked fallbacks).
// Here the bill graph (delegation-graph.ts) is resolved once, in O(N + E) outside cycles:
// - Tarjan's components (Pearce's variant, iterative), emitted sinks first
//   (strongly-connected-components.ts), each resolved the moment it is emitted (bill-resolution.ts).
// - A node in a trivial component is path-independent: no node of the path reaches back to it,
//   so its value is its direct vote, else the value of its first candidate with a non-absent
//   value; those candidates are in components emitted earlier, hence final.
// - Early exit: once a voter's first candidates, in order, are final and one is not absent, the
//   walk through that voter can never use its later candidates (walk(c, P) with c final does not
//   depend on P), so the search skips those edges. The voter is then path-independent even if a
//   later edge would have closed a cycle; components are those of the graph the walks use.
// - A non-trivial component is resolved exactly per member (cycle-resolution.ts): worst case
//   O(k²·E) for k members and E edges inside it, O(k + E) when nothing leaves it.
// - Weights: flows in reverse emission order (upstream first). A trivial node's flow (its own unit
//   plus what flows in) goes to its chosen candidate. The flow entering a cycle at member m (m's
//   unit plus flows from outside) follows m's own walk inside the cycle, adds to every member on
//   it, and leaves at the outside node where that walk exits.
// - The builder numbers candidates before delegators (graph-layout.ts), which turns the search
//   into a near-sequential sweep at millions of voters; results do not depend on the numbering.
import type { BillId } from './bill.js';
import { resolve, type BillResolution, type ValueResolution, resolveValues } from './bill-resolution.js';
import type { DemocracyState } from './democracy-state.js';
import {
  buildBillGraph, voteCodeAbsent, voteCodeAbstain, voteCodeNo, voteCodeYes, voteValueOfCode,
  type BillGraph,
} from './delegation-graph.js';
import { topInfluencers, type Influencer } from './influencers.js';
import { invariant } from './invariant.js';
import type { VoteChoice } from './vote.js';
import type { VoterId } from './voter.js';

export {
  accumulateWeights, resolutionPath, resolve, resolveValues, type BillResolution, type ResolveOptions,
  type ValueResolution,
} from './bill-resolution.js';
export { compareVoterIds, topInfluencers, type Influencer } from './influencers.js';
export { ResolutionWorkspace } from './resolution-workspace.js';

export interface Tally {
  bill: BillId;
  yes: number;
  no: number;
  abstain: number;
  absent: number;
  registered: number;
}

/** Counts over all registered voters; voters that are not graph nodes are absent. */
export function countVotes(resolution: ValueResolution): Tally {
  const counts = new Int32Array(4);
  const { value } = resolution;
  // An indexed loop: for-of over millions of entries may allocate an iterator result per entry.
  for (let node = 0; node < value.length; node += 1) {
    const code = value[node]!;
    invariant(code >= voteCodeAbsent && code <= voteCodeAbstain, 'unknown vote code in resolution');
    counts[code] = counts[code]! + 1;
  }
  const { bill, registeredCount } = resolution.graph;
  const yes = counts[voteCodeYes]!;
  const no = counts[voteCodeNo]!;
  const abstain = counts[voteCodeAbstain]!;
  const absent = registeredCount - yes - no - abstain;
  invariant(absent >= counts[voteCodeAbsent]!, 'more present voters than registered');
  return { bill, yes, no, abstain, absent, registered: registeredCount };
}

/** The counts of the bill graph (values only: cheaper than resolve()). */
export function tally(graph: BillGraph): Tally {
  // No weight pass follows, so cycle walks need not be kept for it.
  return countVotes(resolveValues(graph, { cyclePathEntriesMax: 0 }));
}

export function effectiveVoteOf(resolution: ValueResolution, voter: VoterId): VoteChoice {
  const node = resolution.graph.nodeOf.get(voter);
  return node === undefined ? 'absent' : voteValueOfCode(resolution.value[node]!);
}

export function weightOf(resolution: BillResolution, voter: VoterId): number {
  const node = resolution.graph.nodeOf.get(voter);
  return node === undefined ? 0 : resolution.weight[node]!;
}

export interface TallyOptions {
  /** How many top influencers to return (0 by default). */
  influencers?: number;
}

export interface BillTally {
  tally: Tally;
  influencers: Influencer[];
  resolution: BillResolution;
}

/** Build, resolve, count and rank in one call: what the web page and the IVR need for a bill. */
export function tallyBill(state: DemocracyState, bill: BillId, options: TallyOptions = {}): BillTally {
  const resolution = resolve(buildBillGraph(state, bill));
  const influencers = topInfluencers(resolution, options.influencers ?? 0);
  const result = { tally: countVotes(resolution), influencers, resolution };
  invariant(result.tally.registered === state.registeredCount, 'tally over another roll');
  return result;
}
