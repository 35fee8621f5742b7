// Strongly connected components: Tarjan's algorithm in Pearce's space-efficient form ("A space-
// efficient algorithm for finding strongly connected components", IPL 2016), iterative. Deep
// delegation chains (hundreds of thousands of voters) must not overflow the call stack, so the
// depth-first search keeps its own stacks in typed arrays; one rindex array replaces Tarjan's
// index, lowlink and on-stack arrays, which matters for cache misses at millions of nodes.
//
// A component is emitted only after every component it reaches: emission order is a reverse
// topological order (sinks first). The optional callback runs at each emission, so resolution can
// work on a component while its edges are still in cache, knowing every node it reaches is final.
//
// Optional early exit (`exitValue`): the tally's walk leaves a voter at its first candidate with a
// non-absent value. When the first candidates of a node, in order, lead only to complete nodes and
// one of them has a nonzero exitValue (set by the callback at emission), no walk through the node
// can use its later candidates, so the search skips them. Components are then those of the graph
// without the skipped edges, which is the graph the walks use.
import { invariant } from './invariant.js';

export interface Components {
  readonly count: number;
  /** Nodes grouped by component, components in emission order (sinks first). */
  readonly order: Int32Array;
  /** Node → component id (its emission index). */
  readonly componentOf: Int32Array;
  /** The components of two or more nodes, as ranges of `order`, in emission order. */
  readonly cycles: ReadonlyArray<{ readonly first: number; readonly end: number }>;
}

/**
 * Called when a component is complete: its members are order[first .. end). `exit` is the
 * candidate with an exit value that ended the scan of a single node, or -1 when there is none.
 */
export type ComponentCallback = (first: number, end: number, order: Int32Array, exit: number) => void;

export interface ComponentOptions {
  onComponent?: ComponentCallback;
  exitValue?: Int8Array;
  /** Zeroed arrays of nodeCount to use for componentOf and order (see resolution-workspace.ts). */
  memory?: { componentOf: Int32Array; order: Int32Array };
}

const unvisited = 0;
/**
 * Initial size of the search stacks. They grow by doubling (up to the node count): real
 * delegation chains are a few dozen deep, and allocations per node add garbage collections of the
 * whole heap at millions of voters.
 */
const stackSizeInitial = 4096;

function grown<T extends Int32Array | Uint8Array>(array: T, limit: number, make: (size: number) => T): T {
  invariant(array.length < limit, 'stack beyond the node count');
  const result = make(Math.min(limit, array.length * 2));
  result.set(array);
  return result;
}

class PearceSearch {
  /**
   * Visit index (from 1) while a node is active; nodeCount - component once its component is
   * complete. Complete ids stay above every active index (Pearce, lemma 3), so one comparison
   * tells complete from active, and an active node is never lowered by a complete one.
   */
  readonly rindex: Int32Array;
  readonly order: Int32Array;
  readonly cycles: Array<{ first: number; end: number }> = [];
  private callNode: Int32Array;
  private callEdge: Int32Array;
  /** Per call frame: the node is still its own root (Pearce's `root` variable). */
  private callRoot: Uint8Array;
  /** Per call frame: every edge scanned so far led to a complete node. */
  private callClean: Uint8Array;
  private pending: Int32Array;
  callSize = 0;
  pendingSize = 0;
  nextIndex = 1;
  nextComponentId: number;
  count = 0;
  emitted = 0;

  constructor(
    readonly nodeCount: number, readonly start: Int32Array, readonly target: Int32Array,
    readonly options: ComponentOptions,
  ) {
    this.rindex = options.memory?.componentOf ?? new Int32Array(nodeCount);
    this.order = options.memory?.order ?? new Int32Array(nodeCount);
    invariant(this.rindex.length === nodeCount && this.order.length === nodeCount, 'memory of another size');
    // Spot check only: a full scan would cost as much as a sweep of the search.
    const cleared = nodeCount === 0 || (this.rindex[0] === unvisited && this.rindex[nodeCount - 1] === unvisited);
    invariant(cleared, 'component memory not cleared');
    const stackSize = Math.max(1, Math.min(nodeCount, stackSizeInitial));
    this.callNode = new Int32Array(stackSize);
    this.callEdge = new Int32Array(stackSize);
    this.callRoot = new Uint8Array(stackSize);
    this.callClean = new Uint8Array(stackSize);
    this.pending = new Int32Array(stackSize);
    this.nextComponentId = nodeCount;
  }

  private open(node: number): void {
    if (this.callSize === this.callNode.length) {
      const limit = this.nodeCount;
      this.callNode = grown(this.callNode, limit, (size) => new Int32Array(size));
      this.callEdge = grown(this.callEdge, limit, (size) => new Int32Array(size));
      this.callRoot = grown(this.callRoot, limit, (size) => new Uint8Array(size));
      this.callClean = grown(this.callClean, limit, (size) => new Uint8Array(size));
    }
    this.rindex[node] = this.nextIndex++;
    this.callNode[this.callSize] = node;
    this.callEdge[this.callSize] = this.start[node]!;
    this.callRoot[this.callSize] = 1;
    this.callClean[this.callSize] = 1;
    this.callSize += 1;
  }

  /**
   * Fast path between searches, when no node is active: a node whose candidates are all complete
   * (or whose scan ends early at a complete candidate with an exit value) is its own component and
   * needs no search frame. In a graph numbered candidates-first (graph-layout.ts), most nodes are.
   */
  emitIfSettled(node: number): boolean {
    invariant(this.callSize === 0 && this.pendingSize === 0, 'fast path while a search is running');
    const exitValue = this.options.exitValue;
    const end = this.start[node + 1]!;
    let exit = -1;
    for (let edge = this.start[node]!; edge < end && exit === -1; edge += 1) {
      const next = this.target[edge]!;
      // An exit value is only set at emission, so it also proves the candidate complete: checking
      // it first saves the index lookup for most voters (one cache miss each at millions).
      if (exitValue !== undefined && exitValue[next] !== 0) exit = next;
      else if (next === node || this.rindex[next] === unvisited) return false;
    }
    this.rindex[node] = this.nextIndex++;
    this.close(node, true, exit);
    return true;
  }

  /** Done with `node`: emit its component if it is the root, else leave it pending. */
  private close(node: number, isRoot: boolean, exit = -1): void {
    if (!isRoot) {
      if (this.pendingSize === this.pending.length) {
        this.pending = grown(this.pending, this.nodeCount, (size) => new Int32Array(size));
      }
      this.pending[this.pendingSize++] = node;
      return;
    }
    const first = this.emitted;
    const visitIndex = this.rindex[node]!;
    this.nextIndex -= 1;
    // Pending nodes visited after the root belong to its component; each is popped once overall.
    while (this.pendingSize > 0 && visitIndex <= this.rindex[this.pending[this.pendingSize - 1]!]!) {
      const member = this.pending[--this.pendingSize]!;
      this.rindex[member] = this.nextComponentId;
      this.order[this.emitted++] = member;
      this.nextIndex -= 1;
    }
    this.rindex[node] = this.nextComponentId;
    this.order[this.emitted++] = node;
    this.nextComponentId -= 1;
    this.count += 1;
    if (this.emitted - first > 1) this.cycles.push({ first, end: this.emitted });
    this.options.onComponent?.(first, this.emitted, this.order, exit);
  }

  /**
   * After scanning an edge of the frame `top` to `reached`: a complete node with an exit value
   * ends a clean scan; an active node makes the frame unclean and may lower its root index.
   */
  private scanned(top: number, node: number, reached: number): void {
    const reachedIndex = this.rindex[reached]!;
    if (reachedIndex > this.nextComponentId) {
      const exitValue = this.options.exitValue;
      if (exitValue !== undefined && this.callClean[top] === 1 && exitValue[reached] !== 0) {
        this.callEdge[top] = this.start[node + 1]!;
      }
      return;
    }
    this.callClean[top] = 0;
    if (reachedIndex < this.rindex[node]!) {
      this.rindex[node] = reachedIndex;
      this.callRoot[top] = 0;
    }
  }

  /** Depth-first search from `root`; each edge is scanned at most once over the whole run. */
  visit(root: number): void {
    this.open(root);
    while (this.callSize > 0) {
      const top = this.callSize - 1;
      const node = this.callNode[top]!;
      const edge = this.callEdge[top]!;
      if (edge < this.start[node + 1]!) {
        this.callEdge[top] = edge + 1;
        const next = this.target[edge]!;
        if (this.rindex[next] === unvisited) this.open(next);
        else this.scanned(top, node, next);
        continue;
      }
      this.callSize -= 1;
      this.close(node, this.callRoot[top] === 1);
      if (this.callSize > 0) this.scanned(this.callSize - 1, this.callNode[this.callSize - 1]!, node);
    }
  }
}

export function stronglyConnectedComponents(
  nodeCount: number, start: Int32Array, target: Int32Array, options: ComponentOptions = {},
): Components {
  invariant(start.length === nodeCount + 1, 'offsets length must be nodeCount + 1');
  invariant(start[nodeCount] === target.length, 'offsets must end at the edge count');
  const search = new PearceSearch(nodeCount, start, target, options);
  for (let root = 0; root < nodeCount; root += 1) {
    if (search.rindex[root] === unvisited && !search.emitIfSettled(root)) search.visit(root);
  }
  invariant(search.emitted === nodeCount, 'every node belongs to one component');
  invariant(search.pendingSize === 0 && search.nextIndex === 1, 'active nodes left at the end');
  // Component ids were handed out downward from nodeCount; turn them into emission indices.
  const componentOf = search.rindex;
  for (let node = 0; node < nodeCount; node += 1) componentOf[node] = nodeCount - componentOf[node]!;
  return { count: search.count, order: search.order, componentOf, cycles: search.cycles };
}
