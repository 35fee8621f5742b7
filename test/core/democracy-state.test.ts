// DemocracyState.applyEvent: every DomainEvent variant and the edge cases of ranking and migration.
import { expect } from 'chai';
import { DemocracyState, rollOfVoters, SelfDelegationError } from '../../src/core/democracy-state.js';
import type { DomainEvent } from '../../src/core/events.js';
import { InvariantError } from '../../src/core/invariant.js';
import { tentativeId } from '../../src/core/voter.js';

const tentative = tentativeId(7);
const other = tentativeId(8);

function stateWith(events: DomainEvent[]): DemocracyState {
  const state = new DemocracyState(rollOfVoters(['1', '2', '3', '4', '5', '6']));
  for (const event of events) state.applyEvent(event);
  return state;
}

describe('DemocracyState', () => {
  describe('ranked delegates', () => {
    it('puts a delegate at a rank, moving it when already ranked, and compacts to three', () => {
      const state = stateWith([
        { type: 'delegate', voter: '1', delegate: '2', rank: 1 },
        { type: 'delegate', voter: '1', delegate: '3', rank: 3 },
        { type: 'delegate', voter: '1', delegate: '4', rank: 1 },
        { type: 'delegate', voter: '1', delegate: '5', rank: 2 },
      ]);
      expect(state.rankedDefaults('1')).to.deep.equal(['4', '5', '2']);
      state.applyEvent({ type: 'delegate', voter: '1', delegate: '2', rank: 1 });
      expect(state.rankedDefaults('1')).to.deep.equal(['2', '4', '5']);
    });

    it('refuses self-delegation, by default and on a bill, and changes nothing', () => {
      const state = stateWith([{ type: 'delegate', voter: '1', delegate: '2', rank: 1 }]);
      expect(() => state.applyEvent({ type: 'delegate', voter: '1', delegate: '1', rank: 2 })).to.throw(SelfDelegationError);
      expect(() => state.applyEvent({ type: 'delegate-bill', voter: '1', bill: 'hr1', delegate: '1' }))
        .to.throw(SelfDelegationError);
      expect(state.rankedDefaults('1')).to.deep.equal(['2']);
      expect(state.billDelegate('hr1', '1')).to.equal(undefined);
    });

    it('recalls one delegate or all of them', () => {
      const state = stateWith([
        { type: 'delegate', voter: '1', delegate: '2', rank: 1 },
        { type: 'delegate', voter: '1', delegate: '3', rank: 2 },
        { type: 'delegate', voter: '1', delegate: '4', rank: 3 },
        { type: 'recall', voter: '1', delegate: '3' },
      ]);
      expect(state.rankedDefaults('1')).to.deep.equal(['2', '4']);
      state.applyEvent({ type: 'recall', voter: '1' });
      expect(state.rankedDefaults('1')).to.deep.equal([]);
      expect([...state.defaultsEntries()]).to.deep.equal([]);
    });

    it('lists candidates bill delegate first, then ranks', () => {
      const state = stateWith([
        { type: 'delegate', voter: '1', delegate: '2', rank: 1 },
        { type: 'delegate', voter: '1', delegate: '3', rank: 2 },
        { type: 'delegate-bill', voter: '1', bill: 'hr1', delegate: '4' },
      ]);
      expect(state.candidates('hr1', '1')).to.deep.equal([
        { delegate: '4', kind: 'bill' }, { delegate: '2', kind: 1 }, { delegate: '3', kind: 2 },
      ]);
      expect(state.candidates('hr2', '1')).to.deep.equal([{ delegate: '2', kind: 1 }, { delegate: '3', kind: 2 }]);
      state.applyEvent({ type: 'recall-bill', voter: '1', bill: 'hr1' });
      expect(state.billDelegate('hr1', '1')).to.equal(undefined);
    });
  });

  describe('votes, bills and rolls', () => {
    it('records a vote, replaces it, and removes it when "absent" is cast', () => {
      const state = stateWith([{ type: 'vote', voter: '1', bill: 'hr1', choice: 'yes' }]);
      expect(state.directVote('hr1', '1')).to.equal('yes');
      state.applyEvent({ type: 'vote', voter: '1', bill: 'hr1', choice: 'no' });
      expect(state.directVotesOf('1')).to.deep.equal([{ bill: 'hr1', value: 'no' }]);
      state.applyEvent({ type: 'vote', voter: '1', bill: 'hr1', choice: 'absent' });
      expect(state.directVote('hr1', '1')).to.equal(undefined);
      expect(state.votesOn('hr1').size).to.equal(0);
    });

    it('records bills and the roll generation without touching delegations', () => {
      const bill = { id: 'hr1', number: 'H.R. 1', title: 'An act', week: '2024-06-03' };
      const state = stateWith([
        { type: 'delegate', voter: '1', delegate: '2', rank: 1 },
        { type: 'bill', bill },
        { type: 'roll', generation: 3, voters: 6, source: 'test.zip' },
      ]);
      expect(state.bills().get('hr1')).to.deep.equal(bill);
      expect(state.rollGeneration).to.equal(3);
      expect(state.rankedDefaults('1')).to.deep.equal(['2']);
    });

    it('counts registration from the roll it was given, and from a replaced one', () => {
      const state = stateWith([]);
      expect(state.registeredCount).to.equal(6);
      expect(state.isRegistered(tentative)).to.equal(false);
      state.setRoll(rollOfVoters(['1', tentative]));
      expect(state.registeredCount).to.equal(2);
      expect(state.isRegistered(tentative)).to.equal(true);
    });
  });

  describe('migrate', () => {
    it('copies the tentative records only where the registered voter has none, then clears them', () => {
      const state = stateWith([
        { type: 'delegate', voter: tentative, delegate: '2', rank: 1 },
        { type: 'delegate-bill', voter: tentative, bill: 'hr1', delegate: '3' },
        { type: 'delegate-bill', voter: tentative, bill: 'hr2', delegate: '3' },
        { type: 'delegate-bill', voter: '1', bill: 'hr2', delegate: '4' },
        { type: 'vote', voter: tentative, bill: 'hr1', choice: 'yes' },
        { type: 'vote', voter: tentative, bill: 'hr2', choice: 'yes' },
        { type: 'vote', voter: '1', bill: 'hr2', choice: 'no' },
        { type: 'migrate', from: tentative, to: '1' },
      ]);
      expect(state.rankedDefaults('1')).to.deep.equal(['2']);
      expect([state.billDelegate('hr1', '1'), state.billDelegate('hr2', '1')]).to.deep.equal(['3', '4']);
      expect([state.directVote('hr1', '1'), state.directVote('hr2', '1')]).to.deep.equal(['yes', 'no']);
      expect(state.rankedDefaults(tentative)).to.deep.equal([]);
      expect(state.candidates('hr1', tentative)).to.deep.equal([]);
      expect(state.directVotesOf(tentative)).to.deep.equal([]);
    });

    it('keeps the registered voter\'s own ranked list', () => {
      const state = stateWith([
        { type: 'delegate', voter: tentative, delegate: '2', rank: 1 },
        { type: 'delegate', voter: '1', delegate: '3', rank: 1 },
        { type: 'migrate', from: tentative, to: '1' },
      ]);
      expect(state.rankedDefaults('1')).to.deep.equal(['3']);
    });

    it('re-points delegations that named the tentative voter, dropping self and duplicates', () => {
      const state = stateWith([
        { type: 'delegate', voter: '2', delegate: tentative, rank: 1 },
        { type: 'delegate', voter: '3', delegate: '1', rank: 1 },
        { type: 'delegate', voter: '3', delegate: tentative, rank: 2 },
        { type: 'delegate', voter: '1', delegate: tentative, rank: 1 },
        { type: 'delegate', voter: '1', delegate: '4', rank: 2 },
        { type: 'delegate', voter: other, delegate: tentative, rank: 1 },
        { type: 'delegate-bill', voter: '5', bill: 'hr1', delegate: tentative },
        { type: 'delegate-bill', voter: '1', bill: 'hr1', delegate: tentative },
        { type: 'migrate', from: tentative, to: '1' },
      ]);
      expect(state.rankedDefaults('2')).to.deep.equal(['1']);
      expect(state.rankedDefaults('3')).to.deep.equal(['1']);
      expect(state.rankedDefaults('1')).to.deep.equal(['4']);
      expect(state.rankedDefaults(other)).to.deep.equal(['1']);
      expect(state.billDelegate('hr1', '5')).to.equal('1');
      expect(state.billDelegate('hr1', '1')).to.equal(undefined);
    });

    it('fills an emptied ranked list after re-pointing, and never copies self-delegation', () => {
      const state = stateWith([
        { type: 'delegate', voter: '1', delegate: tentative, rank: 1 },
        { type: 'delegate', voter: tentative, delegate: '1', rank: 1 },
        { type: 'delegate', voter: tentative, delegate: '2', rank: 2 },
        { type: 'migrate', from: tentative, to: '1' },
      ]);
      expect(state.rankedDefaults('1')).to.deep.equal(['2']);
    });

    it('refuses a migration that is not from a tentative voter onto a registered one', () => {
      const state = stateWith([]);
      expect(() => state.applyEvent({ type: 'migrate', from: '2', to: '1' })).to.throw(InvariantError);
      expect(() => state.applyEvent({ type: 'migrate', from: tentative, to: other })).to.throw(InvariantError);
    });
  });
});
