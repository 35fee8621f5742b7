// What a commit asks of Redis (commit.ts): guards that must hold, writes applied when they do, and
// the audit-log entries that record the change. Plain data, checked and encoded by commit-encoding.ts.
import type { AuditDraft } from '../core/audit-entry.js';

/**
 * Expected current value of a hash field or string key; null means "must not exist". `hash-min`
 * holds when the numeric hash field (missing = 0) is at least `min`: money checks "balance covers
 * the amount" without pinning the exact balance, so concurrent payments to an account never conflict.
 */
export type Guard =
  | { kind: 'hash'; key: string; field: string; expected: string | null }
  | { kind: 'string'; key: string; expected: string | null }
  | { kind: 'hash-min'; key: string; field: string; min: number }
  /** Many fields of one hash, each at its expected value (null: absent), read with a few HMGETs, not one HGET each. */
  | { kind: 'hash-many'; key: string; fields: ReadonlyArray<readonly [string, string | null]> }
  /**
   * An idempotency claim (claim-buckets.ts): holds when no live claim has this id, and once the
   * request's guards all hold it is taken, recording `value`. Refused as the conflict
   * { key: ClaimBuckets.conflictKey, field: id }.
   */
  | { kind: 'claim'; id: string; value: string };

export type Write =
  | { op: 'hset'; key: string; field: string; value: string }
  /** Many fields of one hash: one write op (and a few HSETs) instead of one per field, e.g. demurrage markers. */
  | { op: 'hsetmany'; key: string; fields: ReadonlyArray<readonly [string, string]> }
  | { op: 'hdel'; key: string; field: string }
  | { op: 'hincrby'; key: string; field: string; by: number }
  /** HINCRBY of many fields of one hash: the balance moves of one transfer in one compact op. */
  | { op: 'hincrbymany'; key: string; deltas: ReadonlyArray<readonly [string, number]> }
  | { op: 'set'; key: string; value: string }
  | { op: 'del'; key: string }
  | { op: 'sadd'; key: string; member: string }
  /** SADD of many members: a demurrage run's markers (a set: no value per member). */
  | { op: 'saddmany'; key: string; members: readonly string[] }
  | { op: 'srem'; key: string; member: string }
  | { op: 'rpush'; key: string; value: string }
  /** SET with an expiry in milliseconds: idempotency keys that only need to outlive retries. */
  | { op: 'setpx'; key: string; value: string; ttlMs: number };

export interface CommitRequest {
  guards: readonly Guard[];
  writes: readonly Write[];
  entries: readonly AuditDraft[];
}

