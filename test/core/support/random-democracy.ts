// Random democracies for property tests: voters (some unregistered, with tentative ids), ranked
// default delegates (0..3, never self by construction), bill delegates, and votes on several bills,
// built through DemocracyState.applyEvent so that the event code is exercised too.
import fc from 'fast-check';
import { DemocracyState, rollOfVoters } from '../../../src/core/democracy-state.js';
import type { DelegateRank } from '../../../src/core/events.js';
import type { VoteChoice } from '../../../src/core/vote.js';
import { isTentativeId, tentativeId, type VoterId } from '../../../src/core/voter.js';

export const scenarioBills = ['hr1', 'hr2', 's3'] as const;
const voteChoices: readonly VoteChoice[] = ['yes', 'no', 'abstain', 'absent'];

export interface ScenarioShape {
  voterCountMax: number;
  /** Delegates are drawn within this distance (both ways, around a ring): small means many cycles. */
  distanceMax: number;
  delegatesMin: number;
  /** Percent ranges; each scenario draws its own density from them. */
  votePercent: [number, number];
  registeredPercent: [number, number];
  billDelegatePercent: [number, number];
}

interface VoterRow {
  registration: number;
  offsets: number[];
  billDelegates: Array<[number, number]>;
  votes: Array<[number, VoteChoice]>;
}

interface RawScenario {
  voterCount: number;
  votePercent: number;
  registeredPercent: number;
  billDelegatePercent: number;
  rows: VoterRow[];
}

export interface Scenario {
  state: DemocracyState;
  voters: VoterId[];
  registered: VoterId[];
  /** The raw draw, for failure reports. */
  raw: RawScenario;
}

function rowArbitrary(shape: ScenarioShape): fc.Arbitrary<VoterRow> {
  const percent = fc.integer({ min: 0, max: 99 });
  const offset = fc.integer({ min: -shape.distanceMax, max: shape.distanceMax });
  return fc.record({
    registration: percent,
    offsets: fc.uniqueArray(offset, { minLength: shape.delegatesMin, maxLength: 3 }),
    billDelegates: fc.tuple(...scenarioBills.map(() => fc.tuple(percent, offset))),
    votes: fc.tuple(...scenarioBills.map(() => fc.tuple(percent, fc.constantFrom(...voteChoices)))),
  });
}

function voterId(index: number, registered: boolean): VoterId {
  return registered ? String(100 + index) : tentativeId(index + 1);
}

/** Maps a signed offset to another voter on the ring: never the voter itself, by construction. */
function target(voter: number, offset: number, voterCount: number): number {
  const step = ((offset % voterCount) + voterCount) % voterCount;
  return (voter + (step === 0 ? 1 : step)) % voterCount;
}

function buildScenario(raw: RawScenario): Scenario {
  const { voterCount, rows } = raw;
  const voters = rows.slice(0, voterCount).map((row, index) =>
    voterId(index, row.registration < raw.registeredPercent));
  const registered = voters.filter((id) => !isTentativeId(id));
  const state = new DemocracyState(rollOfVoters(registered));
  rows.slice(0, voterCount).forEach((row, index) => {
    const voter = voters[index]!;
    if (voterCount === 1) return;
    const delegates = [...new Set(row.offsets.map((offset) => voters[target(index, offset, voterCount)]!))];
    delegates.forEach((delegate, rank) => state.applyEvent({
      type: 'delegate', voter, delegate, rank: (rank + 1) as DelegateRank,
    }));
    scenarioBills.forEach((bill, billIndex) => {
      const [chance, offset] = row.billDelegates[billIndex]!;
      if (chance >= raw.billDelegatePercent) return;
      const delegate = voters[target(index, offset, voterCount)]!;
      state.applyEvent({ type: 'delegate-bill', voter, bill, delegate });
    });
  });
  rows.slice(0, voterCount).forEach((row, index) => {
    scenarioBills.forEach((bill, billIndex) => {
      const [chance, choice] = row.votes[billIndex]!;
      if (chance < raw.votePercent) state.applyEvent({ type: 'vote', voter: voters[index]!, bill, choice });
    });
  });
  return { state, voters, registered, raw };
}

export function scenarioArbitrary(shape: ScenarioShape): fc.Arbitrary<Scenario> {
  const range = ([min, max]: [number, number]) => fc.integer({ min, max });
  return fc.record({
    voterCount: fc.integer({ min: 1, max: shape.voterCountMax }),
    votePercent: range(shape.votePercent),
    registeredPercent: range(shape.registeredPercent),
    billDelegatePercent: range(shape.billDelegatePercent),
    rows: fc.array(rowArbitrary(shape),
      { minLength: shape.voterCountMax, maxLength: shape.voterCountMax }),
  }).map(buildScenario);
}
