// explain(): the chain the reference walk takes, and its wording.
import { expect } from 'chai';
import { DemocracyState, rollOfVoters } from '../../src/core/democracy-state.js';
import type { DomainEvent } from '../../src/core/events.js';
import { explain, renderExplanation, type BillExplanation } from '../../src/core/explain.js';
import { tentativeId } from '../../src/core/voter.js';

const tentative = tentativeId(3);
const names: Record<string, string> = {
  1: 'John Q Doe of Ames', 2: 'Mary Roe of Adel', 3: 'Sam Poe of Boone', 4: 'Ann Lee of Ames',
  5: 'Bob Fox of Adel', 6: 'Eve Ray of Perry', [tentative]: '712-555-XXXX unregistered',
};
const nameOf = (voter: string): string => names[voter] ?? `voter ${voter}`;

function stateWith(events: DomainEvent[]): DemocracyState {
  const state = new DemocracyState(rollOfVoters(['1', '2', '3', '4', '5', '6']));
  for (const event of events) state.applyEvent(event);
  return state;
}

function sentences(state: DemocracyState, voter: string, bill?: string): string[] {
  return renderExplanation(explain(state, voter, bill), nameOf);
}

describe('explain', () => {
  it('reads a chain to the final direct voter', () => {
    const state = stateWith([
      { type: 'delegate', voter: '1', delegate: '2', rank: 1 },
      { type: 'vote', voter: '2', bill: 'hr1', choice: 'yes' },
    ]);
    expect(sentences(state, '1', 'hr1')).to.deep.equal(['John Q Doe of Ames delegates to Mary Roe of Adel, who voted yes.']);
    expect(sentences(state, '2', 'hr1')).to.deep.equal(['Mary Roe of Adel voted yes.']);
    const explanation = explain(state, '1', 'hr1') as BillExplanation;
    expect(explanation.outcome).to.deep.equal({ kind: 'voted', finalVoter: '2', value: 'yes' });
    expect(explanation.steps).to.deep.equal([{ voter: '1', delegate: '2', kind: 1, skipped: [] }]);
  });

  it('falls back to the second choice when the first ends absent, and says why', () => {
    const state = stateWith([
      { type: 'delegate', voter: '3', delegate: '4', rank: 1 },
      { type: 'delegate', voter: '3', delegate: '2', rank: 2 },
      { type: 'delegate', voter: '4', delegate: '5', rank: 1 },
      { type: 'vote', voter: '2', bill: 'hr1', choice: 'no' },
    ]);
    expect(sentences(state, '3', 'hr1')).to.deep.equal([
      'Sam Poe of Boone\'s first choice, Ann Lee of Ames, ends absent at Bob Fox of Adel, who neither voted nor delegated.',
      'Sam Poe of Boone\'s second choice is Mary Roe of Adel, who voted no.',
    ]);
  });

  it('skips a branch that leads back into the chain', () => {
    const state = stateWith([
      { type: 'delegate', voter: '1', delegate: '2', rank: 1 },
      { type: 'delegate', voter: '2', delegate: '1', rank: 1 },
      { type: 'delegate', voter: '2', delegate: '6', rank: 2 },
      { type: 'vote', voter: '6', bill: 'hr1', choice: 'abstain' },
    ]);
    expect(sentences(state, '1', 'hr1')).to.deep.equal([
      'John Q Doe of Ames delegates to Mary Roe of Adel.',
      'Mary Roe of Adel\'s first choice, John Q Doe of Ames, is already on this chain, so that branch is skipped.',
      'Mary Roe of Adel\'s second choice is Eve Ray of Perry, who voted abstain.',
    ]);
  });

  it('uses the bill delegate before the ranked ones', () => {
    const state = stateWith([
      { type: 'delegate', voter: '1', delegate: '2', rank: 1 },
      { type: 'delegate-bill', voter: '1', bill: 'hr1', delegate: '6' },
      { type: 'vote', voter: '2', bill: 'hr1', choice: 'yes' },
      { type: 'vote', voter: '6', bill: 'hr1', choice: 'no' },
    ]);
    expect(sentences(state, '1', 'hr1')).to.deep.equal(['John Q Doe of Ames delegates this bill to Eve Ray of Perry, who voted no.']);
    expect(sentences(state, '1', 'hr2')).to.deep.equal([
      'John Q Doe of Ames delegates to Mary Roe of Adel.',
      'Mary Roe of Adel neither voted nor delegated, so John Q Doe of Ames is absent.',
    ]);
  });

  it('explains a cycle back to the voter', () => {
    const state = stateWith([
      { type: 'delegate', voter: '4', delegate: '5', rank: 1 },
      { type: 'delegate', voter: '5', delegate: '4', rank: 1 },
    ]);
    expect(sentences(state, '4', 'hr1')).to.deep.equal([
      'Ann Lee of Ames delegates to Bob Fox of Adel.',
      'Bob Fox of Adel delegates back to Ann Lee of Ames, a cycle, so Ann Lee of Ames is absent.',
    ]);
    expect((explain(state, '4', 'hr1') as BillExplanation).outcome)
      .to.deep.equal({ kind: 'absent', reason: { kind: 'cycle', from: '5', backTo: '4' } });
  });

  it('explains a dead end, an unregistered delegate, and an unregistered voter', () => {
    const state = stateWith([
      { type: 'delegate', voter: '5', delegate: tentative, rank: 1 },
      { type: 'delegate', voter: tentative, delegate: '2', rank: 1 },
      { type: 'vote', voter: '2', bill: 'hr1', choice: 'yes' },
    ]);
    expect(sentences(state, '4', 'hr1')).to.deep.equal(['Ann Lee of Ames neither voted nor delegated, so is absent.']);
    expect(sentences(state, '5', 'hr1')).to.deep.equal([
      'Bob Fox of Adel delegates to 712-555-XXXX unregistered.',
      '712-555-XXXX unregistered is not registered, so Bob Fox of Adel is absent.',
    ]);
    expect(sentences(state, tentative, 'hr1')).to.deep.equal(['712-555-XXXX unregistered is not registered, so has no vote.']);
  });

  it('without a bill, lists ranked delegates and theirs, marking cycles and votes', () => {
    const state = stateWith([
      { type: 'delegate', voter: '1', delegate: '2', rank: 1 },
      { type: 'delegate', voter: '1', delegate: '3', rank: 2 },
      { type: 'delegate', voter: '2', delegate: '1', rank: 1 },
      { type: 'delegate', voter: '3', delegate: '4', rank: 1 },
      { type: 'vote', voter: '4', bill: 'hr1', choice: 'yes' },
      { type: 'vote', voter: '4', bill: 'hr2', choice: 'no' },
    ]);
    expect(sentences(state, '1')).to.deep.equal([
      'John Q Doe of Ames delegates to Mary Roe of Adel.',
      'Mary Roe of Adel delegates to John Q Doe of Ames, who is already on this chain.',
      'John Q Doe of Ames\'s second choice is Sam Poe of Boone.',
      'Sam Poe of Boone delegates to Ann Lee of Ames.',
      'Ann Lee of Ames voted yes on hr1, no on hr2.',
    ]);
    expect(sentences(state, '6')).to.deep.equal(['Eve Ray of Perry has no delegates.']);
  });

  it('explains chains of 100,000 voters, present and absent, without quadratic work', function () {
    this.timeout(10_000);
    const voters = 100_000;
    const ids = Array.from({ length: voters }, (_, index) => String(index + 10));
    const state = new DemocracyState(rollOfVoters(ids));
    ids.slice(1).forEach((delegate, index) => {
      state.applyEvent({ type: 'delegate', voter: ids[index]!, delegate, rank: 1 });
    });
    const absent = explain(state, '10', 'hr1') as BillExplanation;
    expect(absent.steps).to.have.length(voters - 1);
    expect(absent.outcome).to.deep.equal({ kind: 'absent', reason: { kind: 'dead-end', at: ids.at(-1) } });
    state.applyEvent({ type: 'vote', voter: ids.at(-1)!, bill: 'hr1', choice: 'no' });
    const present = explain(state, '10', 'hr1') as BillExplanation;
    expect(present.steps).to.have.length(voters - 1);
    expect(present.outcome).to.deep.equal({ kind: 'voted', finalVoter: ids.at(-1), value: 'no' });
  });

  it('bounds the tree depth without a bill', () => {
    const chain: DomainEvent[] = Array.from({ length: 30 }, (_, index) =>
      ({ type: 'delegate', voter: String(index + 10), delegate: String(index + 11), rank: 1 }));
    const state = new DemocracyState(rollOfVoters(Array.from({ length: 41 }, (_, index) => String(index + 10))));
    for (const event of chain) state.applyEvent(event);
    const explanation = explain(state, '10');
    expect(explanation.kind).to.equal('delegations');
    if (explanation.kind !== 'delegations') return;
    expect(explanation.truncated).to.equal(true);
    let depth = 0;
    for (let node = explanation.root; node.delegates[0] !== undefined; node = node.delegates[0]) depth += 1;
    expect(depth).to.equal(10);
  });
});
