// Exact reference walk inside one non-trivial strongly connected component (a delegation cycle).
//
// Inside a component the walk's result depends on the path: a candidate already on the path is
// skipped. Entering the component from outside, the path holds no member (a member on it would put
// the outside node in the component), so each member has one well-defined walk from itself.
//
// Greedy rule, exact because the reference walk is an exhaustive depth-first search: with visited
// set V (the path so far plus the current node u), walk(c, V) for an unvisited member c is not
// absent iff some "success" member (one with an outside candidate of non-absent value) is reachable
// from c in the component minus V. So at u take the first candidate, in rank order, that is either
// an outside candidate with a non-absent value (the walk exits there) or an unvisited member from
// which a success member is reachable avoiding V. Outside candidates with an absent value are
// skipped by the walk and are dropped from the local graph.
//
// Work: a walk makes at most k steps (k = component size). Failed reachability searches mark what
// they saw dead for the rest of the walk (V only grows), so they cost O(E) per walk in total; each
// successful search costs O(E) and leaves a witness path that later steps reuse without searching.
// Worst case O(k·E) per walk and O(k²·E) per component (E = edges inside it). Real components are
// small (mutual delegations); a component without any success member is all absent in O(k + E).
import { voteCodeAbsent, type BillGraph } from './delegation-graph.js';
import { invariant, InvariantError } from './invariant.js';

const chooseNone = -2;
const chooseExit = -1;

/** Reusable scratch space sized to the largest component seen; one per resolution. */
export class CycleResolver {
  private capacity = 0;
  private size = 0;
  private members = new Int32Array(0);
  private localStart = new Int32Array(1);
  private localTarget = new Int32Array(0);
  private hasExit = new Uint8Array(0);
  // Marks are stamps: a member is visited when visited[m] equals the current walk's stamp, which
  // avoids clearing per walk. Float64 stamps cannot wrap around in any feasible run.
  private visited = new Float64Array(0);
  private dead = new Float64Array(0);
  private seen = new Float64Array(0);
  private witnessMark = new Float64Array(0);
  private witnessIndex = new Int32Array(0);
  private stackNode = new Int32Array(0);
  private stackEdge = new Int32Array(0);
  private seenList = new Int32Array(0);
  private searchDepth = 0;
  private seenCount = 0;
  private walkStamp = 0;
  private searchStamp = 0;
  private witnessStamp = 0;
  private witnessPosition = -1;
  private exitNode = -1;
  /**
   * Members (graph nodes) on the last walk's path, from its start to the member that exits:
   * path[0 .. pathLength). A reused buffer: a fresh array per walk would churn the young
   * generation with millions of entries on large cycles.
   */
  path = new Int32Array(0);
  pathLength = 0;

  /**
   * Graph node → local index of the loaded component's members. A Map, not an array per graph
   * node: cycles hold a small share of the nodes, and resolution must not allocate per node.
   */
  private readonly localOf = new Map<number, number>();

  constructor(private readonly graph: BillGraph) {}

  /**
   * Loads one component. `value` must hold the final values of every node outside it (they are in
   * components emitted earlier). Returns false when no member has an outside candidate with a
   * value: then every member is absent.
   */
  load(members: Int32Array, value: Int8Array): boolean {
    invariant(members.length >= 2, 'a cycle component has at least two members');
    this.reserve(members.length);
    this.size = members.length;
    this.members.set(members);
    this.localOf.clear();
    for (let local = 0; local < this.size; local += 1) this.localOf.set(members[local]!, local);
    invariant(this.localOf.size === this.size, 'a member listed twice');
    const { candidateStart, candidateNode } = this.graph;
    let edgeCount = 0;
    let exits = 0;
    for (let local = 0; local < this.size; local += 1) {
      const node = this.members[local]!;
      invariant(this.graph.directVote[node] === voteCodeAbsent, 'a direct voter in a cycle');
      this.hasExit[local] = 0;
      for (let edge = candidateStart[node]!; edge < candidateStart[node + 1]!; edge += 1) {
        const target = candidateNode[edge]!;
        const targetLocal = this.localOf.get(target);
        if (targetLocal !== undefined) this.pushLocal(edgeCount++, targetLocal);
        else if (value[target] !== voteCodeAbsent) {
          this.pushLocal(edgeCount++, -target - 1);
          this.hasExit[local] = 1;
          exits += 1;
        }
      }
      this.localStart[local + 1] = edgeCount;
    }
    return exits > 0;
  }

  /** The local index of a graph node in the loaded component, or -1 when it is not a member. */
  localIndexOf(node: number): number {
    return this.localOf.get(node) ?? -1;
  }

  /**
   * The reference walk from member `local` (a local index). Fills `path` with the graph nodes it
   * goes through and returns the outside node where it exits, or -1 when it is absent.
   */
  walkFrom(local: number): number {
    invariant(local >= 0 && local < this.size, 'walk start outside the component');
    this.walkStamp = this.nextStamp(this.walkStamp);
    this.witnessStamp = this.nextStamp(this.witnessStamp);
    this.witnessPosition = -1;
    this.pathLength = 0;
    let current = local;
    this.visited[current] = this.walkStamp;
    this.path[this.pathLength++] = this.members[current]!;
    // Each step visits a new member, so after `size` steps only an exit or a dead end remains.
    for (let step = 0; step <= this.size; step += 1) {
      const next = this.choose(current);
      if (next === chooseExit) return this.exitNode;
      if (next === chooseNone) {
        invariant(step === 0, 'the walk entered a member from which it could not exit');
        return -1;
      }
      current = next;
      this.visited[current] = this.walkStamp;
      this.path[this.pathLength++] = this.members[current]!;
    }
    throw new InvariantError('unreachable: the walk outgrew its component');
  }

  /** The last walk's path as a view (valid until the next walk or load). */
  pathView(): Int32Array {
    return this.path.subarray(0, this.pathLength);
  }

  private pushLocal(edge: number, target: number): void {
    if (edge >= this.localTarget.length) {
      const grown = new Int32Array(Math.max(16, this.localTarget.length * 2));
      grown.set(this.localTarget);
      this.localTarget = grown;
    }
    this.localTarget[edge] = target;
  }

  private reserve(size: number): void {
    if (size <= this.capacity) return;
    this.capacity = Math.max(size, this.capacity * 2);
    const capacity = this.capacity;
    this.members = new Int32Array(capacity);
    this.path = new Int32Array(capacity);
    this.localStart = new Int32Array(capacity + 1);
    this.hasExit = new Uint8Array(capacity);
    // Stamps start at zero in fresh arrays, and live stamps are always positive.
    this.visited = new Float64Array(capacity);
    this.dead = new Float64Array(capacity);
    this.seen = new Float64Array(capacity);
    this.witnessMark = new Float64Array(capacity);
    this.witnessIndex = new Int32Array(capacity);
    this.stackNode = new Int32Array(capacity);
    this.stackEdge = new Int32Array(capacity);
    this.seenList = new Int32Array(capacity);
  }

  private nextStamp(stamp: number): number {
    invariant(stamp < Number.MAX_SAFE_INTEGER, 'stamp overflow');
    return stamp + 1;
  }

  /** The walk's choice at `current`: a member to descend to, chooseExit, or chooseNone. */
  private choose(current: number): number {
    for (let edge = this.localStart[current]!; edge < this.localStart[current + 1]!; edge += 1) {
      const target = this.localTarget[edge]!;
      if (target < 0) {
        this.exitNode = -target - 1;
        return chooseExit;
      }
      if (this.visited[target] === this.walkStamp || this.dead[target] === this.walkStamp) continue;
      const onWitness = this.witnessMark[target] === this.witnessStamp;
      if (onWitness && this.witnessIndex[target]! > this.witnessPosition) {
        // The witness from `current` onward avoids the path, so its suffix from target does too.
        this.witnessPosition = this.witnessIndex[target]!;
        return target;
      }
      if (this.searchSuccess(target)) return target;
    }
    return chooseNone;
  }

  /**
   * Depth-first search from `from` among unvisited, not-dead members for a success member. On
   * success the search stack is a simple path to it: it becomes the witness. On failure every
   * member seen cannot reach a success member while the path only grows: they are marked dead.
   */
  private searchSuccess(from: number): boolean {
    this.searchStamp = this.nextStamp(this.searchStamp);
    this.searchDepth = 0;
    this.seenCount = 0;
    let found = this.pushSearch(from);
    while (!found && this.searchDepth > 0) {
      const node = this.stackNode[this.searchDepth - 1]!;
      const edge = this.stackEdge[this.searchDepth - 1]!;
      if (edge === this.localStart[node + 1]) {
        this.searchDepth -= 1;
        continue;
      }
      this.stackEdge[this.searchDepth - 1] = edge + 1;
      const target = this.localTarget[edge]!;
      if (target < 0 || this.visited[target] === this.walkStamp) continue;
      if (this.dead[target] === this.walkStamp || this.seen[target] === this.searchStamp) continue;
      found = this.pushSearch(target);
    }
    invariant(this.seenCount <= this.size, 'search saw a member twice');
    if (found) this.setWitness(this.searchDepth);
    else for (let index = 0; index < this.seenCount; index += 1) this.markDead(this.seenList[index]!);
    return found;
  }

  private markDead(node: number): void {
    this.dead[node] = this.walkStamp;
  }

  /** Pushes a member on the search stack; true when it is a success member. */
  private pushSearch(node: number): boolean {
    this.seen[node] = this.searchStamp;
    this.seenList[this.seenCount++] = node;
    this.stackNode[this.searchDepth] = node;
    this.stackEdge[this.searchDepth] = this.localStart[node]!;
    this.searchDepth += 1;
    return this.hasExit[node] === 1;
  }

  private setWitness(depth: number): void {
    invariant(depth >= 1, 'empty witness');
    this.witnessStamp = this.nextStamp(this.witnessStamp);
    for (let index = 0; index < depth; index += 1) {
      const node = this.stackNode[index]!;
      this.witnessMark[node] = this.witnessStamp;
      this.witnessIndex[node] = index;
    }
    this.witnessPosition = 0;
  }
}
