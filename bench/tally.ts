// Tally benchmark: a generated democracy of millions of voters (preferential attachment, ranked
// fallbacks, bill delegates, thousands of short cycles and one large strongly connected component),
// resolved by the indexed tally, compared with the seed's per-voter chain walk on the same state.
//
//   node dist/bench/tally.js --voters 2200000 [--results bench/results]
//
// Writes <resultsDir>/tally.json. The naive walk is timed on a random sample and extrapolated
// linearly to all voters (each voter's walk is independent, so the extrapolation is fair).
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DemocracyState, type Roll } from '../src/core/democracy-state.js';
import { assertBillGraph, buildBillGraph, voteCodeAbsent, type BillGraph } from '../src/core/delegation-graph.js';
import type { DelegateRank } from '../src/core/events.js';
import { topInfluencers } from '../src/core/influencers.js';
import { invariant } from '../src/core/invariant.js';
import {
  countVotes, resolve, ResolutionWorkspace, tally, type BillResolution,
} from '../src/core/tally.js';
import type { VoteValue } from '../src/core/vote.js';
import { tentativeId, type VoterId } from '../src/core/voter.js';
import { benchArgument, isMainModule, seededRandom, writeBenchResult } from './support.js';

const bill = 'hr1';
const seedDefault = 20_240_601;
const directVoterShare = 0.05;
const delegatorShare = 0.6;
const secondRankShare = 0.35;
const thirdRankShare = 0.15;
const billDelegateShare = 0.03;
const tentativeShare = 0.005;
/** Share of delegators whose first choice never acts: their second choice matters. */
const deadEndShare = 0.02;
const chainDepthMax = 20;
/** Share of delegates picked among recently joined delegators (friends), which deepens chains. */
const recentPickShare = 0.35;
/**
 * Public figures: a share of delegators name one of a few well-known direct voters, on top of the
 * preferential attachment (which alone spreads weight over the 5% who vote).
 */
const publicFigureCount = 30;
const publicFigureShare = 0.04;
const recentWindowSize = 1024;
/** Cycles form once this share of delegators has joined, so they are not the oldest hubs. */
const cyclesJoinAtShare = 0.5;
/** At 2.2 M voters: 3,000 short cycles and one component of 1,000; scaled down for small rolls. */
const shortCycleCount = 3000;
const largeComponentSize = 1000;
const votersAtFullCycles = 2_200_000;
const votersMin = 1000;

function cycleCounts(voters: number): { short: number; large: number } {
  const scale = Math.min(1, voters / votersAtFullCycles);
  return { short: Math.ceil(shortCycleCount * scale), large: Math.max(2, Math.ceil(largeComponentSize * scale)) };
}
const naiveSampleSize = 100_000;
const tallyRepetitions = 5;
const influencerCount = 10;
/** After a forced GC, V8 sweeps on helper threads; waiting keeps them off the measured run. */
const settleAfterGcMs = 500;
/** Tentative ids have at least 13 digits (voter.ts); roll ids fewer. */
const idLengthTentative = 13;

export interface TallyBenchOptions {
  voters: number;
  resultsDir: string;
  seed?: number;
}

/** Registered ids are "1".."N": membership by range, so the roll costs no memory. */
function rangeRoll(voters: number): Roll {
  return {
    isRegistered: (voter) => voter.length < idLengthTentative && /^[1-9]\d*$/.test(voter) && Number(voter) <= voters,
    registeredCount: voters,
  };
}

class Generator {
  readonly state: DemocracyState;
  readonly random: () => number;
  /** Preferential attachment: a voter appears once per time it was chosen, plus once when placed. */
  private pool: Int32Array;
  private poolSize = 0;
  private readonly depth: Uint8Array;
  private readonly recent = new Int32Array(recentWindowSize);
  private recentCount = 0;
  readonly stats = { delegators: 0, directVoters: 0, cycleMembers: 0, tentative: 0 };

  constructor(readonly voters: number, seed: number) {
    this.state = new DemocracyState(rangeRoll(voters));
    this.random = seededRandom(seed);
    this.pool = new Int32Array(voters * 3);
    this.depth = new Uint8Array(voters);
  }

  id(index: number): VoterId {
    return String(index + 1);
  }

  pick(limit: number): number {
    return Math.floor(this.random() * limit);
  }

  addToPool(index: number): void {
    if (this.poolSize === this.pool.length) {
      const grown = new Int32Array(this.pool.length * 2);
      grown.set(this.pool);
      this.pool = grown;
    }
    this.pool[this.poolSize++] = index;
  }

  /**
   * A delegate whose primary chain is short enough to extend: mostly a popular one (preferential
   * attachment), sometimes a recently joined delegator.
   */
  attachTarget(voter: number): number {
    for (let attempt = 0; attempt < 8; attempt += 1) {
      if (this.random() < publicFigureShare) return this.pool[this.pick(publicFigureCount)]!;
      const recent = this.recentCount > 0 && this.random() < recentPickShare;
      const target = recent
        ? this.recent[this.pick(Math.min(this.recentCount, recentWindowSize))]!
        : this.pool[this.pick(this.poolSize)]!;
      if (target !== voter && this.depth[target]! < chainDepthMax) return target;
    }
    return this.pool[0]!;
  }

  delegate(voter: number, target: number, rank: DelegateRank): void {
    this.state.applyEvent({ type: 'delegate', voter: this.id(voter), delegate: this.id(target), rank });
  }

  castVotes(roles: Uint8Array): void {
    const values: VoteValue[] = ['yes', 'no', 'yes', 'no', 'abstain'];
    for (let index = 0; index < this.voters; index += 1) {
      if (roles[index] !== 1) continue;
      const value = values[this.pick(values.length)]!;
      this.state.applyEvent({ type: 'vote', voter: this.id(index), bill, choice: value });
      this.addToPool(index);
      this.stats.directVoters += 1;
    }
    invariant(this.poolSize >= publicFigureCount, 'too few direct voters to attach to');
  }

  placeDelegator(voter: number, inactive: Int32Array): void {
    if (inactive.length > 0 && this.random() < deadEndShare) {
      this.delegate(voter, inactive[this.pick(inactive.length)]!, 1);
    }
    const first = this.attachTarget(voter);
    let rank = this.state.rankedDefaults(this.id(voter)).length + 1;
    this.delegate(voter, first, rank as DelegateRank);
    this.depth[voter] = this.depth[first]! + 1;
    this.addToPool(first);
    rank += 1;
    for (const share of [secondRankShare, thirdRankShare]) {
      if (this.random() >= share) break;
      const target = this.attachTarget(voter);
      if (this.state.rankedDefaults(this.id(voter)).includes(this.id(target))) break;
      if (rank > 3) break;
      this.delegate(voter, target, rank as DelegateRank);
      rank += 1;
    }
    if (this.random() < billDelegateShare) {
      const target = this.attachTarget(voter);
      this.state.applyEvent({ type: 'delegate-bill', voter: this.id(voter), bill, delegate: this.id(target) });
    }
    this.addToPool(voter);
    this.recent[this.recentCount++ % recentWindowSize] = voter;
    this.stats.delegators += 1;
  }

  /** A ring (rank 1 to the next member) with extra inside edges and some exits outside. */
  placeCycle(members: number[], insideShare: number, exitShare: number): void {
    members.forEach((member, position) => {
      const next = members[(position + 1) % members.length]!;
      this.delegate(member, next, 1);
      const other = members[this.pick(members.length)]!;
      if (members.length > 2 && this.random() < insideShare && other !== member && other !== next) {
        this.delegate(member, other, 2);
      }
      if (this.random() < exitShare) this.delegate(member, this.attachTarget(member), 3);
      this.depth[member] = 1;
    });
    for (const member of members) this.addToPool(member);
    this.stats.cycleMembers += members.length;
  }
}

function shuffledIndices(count: number, random: () => number): Int32Array {
  const order = new Int32Array(count);
  for (let index = 0; index < count; index += 1) order[index] = index;
  for (let index = count - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    const swap = order[index]!;
    order[index] = order[other]!;
    order[other] = swap;
  }
  return order;
}

/** Roles: 1 direct voter, 2 delegator, 3 cycle member, 0 inactive. */
function assignRoles(generator: Generator): { roles: Uint8Array; order: Int32Array } {
  const { voters, random } = generator;
  const order = shuffledIndices(voters, random);
  const roles = new Uint8Array(voters);
  const directCount = Math.round(voters * directVoterShare);
  const delegatorCount = Math.round(voters * delegatorShare);
  const cycles = cycleCounts(voters);
  const cycleMemberCount = cycles.short * 4 + cycles.large;
  invariant(directCount + delegatorCount + cycleMemberCount <= voters, 'too few voters for the mix');
  order.forEach((voter, position) => {
    if (position < directCount) roles[voter] = 1;
    else if (position < directCount + delegatorCount) roles[voter] = 2;
    else if (position < directCount + delegatorCount + cycleMemberCount) roles[voter] = 3;
  });
  return { roles, order };
}

function addTentativeVoters(generator: Generator): void {
  const count = Math.round(generator.voters * tentativeShare);
  for (let sequence = 1; sequence <= count; sequence += 1) {
    const voter = tentativeId(sequence);
    const registered = generator.id(generator.pick(generator.voters));
    // Tentative voters act without power, and some registered voters name them (dead ends).
    generator.state.applyEvent({ type: 'vote', voter, bill, choice: 'yes' });
    if (generator.state.rankedDefaults(registered).length === 0) {
      generator.state.applyEvent({ type: 'delegate', voter: registered, delegate: voter, rank: 1 });
    }
  }
  generator.stats.tentative = count;
}

function placeCycles(generator: Generator, cycleMembers: number[]): void {
  const cycles = cycleCounts(generator.voters);
  const large = cycleMembers.splice(0, cycles.large);
  generator.placeCycle(large, 0.7, 0.3);
  for (let cycle = 0; cycle < cycles.short; cycle += 1) {
    const members = cycleMembers.splice(0, 2 + generator.pick(3));
    generator.placeCycle(members, 0.5, 0.6);
  }
}

export function generateDemocracy(voters: number, seed: number): { state: DemocracyState; stats: Generator['stats'] } {
  const generator = new Generator(voters, seed);
  const { roles, order } = assignRoles(generator);
  generator.castVotes(roles);
  const inactive = Int32Array.from([...order].filter((voter) => roles[voter] === 0));
  const delegators = [...order].filter((voter) => roles[voter] === 2);
  const cyclesAt = Math.floor(delegators.length * cyclesJoinAtShare);
  delegators.forEach((voter, index) => {
    if (index === cyclesAt) placeCycles(generator, [...order].filter((member) => roles[member] === 3));
    generator.placeDelegator(voter, inactive);
  });
  addTentativeVoters(generator);
  return { state: generator.state, stats: generator.stats };
}

/** The seed's algorithm: per voter, follow the (bill or first) delegate until a vote or a repeat. */
function naiveWalk(state: DemocracyState, voter: VoterId): VoteValue | 'absent' {
  const seen = new Set<VoterId>();
  let current: VoterId | undefined = voter;
  while (current !== undefined && !seen.has(current) && state.isRegistered(current)) {
    seen.add(current);
    const vote = state.directVote(bill, current);
    if (vote !== undefined) return vote;
    current = state.billDelegate(bill, current) ?? state.rankedDefaults(current)[0];
  }
  return 'absent';
}

/**
 * A full garbage collection (and time for the concurrent sweeping it starts) between phases, so
 * that the generator's garbage is not billed to the build or to the naive walk. Enabled at run
 * time so that the benchmark runs with a plain `node`. Not used between tally runs: memory freed by
 * a full collection goes back to the (virtual) machine, and faulting it in again would be billed
 * to the next run, which a tally server does not see.
 */
function garbageCollector(): () => Promise<void> {
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  return async () => {
    collect();
    await sleep(settleAfterGcMs);
  };
}

function timeMs(action: () => void): number {
  const started = performance.now();
  action();
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function componentStats(resolution: BillResolution): Record<string, number> {
  const { cycles } = resolution.components;
  const sizes = cycles.map(({ first, end }) => end - first);
  let present = 0;
  let pathLengthSum = 0;
  resolution.value.forEach((code, node) => {
    if (code !== voteCodeAbsent) present += 1;
    pathLengthSum += resolution.weight[node]!;
  });
  return {
    components: resolution.components.count, cycles: cycles.length, largestCycle: Math.max(0, ...sizes),
    cycleMembers: sizes.reduce((sum, size) => sum + size, 0),
    // Each present voter adds one to the weight of every voter on its path.
    meanPathVoters: pathLengthSum / Math.max(1, present),
  };
}

/** The heaviest weights of voters outside cycles (the hubs of the attachment process). */
function heaviestOutsideCycles(resolution: BillResolution, count: number): number[] {
  const inCycle = new Uint8Array(resolution.weight.length);
  for (const { first, end } of resolution.components.cycles) {
    for (const node of resolution.components.order.subarray(first, end)) inCycle[node] = 1;
  }
  const heaviest: number[] = [];
  resolution.weight.forEach((weight, node) => {
    if (inCycle[node] === 1 || (heaviest.length === count && weight <= heaviest[count - 1]!)) return;
    heaviest.push(weight);
    heaviest.sort((a, b) => b - a);
    heaviest.length = Math.min(heaviest.length, count);
  });
  return heaviest;
}

/** Lengths of resolution paths (voters on them) for present voters whose paths avoid cycles. */
function acyclicPathStats(resolution: BillResolution): Record<string, number> {
  const { components, value, via } = resolution;
  const length = new Int32Array(value.length);
  for (const { first, end } of components.cycles) {
    for (const node of components.order.subarray(first, end)) length[node] = -1;
  }
  let count = 0;
  let sum = 0;
  let longest = 0;
  // Emission order resolves every candidate before its delegators.
  for (const node of components.order) {
    if (length[node] === -1 || value[node] === voteCodeAbsent) continue;
    const next = via[node]!;
    length[node] = next === -1 ? 1 : length[next] === -1 ? -1 : length[next]! + 1;
    if (length[node] === -1) continue;
    count += 1;
    sum += length[node]!;
    longest = Math.max(longest, length[node]!);
  }
  return { voters: count, meanVotersOnPath: sum / Math.max(1, count), maxVotersOnPath: longest };
}

function measureNaive(state: DemocracyState, voters: number, seed: number): Record<string, number | string> {
  const random = seededRandom(seed ^ 0x5eed);
  const sampleSize = Math.min(naiveSampleSize, voters);
  const sample = Array.from({ length: sampleSize }, () => String(1 + Math.floor(random() * voters)));
  let present = 0;
  const sampleMs = timeMs(() => {
    for (const voter of sample) if (naiveWalk(state, voter) !== 'absent') present += 1;
  });
  return {
    sampleVoters: sample.length, sampleMs, presentInSample: present,
    extrapolatedMs: sampleMs * (voters / sample.length),
    method: `per-voter chain walk timed on a uniform random sample of ${sample.length} voters, extrapolated linearly to ${voters}`,
  };
}

interface TallyTimings {
  valuesOnlyRuns: number[];
  tallyRuns: number[];
  workspaceRuns: number[];
  resolution: BillResolution;
}

/**
 * Tally from the built graph, back to back as a tally server runs (any garbage collection the runs
 * trigger is in their times), after an untimed warm-up run. `tallyRuns` allocate fresh arrays like
 * tallyBill; `workspaceRuns` reuse a ResolutionWorkspace, as a server re-tallying a bill would.
 */
function measureTally(graph: BillGraph): TallyTimings {
  let resolution!: BillResolution;
  const fullTally = (workspace?: ResolutionWorkspace): void => {
    resolution = resolve(graph, { workspace });
    countVotes(resolution);
    topInfluencers(resolution, influencerCount);
  };
  const repeat = (action: () => void): number[] => {
    action();
    return Array.from({ length: tallyRepetitions }, () => timeMs(action));
  };
  // Workspace runs first: fresh arrays leave collection work behind that would spill into them.
  const workspace = new ResolutionWorkspace();
  const workspaceRuns = repeat(() => fullTally(workspace));
  const tallyRuns = repeat(() => fullTally());
  const valuesOnlyRuns = repeat(() => { tally(graph); });
  // The last resolution aliases the workspace; resolve once more on fresh arrays for the report.
  fullTally();
  return { valuesOnlyRuns, tallyRuns, workspaceRuns, resolution };
}

export async function benchTally(options: TallyBenchOptions): Promise<Record<string, unknown>> {
  invariant(Number.isSafeInteger(options.voters) && options.voters >= votersMin, 'voters must be at least 1000');
  const seed = options.seed ?? seedDefault;
  // The machine may be shared: its load is part of what the figures mean.
  const loadAtStart = loadavg()[0] ?? 0;
  const collectGarbage = garbageCollector();
  let heapPeak = 0;
  const sampleHeap = (): void => { heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed); };
  let generated!: ReturnType<typeof generateDemocracy>;
  const generateMs = timeMs(() => { generated = generateDemocracy(options.voters, seed); });
  sampleHeap();
  await collectGarbage();
  let graph!: BillGraph;
  const buildMs = timeMs(() => { graph = buildBillGraph(generated.state, bill); });
  assertBillGraph(graph);
  sampleHeap();
  const timings = measureTally(graph);
  sampleHeap();
  await collectGarbage();
  const naive = measureNaive(generated.state, options.voters, seed);
  const { resolution } = timings;
  const fastMs = median(timings.tallyRuns);
  const workspaceMs = median(timings.workspaceRuns);
  const result = {
    benchmark: 'tally', voters: options.voters, seed, bill,
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version,
      os: `${platform()} ${release()}`, memoryBytes: totalmem(),
      loadAverage1m: { start: loadAtStart, end: loadavg()[0] ?? 0 } },
    generated: generated.stats,
    graph: { nodes: graph.voterIds.length, edges: graph.candidateNode.length, ...componentStats(resolution) },
    acyclicPaths: acyclicPathStats(resolution),
    heaviestWeightsOutsideCycles: heaviestOutsideCycles(resolution, 5),
    tally: countVotes(resolution),
    influencers: topInfluencers(resolution, influencerCount),
    timingsMs: {
      generate: generateMs, buildGraph: buildMs,
      valuesOnlyMedian: median(timings.valuesOnlyRuns), valuesOnlyRuns: timings.valuesOnlyRuns,
      tallyMedian: fastMs, tallyRuns: timings.tallyRuns,
      tallyWithWorkspaceMedian: workspaceMs, tallyWithWorkspaceRuns: timings.workspaceRuns,
    },
    tallyMeasures: 'resolve (values and weights) + counts + top 10 influencers, from the built graph; ' +
      'median of 5 back-to-back runs after a warm-up run; with fresh arrays (as tallyBill) and with a ' +
      'reused ResolutionWorkspace (as a tally server)',
    naive,
    speedupNaiveOverFast: Number(naive.extrapolatedMs) / fastMs,
    speedupNaiveOverWorkspace: Number(naive.extrapolatedMs) / workspaceMs,
    memory: { peakRssBytes: process.resourceUsage().maxRSS * 1024, peakHeapUsedBytes: heapPeak },
  };
  writeBenchResult(options.resultsDir, 'tally', result);
  return result;
}


if (isMainModule(import.meta.url)) {
  const voters = Number(benchArgument('voters', '2200000'));
  const resultsDir = benchArgument('results', 'bench/results');
  const result = await benchTally({ voters, resultsDir });
  console.log(JSON.stringify(result, null, 2));
}
