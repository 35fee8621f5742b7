// The reference semantics of the effective vote (src/core/tally.ts header), implemented literally:
// a path-based, exhaustive depth-first walk per voter. Exponential in the worst case, which is why
// production resolves the graph instead; here it is the oracle for small random graphs.
import type { BillId } from '../../../src/core/bill.js';
import type { DemocracyState } from '../../../src/core/democracy-state.js';
import type { VoteChoice } from '../../../src/core/vote.js';
import type { VoterId } from '../../../src/core/voter.js';

export interface ReferenceResult {
  value: VoteChoice;
  /** The voters the walk went through, from the voter to the final direct voter; [] when absent. */
  path: VoterId[];
}

/** Calls allowed per voter: a generator that makes the oracle explode must fail loudly, not hang. */
export const referenceCallsMax = 2_000_000;

export function referenceWalk(state: DemocracyState, bill: BillId, voter: VoterId): ReferenceResult {
  let calls = 0;
  const walk = (current: VoterId, path: readonly VoterId[]): VoterId[] | null => {
    calls += 1;
    if (calls > referenceCallsMax) throw new Error(`reference walk from ${voter} exceeded its budget`);
    // Unregistered voters are dead ends: no vote, no candidates.
    if (!state.isRegistered(current)) return null;
    if (state.directVote(bill, current) !== undefined) return [current];
    const visited = [...path, current];
    for (const { delegate } of state.candidates(bill, current)) {
      if (visited.includes(delegate)) continue;
      const rest = walk(delegate, visited);
      if (rest !== null) return [current, ...rest];
    }
    return null;
  };
  const path = walk(voter, []);
  if (path === null) return { value: 'absent', path: [] };
  const last = path[path.length - 1];
  const value = last === undefined ? undefined : state.directVote(bill, last);
  if (value === undefined) throw new Error('reference path does not end at a direct vote');
  return { value, path };
}

export interface ReferenceTally {
  values: Map<VoterId, ReferenceResult>;
  weights: Map<VoterId, number>;
  counts: { yes: number; no: number; abstain: number; absent: number };
}

/** Values of the given registered voters, weights from their paths, and the counts. */
export function referenceTally(
  state: DemocracyState, bill: BillId, registered: readonly VoterId[],
): ReferenceTally {
  const values = new Map<VoterId, ReferenceResult>();
  const weights = new Map<VoterId, number>();
  const counts = { yes: 0, no: 0, abstain: 0, absent: 0 };
  for (const voter of registered) {
    const result = referenceWalk(state, bill, voter);
    values.set(voter, result);
    counts[result.value] += 1;
    for (const onPath of result.path) weights.set(onPath, (weights.get(onPath) ?? 0) + 1);
  }
  return { values, weights, counts };
}
