// Resolution of a bill graph: effective values of every node, then weights. The semantics and the
// outline of the algorithm are in tally.ts; this file is the machinery.
import { CycleResolver } from './cycle-resolution.js';
import { voteCodeAbsent, type BillGraph } from './delegation-graph.js';
import { invariant } from './invariant.js';
import { intsArray, valuesArray, type ResolutionWorkspace } from './resolution-workspace.js';
import { stronglyConnectedComponents, type Components } from './strongly-connected-components.js';

/**
 * Cycle walks kept from the value pass for the weight pass (graph node ids, each walk prefixed by
 * its length). Bounded: past the bound, the weight pass walks again instead, so an adversarial
 * cycle costs time, never unbounded memory.
 */
export const cyclePathEntriesMax = 16_000_000;

export interface ResolveOptions {
  /** Bound on kept cycle walks (entries); tests set 0 to exercise the walk-again path. */
  cyclePathEntriesMax?: number;
  /** Memory reused across resolutions; the result is valid until the workspace's next use. */
  workspace?: ResolutionWorkspace;
}

class CyclePaths {
  private buffer = new Int32Array(1024);
  private size = 0;
  private openedAt = -1;
  /** Component (by its first position in `order`) → offset of its members' walks in the buffer. */
  private readonly offsetOf = new Map<number, number>();

  constructor(private readonly entriesMax: number) {
    invariant(Number.isSafeInteger(entriesMax) && entriesMax >= 0, 'bad cycle path bound');
  }

  /** Starts keeping the walks of the component at `first`. */
  open(first: number): void {
    invariant(this.openedAt === -1, 'a component is already open');
    this.openedAt = this.size;
    this.offsetOf.set(first, this.size);
  }

  /** Appends one member's walk (empty when absent); past the bound the whole component is dropped. */
  append(first: number, walk: Int32Array, length: number): void {
    invariant(length <= walk.length, 'walk length beyond its buffer');
    if (this.openedAt === -1) return;
    if (this.size + length + 1 > this.entriesMax) {
      this.size = this.openedAt;
      this.openedAt = -1;
      this.offsetOf.delete(first);
      return;
    }
    this.grow(this.size + length + 1);
    this.buffer[this.size++] = length;
    this.buffer.set(walk.subarray(0, length), this.size);
    this.size += length;
  }

  close(): void {
    this.openedAt = -1;
    invariant(this.size <= this.entriesMax, 'cycle path cache over its bound');
  }

  /** Offset of a component's walks, or -1 when they were not kept. */
  offset(first: number): number {
    return this.offsetOf.get(first) ?? -1;
  }

  at(index: number): number {
    invariant(index < this.size, 'read past the cycle path cache');
    return this.buffer[index]!;
  }

  /** The walk kept at `offset` (its length is at offset, its nodes follow). */
  walkAt(offset: number): Int32Array {
    const length = this.at(offset);
    invariant(offset + length < this.size, 'walk past the cycle path cache');
    return this.buffer.subarray(offset + 1, offset + 1 + length);
  }

  private grow(needed: number): void {
    if (needed <= this.buffer.length) return;
    const grown = new Int32Array(Math.max(needed, this.buffer.length * 2));
    grown.set(this.buffer.subarray(0, this.size));
    this.buffer = grown;
  }
}

/** Effective values of every node, without weights (enough for counts). */
export interface ValueResolution {
  readonly graph: BillGraph;
  readonly components: Components;
  /** Per node: effective vote code, voteCodeAbsent when absent. */
  readonly value: Int8Array;
  /**
   * Per node: where the walk leaves it. A trivial node: its chosen candidate. A cycle member: the
   * outside node where its walk exits the cycle. -1 for direct voters and absent nodes.
   */
  readonly via: Int32Array;
  readonly cyclePaths: CyclePaths;
}

export interface BillResolution extends ValueResolution {
  /** Per node: number of registered voters whose resolution path contains it. */
  readonly weight: Int32Array;
}

function resolveTrivial(graph: BillGraph, node: number, value: Int8Array, via: Int32Array): void {
  via[node] = -1;
  const direct = graph.directVote[node]!;
  if (direct !== voteCodeAbsent) {
    value[node] = direct;
    return;
  }
  value[node] = voteCodeAbsent;
  for (let edge = graph.candidateStart[node]!; edge < graph.candidateStart[node + 1]!; edge += 1) {
    const candidate = graph.candidateNode[edge]!;
    if (value[candidate] !== voteCodeAbsent) {
      value[node] = value[candidate]!;
      via[node] = candidate;
      return;
    }
  }
}

function resolveCycle(
  members: Int32Array, first: number,
  work: { resolver: CycleResolver; value: Int8Array; via: Int32Array; cyclePaths: CyclePaths },
): void {
  const { resolver, value, via, cyclePaths } = work;
  const anyExit = resolver.load(members, value);
  if (anyExit) cyclePaths.open(first);
  for (let local = 0; local < members.length; local += 1) {
    const node = members[local]!;
    const exit = anyExit ? resolver.walkFrom(local) : -1;
    via[node] = exit;
    value[node] = exit === -1 ? voteCodeAbsent : value[exit]!;
    invariant(exit === -1 || resolver.localIndexOf(exit) === -1, 'a cycle walk exits inside its cycle');
    if (anyExit) cyclePaths.append(first, resolver.path, exit === -1 ? 0 : resolver.pathLength);
  }
  if (anyExit) cyclePaths.close();
}

/**
 * Effective values of every node. Each component is resolved the moment Tarjan emits it, when
 * every node it reaches already holds its final value; the search skips a node's later candidates
 * once an earlier one is final and not absent (see strongly-connected-components.ts).
 */
export function resolveValues(graph: BillGraph, options: ResolveOptions = {}): ValueResolution {
  const nodeCount = graph.voterIds.length;
  const { workspace } = options;
  const value = valuesArray(workspace, nodeCount);
  const via = intsArray(workspace, 'via', nodeCount);
  const cyclePaths = new CyclePaths(options.cyclePathEntriesMax ?? cyclePathEntriesMax);
  const work = { resolver: new CycleResolver(graph), value, via, cyclePaths };
  const onComponent = (first: number, end: number, order: Int32Array, exit: number): void => {
    if (end - first > 1) {
      resolveCycle(order.subarray(first, end), first, work);
    } else if (exit === -1) {
      resolveTrivial(graph, order[first]!, value, via);
    } else {
      // The search already found the first candidate with a value: the walk leaves there.
      value[order[first]!] = value[exit]!;
      via[order[first]!] = exit;
    }
  };
  const memory = workspace === undefined ? undefined
    : { componentOf: workspace.ints('componentOf', nodeCount), order: workspace.ints('order', nodeCount) };
  const components = stronglyConnectedComponents(nodeCount, graph.candidateStart, graph.candidateNode,
    { onComponent, exitValue: value, memory });
  invariant(components.order.length === nodeCount, 'every node resolved');
  return { graph, components, value, via, cyclePaths };
}

/**
 * Adds `flow` to the weight of every node of path[0 .. length). Indexed loops, not for-of: at
 * millions of entries an iterator that escapes optimization allocates a result object per entry.
 */
function addAlong(weight: Int32Array, path: Int32Array, length: number, flow: number): void {
  invariant(length <= path.length, 'path length beyond its buffer');
  for (let index = 0; index < length; index += 1) {
    const node = path[index]!;
    weight[node] = weight[node]! + flow;
  }
}

/**
 * The flow entering a cycle at each present member (its own unit plus the flows from outside,
 * which `weight` holds on arrival) follows that member's walk, adds to every member on it, and
 * moves on to the exit node. Walks come from the value pass, or are walked again when not kept.
 */
function addCycleWeights(
  resolution: ValueResolution, members: Int32Array, first: number,
  work: { weight: Int32Array; resolver: () => CycleResolver },
): void {
  const { value, via, cyclePaths } = resolution;
  const { weight } = work;
  const entering = Int32Array.from(members, (node) => weight[node]!);
  members.forEach((node) => { weight[node] = 0; });
  let offset = cyclePaths.offset(first);
  const resolver = offset === -1 ? work.resolver() : null;
  resolver?.load(members, value);
  for (let local = 0; local < members.length; local += 1) {
    const node = members[local]!;
    if (value[node] === voteCodeAbsent) {
      invariant(entering[local] === 0, 'flow into an absent cycle member');
      if (resolver === null) {
        invariant(cyclePaths.at(offset) === 0, 'an absent member has a kept walk');
        offset += 1;
      }
      continue;
    }
    const flow = entering[local]! + 1;
    if (resolver === null) {
      const walk = cyclePaths.walkAt(offset);
      addAlong(weight, walk, walk.length, flow);
      offset += walk.length + 1;
    } else {
      invariant(resolver.walkFrom(local) === via[node], 'cycle walk changed between passes');
      addAlong(weight, resolver.path, resolver.pathLength, flow);
    }
    const exit = via[node]!;
    weight[exit] = weight[exit]! + flow;
  }
}

/**
 * Weights by flow accumulation in reverse emission order (upstream first). Until a node is
 * processed, weight[node] holds the flow that arrived from upstream; then its own unit is added and
 * the total moves on to the node its walk continues to.
 */
export function accumulateWeights(resolution: ValueResolution, workspace?: ResolutionWorkspace): Int32Array {
  const { components, value, via } = resolution;
  const weight = intsArray(workspace, 'weight', value.length);
  let resolver: CycleResolver | null = null;
  const work = { weight, resolver: () => (resolver ??= new CycleResolver(resolution.graph)) };
  const { order, cycles } = components;
  let cycleIndex = cycles.length - 1;
  // The last position of the next cycle going backwards, or -1: one integer comparison per node.
  let cycleLast = cycleIndex >= 0 ? cycles[cycleIndex]!.end - 1 : -1;
  for (let position = order.length - 1; position >= 0; position -= 1) {
    if (position === cycleLast) {
      const { first, end } = cycles[cycleIndex]!;
      const members = order.subarray(first, end);
      if (members.some((node) => value[node] !== voteCodeAbsent)) {
        addCycleWeights(resolution, members, first, work);
      } else {
        invariant(members.every((node) => weight[node] === 0), 'flow into an absent cycle');
      }
      position = first;
      cycleIndex -= 1;
      cycleLast = cycleIndex >= 0 ? cycles[cycleIndex]!.end - 1 : -1;
      invariant(cycleLast < first, 'cycle ranges out of order');
      continue;
    }
    const node = order[position]!;
    if (value[node] === voteCodeAbsent) {
      invariant(weight[node] === 0, 'flow into an absent voter');
      continue;
    }
    const total = weight[node]! + 1;
    weight[node] = total;
    const next = via[node]!;
    if (next !== -1) weight[next] = weight[next]! + total;
  }
  invariant(cycleIndex === -1, 'a cycle was skipped');
  return weight;
}

export function resolve(graph: BillGraph, options: ResolveOptions = {}): BillResolution {
  const values = resolveValues(graph, options);
  const weight = accumulateWeights(values, options.workspace);
  let directWeight = 0;
  let present = 0;
  for (let node = 0; node < weight.length; node += 1) {
    if (values.value[node] !== voteCodeAbsent) present += 1;
    if (graph.directVote[node] !== voteCodeAbsent) directWeight += weight[node]!;
  }
  // Every present voter's path ends at exactly one direct voter.
  invariant(directWeight === present, 'direct voters\' weights must sum to the present voters');
  return { ...values, weight };
}

/**
 * The nodes the reference walk from `node` goes through, to the final direct voter; [node] alone
 * when it votes or is absent. Trivial nodes follow `via`; a cycle entered at member m follows m's
 * own walk inside it (entering from outside, the path holds no member of the cycle).
 */
export function resolutionPath(resolution: ValueResolution, node: number): number[] {
  const { components, via } = resolution;
  const { order, componentOf, cycles } = components;
  const path: number[] = [];
  const resolver = new CycleResolver(resolution.graph);
  let current = node;
  // Each iteration moves to a component emitted earlier, so the loop is bounded by their count.
  for (let hop = 0; hop <= components.count && current !== -1; hop += 1) {
    const component = componentOf[current]!;
    const cycle = cycles.find(({ first }) => componentOf[order[first]!] === component);
    if (cycle === undefined || via[current] === -1) {
      path.push(current);
    } else {
      resolver.load(order.subarray(cycle.first, cycle.end), resolution.value);
      invariant(resolver.walkFrom(resolver.localIndexOf(current)) === via[current], 'cycle walk changed');
      path.push(...resolver.pathView());
    }
    current = via[current]!;
  }
  invariant(current === -1, 'resolution path did not end');
  return path;
}
