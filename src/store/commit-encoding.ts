// A commit request as the script reads it (commit-script.ts): one flat list of string tokens per
// request, read in place from ARGV. A JSON spec decoded in Lua built a small table for every guard
// and write and cost more than the Redis commands themselves; flat tokens cost a string each.
//
// Tokens, per guard: h key field value | h0 key field (absent) | s key value | s0 key (absent)
//   | m key field min | H key count absent field… expected… (expected: a value, or the absent token)
//   | c key value ttl (claim: absent, then set) | d key field −amount (debit: at least amount, then taken)
//   | v key field −amount to (move: a debit, and once every guard held the amount credited to `to`)
//   | C id value (claim-buckets.ts: no live claim id, then taken; the batch also lists the id once
//   among its claims, which the script reads in one HMGET per bucket before the first request);
// per write: hset key field value | hsetmany key count (field value)… | hdel key field
//   | hincrby key field by | hincrbymany key count (field by)… | set key value | del key
//   | sadd key member | saddmany key count member… | srem key member | rpush key value | setpx key value ttl
//   | hsetref key back count value… | saddref key back count: hsetmany and saddmany whose field names are
//   exactly a hash-many guard's (same order), named by reference: `back` tokens before the op.
// A key token is the key's 1-based index among the request's own keys (a number here); the batcher
// renumbers it among the batch's KEYS. Every other token is a string: Lua would print a number
// through floating-point formatting.
import type { AuditDraft } from '../core/audit-entry.js';
import type { CommitRequest, Guard, Write } from './commit-request.js';
import { guardFusions, type FusedGuard } from './guard-fusion.js';

export type Token = string | number;

/** Keys a KeyList looks through one by one before it keeps a Map. */
const keysSearchedMax = 8;

export interface EncodedRequest {
  /** The request's keys; key tokens are 1-based indexes into this list. */
  readonly keys: readonly string[];
  /** Guard, write, entry and token counts, space-separated: the script's one header token per request. */
  readonly header: string;
  /** Guards then writes, flat. */
  readonly tokens: readonly Token[];
  /** Audit-entry bodies without seq, ts and the opening brace (the script writes `{"seq":N,"ts":T,` before them). */
  readonly entries: readonly string[];
  /** The ids of the request's claim guards: the batch reads them from the claim buckets at once. */
  readonly claims: readonly string[];
}

function encodeDraft(draft: AuditDraft): string {
  if (draft.actor.length === 0 || draft.text.length === 0) throw new RangeError('audit entry needs actor and text');
  if (/\d{10}/.test(draft.actor + draft.text)) throw new RangeError('audit entry must not contain a full phone number');
  if (draft.amount !== undefined && !Number.isSafeInteger(draft.amount)) throw new RangeError('amount must be integer cents');
  // Without its opening brace: the script prefixes seq and ts as they are, with no substring to cut.
  return JSON.stringify({ actor: draft.actor, actorId: draft.actorId, channel: draft.channel,
    text: draft.text, event: draft.event, amount: draft.amount }).slice(1);
}

function safeInteger(value: number, what: string): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} needs a safe integer, got ${value}`);
  return String(value);
}

/**
 * The token that stands for "absent" among a hash-many guard's expectations: '' unless some field is
 * expected to hold '', then the shortest run of NULs no expectation equals. Values are compared as
 * they are, with no prefix to strip in Lua (a substring per field was a string allocation each).
 */
function absentToken(fields: ReadonlyArray<readonly [string, string | null]>): string {
  if (!fields.some(([, expected]) => expected === '')) return '';
  const present = new Set<string>();
  for (const [, expected] of fields) if (expected !== null) present.add(expected);
  let token = '';
  while (present.has(token)) token += '\u0000';
  return token;
}

/** Distinct keys in order of first use, each named by its 1-based position (Lua's KEYS numbering). */
export class KeyList {
  readonly keys: string[] = [];
  /**
   * Built once the list outgrows a few keys: a request names two or three keys, and a Map for each
   * (one per payment) cost more than looking through them.
   */
  private positions: Map<string, number> | null = null;

  constructor(first: readonly string[] = []) {
    for (const key of first) this.position(key);
  }

  position(key: string): number {
    if (this.positions === null) {
      const index = this.keys.indexOf(key);
      if (index >= 0) return index + 1;
      this.keys.push(key);
      if (this.keys.length > keysSearchedMax) this.positions = new Map(this.keys.map((known, i) => [known, i + 1]));
      return this.keys.length;
    }
    let position = this.positions.get(key);
    if (position === undefined) {
      this.keys.push(key);
      position = this.keys.length;
      this.positions.set(key, position);
    }
    return position;
  }
}

/** Whether two field lists name the same fields in the same order. */
function sameNames(
  a: ReadonlyArray<readonly [string, string | null]>, b: ReadonlyArray<readonly [string, string]> | readonly string[],
): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    const name = b[i];
    if ((a[i] as readonly [string, string | null])[0] !== (typeof name === 'string' ? name : name?.[0])) return false;
  }
  return true;
}

class TokenWriter {
  readonly keyList = new KeyList();
  readonly tokens: Token[] = [];
  readonly claims: string[] = [];
  /** Each hash-many guard's fields and the token where their names start, for writes naming them by reference. */
  private readonly guardFields: Array<{ fields: ReadonlyArray<readonly [string, string | null]>; at: number }> = [];

  constructor(private readonly tag: string) {}

  key(key: string): this {
    if (!key.startsWith(`${this.tag}:`)) throw new RangeError(`key ${key} is outside jurisdiction ${this.tag}`);
    this.tokens.push(this.keyList.position(key));
    return this;
  }

  text(...values: string[]): this {
    for (const value of values) this.tokens.push(value);
    return this;
  }

  guard(guard: Guard): void {
    switch (guard.kind) {
      case 'hash':
        if (guard.expected === null) this.text('h0').key(guard.key).text(guard.field);
        else this.text('h').key(guard.key).text(guard.field, guard.expected);
        return;
      case 'string':
        if (guard.expected === null) this.text('s0').key(guard.key);
        else this.text('s').key(guard.key).text(guard.expected);
        return;
      case 'hash-min':
        this.text('m').key(guard.key).text(guard.field, safeInteger(guard.min, 'hash-min guard'));
        return;
      case 'claim':
        if (guard.id.length === 0) throw new RangeError('a claim needs an id');
        this.text('C', guard.id, guard.value);
        this.claims.push(guard.id);
        return;
      case 'hash-many': {
        if (guard.fields.length === 0) throw new RangeError('hash-many guard needs at least one field');
        const absent = absentToken(guard.fields);
        this.text('H').key(guard.key).text(String(guard.fields.length), absent);
        this.guardFields.push({ fields: guard.fields, at: this.tokens.length });
        for (const [field] of guard.fields) this.tokens.push(field);
        for (const [, expected] of guard.fields) this.tokens.push(expected ?? absent);
        return;
      }
    }
  }

  fused(guard: FusedGuard): void {
    if (guard.kind === 'claim') {
      if (!Number.isSafeInteger(guard.ttlMs) || guard.ttlMs < 1) throw new RangeError(`setpx needs a positive ttl, got ${guard.ttlMs}`);
      this.text('c').key(guard.key).text(guard.value, String(guard.ttlMs));
    } else if (guard.kind === 'move') {
      this.text('v').key(guard.key).text(guard.field, safeInteger(-guard.amount, 'hash-min guard'), guard.to);
    } else {
      this.text('d').key(guard.key).text(guard.field, safeInteger(-guard.amount, 'hash-min guard'));
    }
  }

  /** How many tokens back from the next token a guard's field names start, if they are exactly `names`. */
  private backTo(names: ReadonlyArray<readonly [string, string]> | readonly string[]): number | null {
    const match = this.guardFields.find(({ fields }) => sameNames(fields, names));
    return match === undefined ? null : this.tokens.length - match.at;
  }

  write(write: Write): void {
    switch (write.op) {
      case 'hset': this.text(write.op).key(write.key).text(write.field, write.value); return;
      case 'hsetmany': {
        if (write.fields.length === 0) throw new RangeError('hsetmany needs at least one field');
        const back = this.backTo(write.fields);
        if (back === null) {
          this.text(write.op).key(write.key).text(String(write.fields.length));
          for (const [field, value] of write.fields) this.tokens.push(field, value);
        } else {
          this.text('hsetref').key(write.key).text(String(back), String(write.fields.length));
          for (const [, value] of write.fields) this.tokens.push(value);
        }
        return;
      }
      case 'saddmany': {
        if (write.members.length === 0) throw new RangeError('saddmany needs at least one member');
        const back = this.backTo(write.members);
        if (back === null) {
          this.text(write.op).key(write.key).text(String(write.members.length));
          for (const member of write.members) this.tokens.push(member);
        } else {
          this.text('saddref').key(write.key).text(String(back), String(write.members.length));
        }
        return;
      }
      case 'hdel': this.text(write.op).key(write.key).text(write.field); return;
      case 'hincrby': this.text(write.op).key(write.key).text(write.field, safeInteger(write.by, 'hincrby')); return;
      case 'hincrbymany':
        if (write.deltas.length === 0) throw new RangeError('hincrbymany needs at least one field');
        this.text(write.op).key(write.key).text(String(write.deltas.length));
        for (const [field, by] of write.deltas) this.tokens.push(field, safeInteger(by, 'hincrbymany'));
        return;
      case 'set': this.text(write.op).key(write.key).text(write.value); return;
      case 'del': this.text(write.op).key(write.key); return;
      case 'sadd': case 'srem': this.text(write.op).key(write.key).text(write.member); return;
      case 'rpush': this.text(write.op).key(write.key).text(write.value); return;
      case 'setpx':
        if (!Number.isSafeInteger(write.ttlMs) || write.ttlMs < 1) throw new RangeError(`setpx needs a positive ttl, got ${write.ttlMs}`);
        this.text(write.op).key(write.key).text(write.value, String(write.ttlMs));
        return;
    }
  }
}

/** Checks a request and encodes it; throws on anything the script must never see. */
export function encodeCommitRequest(request: CommitRequest, jurisdictionTag: string): EncodedRequest {
  const writer = new TokenWriter(jurisdictionTag);
  const fusions = guardFusions(request);
  let writeCount = request.writes.length;
  if (fusions === null) {
    for (const guard of request.guards) writer.guard(guard);
    for (const write of request.writes) writer.write(write);
  } else {
    for (const [index, guard] of request.guards.entries()) {
      const fused = fusions.guards.get(index);
      if (fused === undefined) writer.guard(guard);
      else writer.fused(fused);
    }
    for (const [index, write] of request.writes.entries()) {
      const legs = fusions.takenLegs.get(index);
      if (fusions.takenWrites.has(index)) {
        writeCount -= 1;
      } else if (legs !== undefined && write.op === 'hincrbymany') {
        // The debited legs were taken by their guards; the rest move as before.
        const deltas = write.deltas.filter(([field]) => !legs.has(field));
        const [only] = deltas;
        if (only === undefined) writeCount -= 1;
        else if (deltas.length === 1) writer.write({ op: 'hincrby', key: write.key, field: only[0], by: only[1] });
        else writer.write({ ...write, deltas });
      } else {
        writer.write(write);
      }
    }
  }
  const header = `${request.guards.length} ${writeCount} ${request.entries.length} ${writer.tokens.length}`;
  return { keys: writer.keyList.keys, header, tokens: writer.tokens,
    entries: request.entries.map(encodeDraft), claims: writer.claims };
}
