// The fast tally against the literal reference walk on random democracies full of cycles: values,
// counts, weights and explanations must agree with the oracle on every case.
import { expect } from 'chai';
import fc from 'fast-check';
import { buildBillGraph, voteCodeAbsent } from '../../src/core/delegation-graph.js';
import { explainBill } from '../../src/core/explain.js';
import {
  countVotes, effectiveVoteOf, resolve, ResolutionWorkspace, weightOf, type BillResolution,
} from '../../src/core/tally.js';
import { scenarioArbitrary, scenarioBills, type Scenario, type ScenarioShape } from './support/random-democracy.js';
import { referenceTally, type ReferenceTally } from './support/reference-walk.js';
import { renumbered } from './support/renumber.js';

interface Coverage {
  cycleMembersPresent: number;
  /** Cycles whose members resolve to different values: the walk's path dependence at work. */
  cyclesWithMixedValues: number;
  unregisteredDelegates: number;
}

function checkValuesAndCounts(scenario: Scenario, reference: ReferenceTally, resolution: BillResolution): void {
  for (const voter of scenario.voters) {
    const expected = reference.values.get(voter)?.value ?? 'absent';
    expect(effectiveVoteOf(resolution, voter), `effective vote of ${voter}`).to.equal(expected);
  }
  const tally = countVotes(resolution);
  const { yes, no, abstain, absent } = tally;
  expect({ yes, no, abstain, absent }).to.deep.equal(reference.counts);
  expect(tally.registered).to.equal(scenario.registered.length);
  expect(tally.yes + tally.no + tally.abstain + tally.absent).to.equal(tally.registered);
}

function checkWeights(scenario: Scenario, reference: ReferenceTally, resolution: BillResolution): void {
  for (const voter of scenario.voters) {
    expect(weightOf(resolution, voter), `weight of ${voter}`).to.equal(reference.weights.get(voter) ?? 0);
  }
  const { graph, weight } = resolution;
  let directWeight = 0;
  graph.directVote.forEach((code, node) => { if (code !== voteCodeAbsent) directWeight += weight[node]!; });
  const present = [...reference.values.values()].filter(({ value }) => value !== 'absent').length;
  expect(directWeight).to.equal(present);
}

function checkExplanations(scenario: Scenario, bill: string, reference: ReferenceTally): void {
  for (const voter of scenario.voters) {
    const explanation = explainBill(scenario.state, voter, bill);
    const expected = reference.values.get(voter) ?? { value: 'absent', path: [] };
    if (expected.value === 'absent') {
      expect(explanation.outcome.kind, `explanation of ${voter}`).to.equal('absent');
      continue;
    }
    expect(explanation.outcome).to.deep.equal({ kind: 'voted', finalVoter: expected.path.at(-1), value: expected.value });
    expect([voter, ...explanation.steps.map((step) => step.delegate)]).to.deep.equal(expected.path);
  }
}

function recordCoverage(scenario: Scenario, resolution: BillResolution, coverage: Coverage): void {
  const { components, value } = resolution;
  for (const { first, end } of components.cycles) {
    const members = components.order.subarray(first, end);
    const values = new Set([...members].map((node) => value[node]));
    coverage.cycleMembersPresent += [...members].filter((node) => value[node] !== voteCodeAbsent).length;
    if (values.size > 1) coverage.cyclesWithMixedValues += 1;
  }
  for (const voter of scenario.registered) {
    coverage.unregisteredDelegates += scenario.state.rankedDefaults(voter)
      .filter((delegate) => !scenario.state.isRegistered(delegate)).length;
  }
}

/** Shared by every case on purpose: each resolution must clear what the previous one left. */
const workspace = new ResolutionWorkspace();

function checkScenario(scenario: Scenario, shuffleSeed: number, coverage: Coverage): void {
  for (const bill of scenarioBills) {
    const reference = referenceTally(scenario.state, bill, scenario.registered);
    const graph = buildBillGraph(scenario.state, bill);
    const resolution = resolve(graph);
    checkValuesAndCounts(scenario, reference, resolution);
    checkWeights(scenario, reference, resolution);
    // Without kept cycle walks the weight pass walks again: it must reach the same weights.
    checkWeights(scenario, reference, resolve(graph, { cyclePathEntriesMax: 0 }));
    // The builder's numbering is an optimization: any other numbering gives the same results.
    const shuffled = resolve(renumbered(graph, shuffleSeed));
    checkValuesAndCounts(scenario, reference, shuffled);
    checkWeights(scenario, reference, shuffled);
    // Memory reused from graphs of other sizes must not leak into the result.
    const reused = resolve(graph, { workspace });
    checkValuesAndCounts(scenario, reference, reused);
    checkWeights(scenario, reference, reused);
    checkExplanations(scenario, bill, reference);
    recordCoverage(scenario, resolution, coverage);
  }
}

const percent = { registered: [70, 100], billDelegates: [0, 40] } satisfies Record<string, [number, number]>;
const shapes: Array<{ name: string; runs: number; shape: ScenarioShape }> = [
  { name: 'cycle-heavy neighbourhoods of up to 20 voters', runs: 700, shape: {
    voterCountMax: 20, distanceMax: 4, delegatesMin: 2, votePercent: [0, 20],
    registeredPercent: percent.registered, billDelegatePercent: percent.billDelegates } },
  { name: 'cycle-heavy random graphs of up to 16 voters', runs: 600, shape: {
    voterCountMax: 16, distanceMax: 16, delegatesMin: 2, votePercent: [0, 20],
    registeredPercent: [60, 100], billDelegatePercent: percent.billDelegates } },
  { name: 'sparse random graphs of up to 40 voters', runs: 500, shape: {
    voterCountMax: 40, distanceMax: 39, delegatesMin: 0, votePercent: [5, 60],
    registeredPercent: [60, 100], billDelegatePercent: [0, 30] } },
  { name: 'neighbourhoods of up to 40 voters', runs: 400, shape: {
    voterCountMax: 40, distanceMax: 3, delegatesMin: 1, votePercent: [10, 50],
    registeredPercent: percent.registered, billDelegatePercent: [0, 30] } },
];

describe('tally matches the reference walk (property)', function () {
  this.timeout(60_000);

  for (const { name, runs, shape } of shapes) {
    it(`on ${name} (${runs} runs, ${scenarioBills.length} bills each)`, () => {
      const coverage: Coverage = { cycleMembersPresent: 0, cyclesWithMixedValues: 0, unregisteredDelegates: 0 };
      fc.assert(fc.property(scenarioArbitrary(shape), fc.integer(), (scenario, shuffleSeed) =>
        checkScenario(scenario, shuffleSeed, coverage)), { numRuns: runs });
      // The generator must reach the hard cases, or the agreement above proves little.
      // Thresholds sit at about half of the lowest counts seen over many seeds.
      expect(coverage.cycleMembersPresent, 'present voters inside cycles').to.be.greaterThan(runs / 2);
      expect(coverage.cyclesWithMixedValues, 'cycles with path-dependent values').to.be.greaterThan(10);
      expect(coverage.unregisteredDelegates, 'delegations to unregistered voters').to.be.greaterThan(runs);
    });
  }
});
