// The one way state changes reach Redis: a Lua script that checks optimistic guards, applies the
// writes and appends the audit-log entries in one atomic step, so a crash can never leave a state
// change without its log entry or the reverse. Hashing the chain happens later (log-sealer.ts),
// because Redis Lua has no SHA-256; the entry bodies are final at commit.
import type { Redis } from 'ioredis';
import type { AuditDraft, AuditEntry } from '../core/audit-entry.js';
import { confirmReplicated, noDurability, type Durability } from './durability.js';
import type { JurisdictionKeys } from './keys.js';
import { LeaseLostError, type Lease } from './lease.js';

export const commitRetryCountMax = 16;

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
  | { kind: 'hash-many'; key: string; fields: ReadonlyArray<readonly [string, string | null]> };

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
  | { op: 'srem'; key: string; member: string }
  | { op: 'rpush'; key: string; value: string }
  /** SET with an expiry in milliseconds: idempotency keys that only need to outlive retries. */
  | { op: 'setpx'; key: string; value: string; ttlMs: number };

export interface CommitRequest {
  guards: readonly Guard[];
  writes: readonly Write[];
  entries: readonly AuditDraft[];
}

export type CommitResult =
  | { ok: true; entries: AuditEntry[] }
  | { ok: false; conflict: { key: string; field: string | null } };

export class CommitConflictError extends Error {
  override name = 'CommitConflictError';
}

// KEYS[1] log list, KEYS[2..] keys named by guards and writes.
// ARGV[1] JSON { g: [[kind, keyIndex, field, expected]], w: [[op, keyIndex, a, b]] }; ARGV[2..] the entry
// bodies without seq and ts, as they are (not nested in the JSON: no escaping, no decoding).
// Timestamps never go backwards: a new entry's ts is at least the last entry's, read from the entry
// itself (every entry starts with {"seq":N,"ts":T,), so keeping the order costs a read, not a write.
const commitScript = `
local spec = cjson.decode(ARGV[1])
local hsetChunk = 1000
local hmgetChunk = 500
for _, g in ipairs(spec.g) do
  local key = KEYS[g[2]]
  if g[1] == 'H' then
    -- g[3] is flat [field, expected, ...]; HMGET answers false for an absent field.
    local flat = g[3]
    for i = 1, #flat, 2 * hmgetChunk do
      local last = math.min(i + 2 * hmgetChunk - 1, #flat)
      local fields = {}
      for j = i, last, 2 do fields[#fields + 1] = flat[j] end
      local values = redis.call('HMGET', key, unpack(fields))
      for n = 1, #fields do
        local expected = flat[i + 2 * n - 1]
        local current = values[n]
        if expected == cjson.null then
          if current ~= false then return {'conflict', key, fields[n]} end
        elseif current ~= expected then
          return {'conflict', key, fields[n]}
        end
      end
    end
  else
  local current
  if g[1] == 'h' or g[1] == 'm' then current = redis.call('HGET', key, g[3]) else current = redis.call('GET', key) end
  local expected = g[4]
  if g[1] == 'm' then
    if (tonumber(current or '0') or 0) < expected then return {'conflict', key, tostring(g[3])} end
  elseif expected == cjson.null then
    if current ~= false then return {'conflict', key, tostring(g[3])} end
  elseif current ~= expected then
    return {'conflict', key, tostring(g[3])}
  end
  end
end
local now = redis.call('TIME')
local ts = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local first = redis.call('LLEN', KEYS[1]) + 1
if first > 1 then
  local last = tonumber(string.match(redis.call('LINDEX', KEYS[1], -1), '^{"seq":%d+,"ts":(%d+),') or '0')
  if ts < last then ts = last end
end
for _, w in ipairs(spec.w) do
  local op, key = w[1], KEYS[w[2]]
  if op == 'hset' then redis.call('HSET', key, w[3], w[4])
  elseif op == 'hsetmany' then
    -- w[3] is flat [field, value, ...]; chunks keep unpack within Lua's stack limit.
    local flat = w[3]
    for i = 1, #flat, hsetChunk do redis.call('HSET', key, unpack(flat, i, math.min(i + hsetChunk - 1, #flat))) end
  elseif op == 'hdel' then redis.call('HDEL', key, w[3])
  elseif op == 'hincrby' then redis.call('HINCRBY', key, w[3], w[4])
  elseif op == 'hincrbymany' then
    local flat = w[3]
    for i = 1, #flat, 2 do redis.call('HINCRBY', key, flat[i], flat[i + 1]) end
  elseif op == 'set' then redis.call('SET', key, w[3])
  elseif op == 'del' then redis.call('DEL', key)
  elseif op == 'sadd' then redis.call('SADD', key, w[3])
  elseif op == 'srem' then redis.call('SREM', key, w[3])
  elseif op == 'rpush' then redis.call('RPUSH', key, w[3])
  elseif op == 'setpx' then redis.call('SET', key, w[3], 'PX', w[4])
  else return redis.error_reply('unknown write op ' .. tostring(op)) end
end
for i = 2, #ARGV do
  redis.call('RPUSH', KEYS[1], '{"seq":' .. (first + i - 2) .. ',"ts":' .. ts .. ',' .. string.sub(ARGV[i], 2))
end
return {'ok', tostring(first), tostring(ts)}
`;

function keyIndexer(fixed: string[]): { keys: string[]; index(key: string): number } {
  const keys = [...fixed];
  const positions = new Map<string, number>(keys.map((key, i) => [key, i + 1]));
  return {
    keys,
    index(key: string): number {
      let position = positions.get(key);
      if (position === undefined) {
        keys.push(key);
        position = keys.length;
        positions.set(key, position);
      }
      return position;
    },
  };
}

function encodeDraft(draft: AuditDraft): string {
  if (draft.actor.length === 0 || draft.text.length === 0) throw new RangeError('audit entry needs actor and text');
  if (/\d{10}/.test(draft.actor + draft.text)) throw new RangeError('audit entry must not contain a full phone number');
  if (draft.amount !== undefined && !Number.isSafeInteger(draft.amount)) throw new RangeError('amount must be integer cents');
  const body = JSON.stringify({ actor: draft.actor, actorId: draft.actorId, channel: draft.channel,
    text: draft.text, event: draft.event, amount: draft.amount });
  return body;
}

export class Committer {
  /**
   * `durability`: each successful commit waits for that many replicas (durability.ts). `fence`: every
   * commit is also guarded on this lease still holding its token (lease.ts), for singleton jobs.
   */
  constructor(
    private readonly redis: Redis, private readonly keys: JurisdictionKeys,
    private readonly durability: Durability = noDurability, private readonly fence: Lease | null = null,
  ) {
    redis.defineCommand('dnCommit', { lua: commitScript });
  }

  /** The same committer, every commit fenced by `lease`: once the lease is lost, commits throw LeaseLostError. */
  fencedBy(lease: Lease): Committer {
    return new Committer(this.redis, this.keys, this.durability, lease);
  }

  get logKey(): string {
    return this.keys.key('log');
  }

  async commit(unfenced: CommitRequest): Promise<CommitResult> {
    const fence = this.fence;
    const request = fence === null ? unfenced
      : { ...unfenced, guards: [{ kind: 'string', key: fence.key, expected: fence.token } as const, ...unfenced.guards] };
    const indexer = keyIndexer([this.logKey]);
    for (const key of [...request.guards.map((g) => g.key), ...request.writes.map((w) => w.key)]) {
      if (!key.startsWith(`${this.keys.tag}:`)) throw new RangeError(`key ${key} is outside jurisdiction ${this.keys.tag}`);
    }
    const g = request.guards.map((guard) => {
      switch (guard.kind) {
        case 'hash': return ['h', indexer.index(guard.key), guard.field, guard.expected];
        case 'string': return ['s', indexer.index(guard.key), '', guard.expected];
        case 'hash-min':
          if (!Number.isSafeInteger(guard.min)) throw new RangeError(`hash-min guard needs a safe integer, got ${guard.min}`);
          return ['m', indexer.index(guard.key), guard.field, guard.min];
        case 'hash-many':
          if (guard.fields.length === 0) throw new RangeError('hash-many guard needs at least one field');
          return ['H', indexer.index(guard.key), guard.fields.flat()];
      }
    });
    const w = request.writes.map((write) => {
      switch (write.op) {
        case 'hset': return [write.op, indexer.index(write.key), write.field, write.value];
        case 'hsetmany':
          if (write.fields.length === 0) throw new RangeError('hsetmany needs at least one field');
          return [write.op, indexer.index(write.key), write.fields.flat()];
        case 'hdel': return [write.op, indexer.index(write.key), write.field];
        case 'hincrby': return [write.op, indexer.index(write.key), write.field, write.by];
        case 'hincrbymany':
          if (write.deltas.length === 0) throw new RangeError('hincrbymany needs at least one field');
          // Deltas travel as decimal strings: a Lua number would print large values as 1e+14.
          return [write.op, indexer.index(write.key), write.deltas.flatMap(([field, by]) => {
            if (!Number.isSafeInteger(by)) throw new RangeError(`hincrbymany needs safe integers, got ${by}`);
            return [field, String(by)];
          })];
        case 'set': return [write.op, indexer.index(write.key), write.value];
        case 'del': return [write.op, indexer.index(write.key)];
        case 'sadd': case 'srem': return [write.op, indexer.index(write.key), write.member];
        case 'rpush': return [write.op, indexer.index(write.key), write.value];
        case 'setpx':
          if (!Number.isSafeInteger(write.ttlMs) || write.ttlMs < 1) throw new RangeError(`setpx needs a positive ttl, got ${write.ttlMs}`);
          return [write.op, indexer.index(write.key), write.value, write.ttlMs];
      }
    });
    const e = request.entries.map(encodeDraft);
    const command = (this.redis as unknown as Record<string, (...args: unknown[]) => Promise<string[]>>).dnCommit;
    if (command === undefined) throw new Error('commit script not defined');
    const reply = await command.call(this.redis, indexer.keys.length, ...indexer.keys, JSON.stringify({ g, w }), ...e);
    if (reply[0] === 'conflict') {
      if (fence !== null && reply[1] === fence.key) {
        throw new LeaseLostError(`lease ${fence.key} (token ${fence.token}) expired or passed to another process; commit refused`);
      }
      return { ok: false, conflict: { key: String(reply[1]), field: reply[2] === '' ? null : String(reply[2]) } };
    }
    await confirmReplicated(this.redis, this.logKey, this.durability);
    const firstSeq = Number(reply[1]);
    const ts = Number(reply[2]);
    return { ok: true, entries: request.entries.map((draft, i) => ({ ...draft, seq: firstSeq + i, ts })) };
  }

  /**
   * Runs read → decide → commit until the guards hold. `attempt` re-reads the state it depends on
   * each time, so a concurrent change by another process is never overwritten.
   */
  async commitWithRetry<T>(
    attempt: () => Promise<{ request: CommitRequest; value: T }>,
    options: { retryCountMax?: number } = {},
  ): Promise<{ value: T; entries: AuditEntry[] }> {
    const retryCountMax = options.retryCountMax ?? commitRetryCountMax;
    if (!Number.isSafeInteger(retryCountMax) || retryCountMax < 1) throw new RangeError('retryCountMax must be ≥ 1');
    for (let tries = 0; tries < retryCountMax; tries += 1) {
      const { request, value } = await attempt();
      const result = await this.commit(request);
      if (result.ok) return { value, entries: result.entries };
    }
    throw new CommitConflictError(`gave up after ${retryCountMax} conflicting attempts`);
  }
}
