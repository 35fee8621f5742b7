// Invariant checks for the pure core. A violated invariant is a bug, not an operating error: it is
// thrown as InvariantError and never caught inside the core (the IVR ends the call safely, the CLI
// exits non-zero), so a corrupted tally is never published.

export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

/** Throws InvariantError when `condition` is false. Messages are constants: this runs in hot loops. */
export function invariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}
