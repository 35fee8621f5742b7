// Waiting for a recognizer's work with a bound (a lattice, a following pass, the words of an answer): its
// value when it comes in time, `late` otherwise. The timer is cleared either way, so a wait that ended
// leaves nothing pending.

/** `work`'s value if it settles within `ms`, else `late` (a rejection within `ms` rejects). */
export async function within<T, L>(work: Promise<T>, ms: number, late: L): Promise<T | L> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<L>((resolve) => {
    timer = setTimeout(() => { resolve(late); }, Math.max(0, ms));
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
