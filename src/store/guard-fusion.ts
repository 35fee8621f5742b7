// Guards that can take their own write (commit-script.ts: claim and debit). A payment checks that
// its idempotency key is absent and later sets it, and checks that the payer holds the amount and
// later takes it: two Redis commands each, where SET NX PX and HINCRBY of −amount (with its result
// checked) do check and write in one. Fusing is only done where it cannot change what the request
// means: the guard and its write are the only things in the request that touch that key (claim) or
// that field (debit), so nothing in between could see the write early, and the script undoes a
// fused guard when its request is refused. Everything else is encoded as written.
import type { CommitRequest, Guard, Write } from './commit-request.js';

export type FusedGuard =
  | { readonly kind: 'claim'; readonly key: string; readonly value: string; readonly ttlMs: number }
  | { readonly kind: 'debit'; readonly key: string; readonly field: string; readonly amount: number };

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

function guardTouchesField(guard: Guard, key: string, field: string): boolean | 'key' {
  if (guard.key !== key) return false;
  switch (guard.kind) {
    case 'string': return 'key';
    case 'hash': case 'hash-min': return guard.field === field;
    case 'hash-many': return guard.fields.some(([name]) => name === field);
  }
}

/** The write's mention of key/field: false, true (names the field), 'key' (the whole key), or its leg's delta. */
function writeTouchesField(write: Write, key: string, field: string): boolean | 'key' {
  if (write.key !== key) return false;
  if (isKeyWide(write)) return 'key';
  switch (write.op) {
    case 'hset': case 'hdel': case 'hincrby': return write.field === field;
    case 'hsetmany': return write.fields.some(([name]) => name === field);
    case 'hincrbymany': return write.deltas.some(([name]) => name === field);
    default: return 'key';
  }
}

/** The single write that debits key/field by exactly `amount`, with the only other mention being guard `self`. */
function debitWrite(request: CommitRequest, self: number, key: string, field: string, amount: number):
{ index: number; leg: boolean } | null {
  for (const [index, guard] of request.guards.entries()) {
    if (index !== self && guardTouchesField(guard, key, field) !== false) return null;
  }
  let found: { index: number; leg: boolean } | null = null;
  for (const [index, write] of request.writes.entries()) {
    const touches = writeTouchesField(write, key, field);
    if (touches === false) continue;
    if (touches === 'key' || found !== null) return null;
    if (write.op === 'hincrby' && write.by === -amount) found = { index, leg: false };
    else if (write.op === 'hincrbymany'
      && write.deltas.filter(([name, by]) => name === field && by === -amount).length === 1
      && write.deltas.filter(([name]) => name === field).length === 1) found = { index, leg: true };
    else return null;
  }
  return found;
}

/** The single setpx of `key`, with the only other mention being guard `self`; its index. */
function claimWrite(request: CommitRequest, self: number, key: string): number | null {
  for (const [index, guard] of request.guards.entries()) if (index !== self && guard.key === key) return null;
  let found: number | null = null;
  for (const [index, write] of request.writes.entries()) {
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
  for (const [index, guard] of request.guards.entries()) {
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
