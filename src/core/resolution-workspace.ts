// Reusable memory for repeated resolutions, as a tally server re-tallies while votes come in.
// Each resolution of a graph of millions of voters needs tens of MB of typed arrays. Fresh ones
// cost page faults (expensive in virtual machines) and, through V8's accounting of external
// memory, trigger full collections of the whole heap. A workspace hands the same memory out again.
// A resolution made with a workspace shares its arrays: it is valid until the workspace's next use.
import { invariant } from './invariant.js';

export type Int32Role = 'via' | 'weight' | 'componentOf' | 'order';

export class ResolutionWorkspace {
  private value = new Int8Array(0);
  private readonly int32 = new Map<Int32Role, Int32Array>();

  /** A zeroed Int8Array of `length` for effective values. */
  values(length: number): Int8Array {
    invariant(Number.isSafeInteger(length) && length >= 0, 'bad workspace length');
    if (this.value.length < length) this.value = new Int8Array(length);
    const view = this.value.subarray(0, length);
    view.fill(0);
    return view;
  }

  /** A zeroed Int32Array of `length` for one role; roles never share memory. */
  ints(role: Int32Role, length: number): Int32Array {
    invariant(Number.isSafeInteger(length) && length >= 0, 'bad workspace length');
    let buffer = this.int32.get(role);
    if (buffer === undefined || buffer.length < length) {
      buffer = new Int32Array(length);
      this.int32.set(role, buffer);
    }
    const view = buffer.subarray(0, length);
    view.fill(0);
    return view;
  }
}

/** Fresh arrays when there is no workspace (the default: results never alias). */
export function valuesArray(workspace: ResolutionWorkspace | undefined, length: number): Int8Array {
  return workspace === undefined ? new Int8Array(length) : workspace.values(length);
}

export function intsArray(workspace: ResolutionWorkspace | undefined, role: Int32Role, length: number): Int32Array {
  return workspace === undefined ? new Int32Array(length) : workspace.ints(role, length);
}
