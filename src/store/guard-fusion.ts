// Guards that can take their own write (commit-script.ts: claim and debit). A payment checks that
// its idempotency key is absent and later sets it, and checks that the payer holds the amount and
// later takes it: two Redis commands each, where SET NX PX and HINCRBY of −amount (with its result
// checked) do check and write in one. Fusing is only done where it cannot change what the request
// means: the guard and its write are the only things in the request that touch that key (claim) or
// that field (debit), so nothing in between could see the write early, and the script undoes a
// fused guard when its request is refused. A debit whose transfer has one other leg, a credit of
// the same amount to a field nothing else touches, is a move: the script credits it as soon as every
// guard held, and the transfer travels as one op of five tokens instead of two of four (each token
// is an argument Redis parses and hands to Lua). Everything else is encoded as written.
import type { CommitRequest, Guard, Write } from './commit-request.js';

export type FusedGuard =
  | { readonly kind: 'claim'; readonly key: string; readonly value: string; readonly ttlMs: number }
  | { readonly kind: 'debit'; readonly key: string; readonly field: string; readonly amount: number }
  /** A debit of `field` and a credit of the same amount to `to`, in one hash. */
  | { readonly kind: 'move'; readonly key: string; readonly field: string; readonly amount: number; readonly to: string };

export interface GuardFusions {
  /** Guard index → the fused guard that replaces it. */
  readonly guards: ReadonlyMap<number, FusedGuard>;
  /** Writes (by index) a fused guard took whole. */
  readonly takenWrites: ReadonlySet<number>;
  /** hincrbymany writes (by index) → the fields debits took out of them. */
  readonly takenLegs: ReadonlyMap<number, ReadonlySet<string>>;
}

/** Ops that address a whole key, not fields of a hash. */
function isKeyWide(write: Write): boolean {
  return write.op === 'set' || write.op === 'del' || write.op === 'sadd' || write.op === 'srem'
    || write.op === 'rpush' || write.op === 'setpx';
}

function guardTouchesField(guard: Guard, key: string, field: string): boolean {
  if (guard.kind === 'claim' || guard.key !== key) return false;
  switch (guard.kind) {
    case 'string': return true;
    case 'hash': case 'hash-min': return guard.field === field;
    case 'hash-many': return guard.fields.some(([name]) => name === field);
  }
}

/** How the write mentions key/field: not at all, by the whole key, or by naming the field. */
function writeTouchesField(write: Write, key: string, field: string): 'no' | 'key' | 'field' {
  if (write.key !== key) return 'no';
  if (isKeyWide(write)) return 'key';
  switch (write.op) {
    case 'hset': case 'hdel': case 'hincrby': return write.field === field ? 'field' : 'no';
    case 'hsetmany': return write.fields.some(([name]) => name === field) ? 'field' : 'no';
    case 'hincrbymany': return write.deltas.some(([name]) => name === field) ? 'field' : 'no';
    default: return 'key';
  }
}

/** Whether the hincrbymany's deltas name `field` exactly once, with delta `by`. */
function singleLeg(deltas: ReadonlyArray<readonly [string, number]>, field: string, by: number): boolean {
  let found = false;
  for (const [name, delta] of deltas) {
    if (name !== field) continue;
    if (found || delta !== by) return false;
    found = true;
  }
  return found;
}

/** The single write that debits key/field by exactly `amount`, with the only other mention being guard `self`. */
function debitWrite(request: CommitRequest, self: number, key: string, field: string, amount: number):
{ index: number; leg: boolean } | null {
  const { guards, writes } = request;
  for (let index = 0; index < guards.length; index += 1) {
    if (index !== self && guardTouchesField(guards[index] as Guard, key, field)) return null;
  }
  let found: { index: number; leg: boolean } | null = null;
  for (let index = 0; index < writes.length; index += 1) {
    const write = writes[index] as Write;
    const touches = writeTouchesField(write, key, field);
    if (touches === 'no') continue;
    if (touches === 'key' || found !== null) return null;
    if (write.op === 'hincrby' && write.by === -amount) found = { index, leg: false };
    else if (write.op === 'hincrbymany' && singleLeg(write.deltas, field, -amount)) found = { index, leg: true };
    else return null;
  }
  return found;
}

/**
 * The field a two-leg hincrbymany credits with `amount` besides debiting `from`, when nothing else in
 * the request touches it (so crediting it before the other writes cannot show); else null.
 */
function moveCredit(
  request: CommitRequest, writeIndex: number, key: string, from: string, amount: number,
): string | null {
  const write = request.writes[writeIndex];
  if (write?.op !== 'hincrbymany' || write.deltas.length !== 2) return null;
  const credit = write.deltas.find(([field]) => field !== from);
  if (credit === undefined || credit[1] !== amount) return null;
  const to = credit[0];
  for (const guard of request.guards) if (guardTouchesField(guard, key, to)) return null;
  for (let index = 0; index < request.writes.length; index += 1) {
    if (index !== writeIndex && writeTouchesField(request.writes[index] as Write, key, to) !== 'no') return null;
  }
  return to;
}

/** The single setpx of `key`, with the only other mention being guard `self`; its index. */
function claimWrite(request: CommitRequest, self: number, key: string): number | null {
  const { guards, writes } = request;
  for (let index = 0; index < guards.length; index += 1) {
    const guard = guards[index] as Guard;
    if (index !== self && guard.kind !== 'claim' && guard.key === key) return null;
  }
  let found: number | null = null;
  for (let index = 0; index < writes.length; index += 1) {
    const write = writes[index] as Write;
    if (write.key !== key) continue;
    if (write.op !== 'setpx' || found !== null) return null;
    found = index;
  }
  return found;
}

/** The guards of `request` that can be fused with their write; null when none can (most requests but payments). */
export function guardFusions(request: CommitRequest): GuardFusions | null {
  let fusions: { guards: Map<number, FusedGuard>; takenWrites: Set<number>; takenLegs: Map<number, Set<string>> } | null
    = null;
  const taken = (): NonNullable<typeof fusions> =>
    fusions ??= { guards: new Map(), takenWrites: new Set(), takenLegs: new Map() };
  for (let index = 0; index < request.guards.length; index += 1) {
    const guard = request.guards[index] as Guard;
    if (guard.kind === 'string' && guard.expected === null) {
      const writeIndex = claimWrite(request, index, guard.key);
      const write = writeIndex === null ? undefined : request.writes[writeIndex];
      if (writeIndex === null || write?.op !== 'setpx') continue;
      const result = taken();
      result.guards.set(index, { kind: 'claim', key: guard.key, value: write.value, ttlMs: write.ttlMs });
      result.takenWrites.add(writeIndex);
    } else if (guard.kind === 'hash-min' && Number.isSafeInteger(guard.min) && guard.min > 0) {
      const write = debitWrite(request, index, guard.key, guard.field, guard.min);
      if (write === null) continue;
      const result = taken();
      const to = write.leg && !result.takenLegs.has(write.index)
        ? moveCredit(request, write.index, guard.key, guard.field, guard.min) : null;
      if (to !== null) {
        result.guards.set(index, { kind: 'move', key: guard.key, field: guard.field, amount: guard.min, to });
        result.takenWrites.add(write.index);
        continue;
      }
      result.guards.set(index, { kind: 'debit', key: guard.key, field: guard.field, amount: guard.min });
      if (write.leg) {
        let fields = result.takenLegs.get(write.index);
        if (fields === undefined) result.takenLegs.set(write.index, fields = new Set());
        fields.add(guard.field);
      } else {
        result.takenWrites.add(write.index);
      }
    }
  }
  return fusions;
}
