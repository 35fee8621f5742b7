// Tally on hand-made democracies: counts over the roll, weights, influencers, and scale limits.
import { expect } from 'chai';
import { DemocracyState, rollOfVoters, type Roll } from '../../src/core/democracy-state.js';
import { buildBillGraph } from '../../src/core/delegation-graph.js';
import type { DomainEvent } from '../../src/core/events.js';
import {
  compareVoterIds, effectiveVoteOf, resolve, tally, tallyBill, topInfluencers, weightOf,
} from '../../src/core/tally.js';
import { tentativeId } from '../../src/core/voter.js';

function stateWith(voters: number, events: DomainEvent[]): DemocracyState {
  const state = new DemocracyState(rollOfVoters(Array.from({ length: voters }, (_, index) => String(index + 1))));
  for (const event of events) state.applyEvent(event);
  return state;
}

/** Registered "1".."count" without materializing a set of a million ids. */
function rangeRoll(count: number): Roll {
  return { isRegistered: (voter) => /^[1-9]\d*$/.test(voter) && Number(voter) <= count, registeredCount: count };
}

describe('tally', () => {
  it('counts every registered voter, the inactive ones as absent', () => {
    const state = stateWith(10, [
      { type: 'vote', voter: '1', bill: 'hr1', choice: 'yes' },
      { type: 'vote', voter: '2', bill: 'hr1', choice: 'no' },
      { type: 'delegate', voter: '3', delegate: '1', rank: 1 },
      { type: 'delegate', voter: '4', delegate: '3', rank: 1 },
      { type: 'delegate', voter: '5', delegate: '2', rank: 1 },
      { type: 'vote', voter: '6', bill: 'hr1', choice: 'abstain' },
    ]);
    expect(tally(buildBillGraph(state, 'hr1'))).to.deep.equal(
      { bill: 'hr1', yes: 3, no: 2, abstain: 1, absent: 4, registered: 10 });
    expect(tally(buildBillGraph(state, 'hr2'))).to.deep.equal(
      { bill: 'hr2', yes: 0, no: 0, abstain: 0, absent: 10, registered: 10 });
  });

  it('gives unregistered voters no vote and no delegations', () => {
    const tentative = tentativeId(1);
    const state = stateWith(3, [
      { type: 'vote', voter: tentative, bill: 'hr1', choice: 'yes' },
      { type: 'delegate', voter: '1', delegate: tentative, rank: 1 },
      { type: 'delegate', voter: '1', delegate: '2', rank: 2 },
      { type: 'delegate', voter: tentative, delegate: '3', rank: 1 },
      { type: 'vote', voter: '3', bill: 'hr1', choice: 'no' },
    ]);
    const { tally: counts, resolution } = tallyBill(state, 'hr1');
    expect(counts).to.deep.equal({ bill: 'hr1', yes: 0, no: 1, abstain: 0, absent: 2, registered: 3 });
    expect(effectiveVoteOf(resolution, tentative)).to.equal('absent');
    expect(weightOf(resolution, tentative)).to.equal(0);
  });

  it('weighs each voter by the chains through it, and ranks influencers by weight then id', () => {
    const state = stateWith(12, [
      { type: 'vote', voter: '10', bill: 'hr1', choice: 'yes' },
      { type: 'vote', voter: '9', bill: 'hr1', choice: 'no' },
      { type: 'delegate', voter: '2', delegate: '10', rank: 1 },
      { type: 'delegate', voter: '3', delegate: '2', rank: 1 },
      { type: 'delegate', voter: '4', delegate: '2', rank: 1 },
      { type: 'delegate', voter: '5', delegate: '9', rank: 1 },
      { type: 'delegate', voter: '6', delegate: '9', rank: 1 },
      { type: 'delegate', voter: '7', delegate: '11', rank: 1 },
      { type: 'delegate', voter: '11', delegate: '7', rank: 1 },
    ]);
    const { influencers, resolution } = tallyBill(state, 'hr1', { influencers: 3 });
    expect([weightOf(resolution, '10'), weightOf(resolution, '2'), weightOf(resolution, '9')]).to.deep.equal([4, 3, 3]);
    expect([weightOf(resolution, '7'), weightOf(resolution, '1')]).to.deep.equal([0, 0]);
    expect(influencers).to.deep.equal([
      { voter: '10', weight: 4, value: 'yes' }, { voter: '2', weight: 3, value: 'yes' }, { voter: '9', weight: 3, value: 'no' },
    ]);
    expect(topInfluencers(resolution, 0)).to.deep.equal([]);
  });

  it('orders voter ids numerically', () => {
    expect(['10', '9', '100', '1'].sort(compareVoterIds)).to.deep.equal(['1', '9', '10', '100']);
  });

  it('resolves a chain of 200,000 voters without overflowing the stack', () => {
    const voters = 200_000;
    const state = new DemocracyState(rangeRoll(voters));
    for (let voter = 1; voter < voters; voter += 1) {
      state.applyEvent({ type: 'delegate', voter: String(voter), delegate: String(voter + 1), rank: 1 });
    }
    state.applyEvent({ type: 'vote', voter: String(voters), bill: 'hr1', choice: 'yes' });
    const { tally: counts, resolution, influencers } = tallyBill(state, 'hr1', { influencers: 2 });
    expect(counts.yes).to.equal(voters);
    expect(influencers).to.deep.equal([
      { voter: String(voters), weight: voters, value: 'yes' }, { voter: String(voters - 1), weight: voters - 1, value: 'yes' },
    ]);
    expect(weightOf(resolution, '1')).to.equal(1);
  });

  it('resolves a cycle of 200,000 voters: absent without exits, through its exit with one', () => {
    const voters = 200_000;
    const state = new DemocracyState(rangeRoll(voters + 1));
    for (let voter = 1; voter <= voters; voter += 1) {
      state.applyEvent({ type: 'delegate', voter: String(voter), delegate: String((voter % voters) + 1), rank: 1 });
    }
    expect(tally(buildBillGraph(state, 'hr1')).absent).to.equal(voters + 1);
    // One exit, at rank 2 of member 2000: the walk from member v runs v, v + 1, ..., 2000 (2000's
    // rank 1, member 1, only leads back into the path) and leaves there, so member k lies on the
    // walks from 1..k. Short enough for the O(k²) walks.
    const small = new DemocracyState(rangeRoll(2001));
    for (let voter = 1; voter <= 2000; voter += 1) {
      small.applyEvent({ type: 'delegate', voter: String(voter), delegate: String((voter % 2000) + 1), rank: 1 });
    }
    small.applyEvent({ type: 'delegate', voter: '2000', delegate: '2001', rank: 2 });
    small.applyEvent({ type: 'vote', voter: '2001', bill: 'hr1', choice: 'no' });
    const resolution = resolve(buildBillGraph(small, 'hr1'));
    expect(tally(resolution.graph).no).to.equal(2001);
    expect(weightOf(resolution, '2000')).to.equal(2000);
    expect(weightOf(resolution, '1000')).to.equal(1000);
    expect(weightOf(resolution, '1')).to.equal(1);
    expect(weightOf(resolution, '2001')).to.equal(2001);
  });
});
