// Group commit: the commits one process makes at the same moment (the calls of many callers) share
// one script call. While calls are out, new commits wait in a queue; when one returns, the whole
// queue goes as the next call (after one turn of the event loop). A lone commit goes at once, so
// batching adds no wait when the system is quiet, and under load one script call, clock reading,
// log-tail read and AOF fsync serve many commits, which is where the transfer rate comes from
// (bench/money.ts). Inside the call the requests still run one by one, each with its own guards
// (commit-script.ts), so a batch means exactly what its commits in a row would mean.
import type { Redis } from 'ioredis';
import type { ClaimBuckets } from './claim-buckets.js';
import { KeyList, type EncodedRequest } from './commit-encoding.js';
import { commitScript } from './commit-script.js';

export type CommitReply =
  | { readonly kind: 'ok'; readonly firstSeq: number; readonly ts: number }
  | { readonly kind: 'conflict'; readonly key: string; readonly field: string };

/** A command of the request failed inside Redis (e.g. WRONGTYPE); its earlier writes may have been applied. */
export class CommitScriptError extends Error {
  override name = 'CommitScriptError';
}

/** Requests per script call, at most: bounds the call's size and how long it holds Redis. */
export const batchRequestsMax = 256;
/**
 * Script calls out at once. Two, so Redis runs one batch while this process settles the last one
 * and gathers the next (with one, the two sides take turns). Redis runs calls in the order sent.
 */
export const callsInFlightMax = 2;
/**
 * Sends of one batch, at most, while the script says its claim buckets are not its clock's: once at
 * a bucket boundary (30 days apart), or if the server's clock moved under us; a third would mean the
 * clock keeps jumping.
 */
export const claimBucketSendsMax = 3;

interface Pending {
  readonly request: EncodedRequest;
  resolve(reply: CommitReply): void;
  reject(error: unknown): void;
}

type ScriptCommand = (this: Redis, ...args: unknown[]) => Promise<Array<string | number>>;

export class CommitBatcher {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  /** A pump is due on the next turn of the event loop: new commits wait for it rather than go alone. */
  private pumpScheduled = false;
  private readonly command: ScriptCommand;
  /**
   * The script's clock (its replies' ts) minus ours, as last seen: claim buckets are named for the
   * script's clock, which may differ from this process's (another machine, or skewed).
   */
  private clockOffsetMs = 0;

  constructor(private readonly redis: Redis, private readonly logKey: string, readonly claims: ClaimBuckets) {
    redis.defineCommand('dnCommit', { lua: commitScript });
    const command = (redis as unknown as Record<string, ScriptCommand | undefined>).dnCommit;
    if (command === undefined) throw new Error('commit script not defined');
    this.command = command;
  }

  submit(request: EncodedRequest): Promise<CommitReply> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.pumpScheduled) this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < callsInFlightMax && this.queue.length > 0) {
      this.inFlight += 1;
      void this.send(this.queue.splice(0, batchRequestsMax));
    }
  }

  /**
   * After a call returns, the next waits one turn of the event loop: the callers it just answered
   * commit again within that turn and join it, instead of splitting into two groups taking turns.
   * Scheduled before those callers hear back: else the first of them to commit again finds a call
   * slot free and goes alone (a call and an fsync for one commit, every round: seen as alternating
   * groups of 1 and 49 from 50 callers).
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** The batch as one script call's keys and arguments; claims name the buckets of the script's clock as last seen. */
  private callArguments(batch: readonly Pending[]): { keys: string[]; args: string[] } {
    let claimIds: string[] | null = null;
    for (const { request } of batch) {
      if (request.claims.length > 0) (claimIds ??= []).push(...request.claims);
    }
    let keys: KeyList;
    let args: string[];
    if (claimIds === null) {
      keys = new KeyList([this.logKey]);
      args = [numberText(batch.length), ''];
    } else {
      const bucket = this.claims.bucketAt(Date.now() + this.clockOffsetMs);
      keys = new KeyList([this.logKey, this.claims.key(bucket), this.claims.key(bucket - 1)]);
      args = [numberText(batch.length), `${claimIds.length} ${bucket} ${this.claims.widthMs}`, ...claimIds];
    }
    const renumbered: string[] = [];
    for (const { request } of batch) {
      // The request's key index i (1-based) → its index among the batch's keys.
      request.keys.forEach((key, i) => {
        renumbered[i] = numberText(keys.position(key));
      });
      args.push(request.header);
      for (const token of request.tokens) args.push(typeof token === 'number' ? renumbered[token - 1] as string : token);
      for (const entry of request.entries) args.push(entry);
    }
    return { keys: keys.keys, args };
  }

  /**
   * One script call for the batch (sent again if the script's clock is in another claim bucket);
   * settles every promise in it and never throws.
   */
  private async send(batch: readonly Pending[]): Promise<void> {
    let returned = false;
    try {
      let reply: Array<string | number> = [];
      for (let sends = 1; ; sends += 1) {
        const { keys, args } = this.callArguments(batch);
        // Arrays, not spread arguments: ioredis flattens them, and a spread of a large commit's tokens
        // would overflow the call stack.
        reply = await this.command.call(this.redis, keys.length, keys, args);
        if (reply[0] !== 'claims') break;
        this.clockOffsetMs = Number(reply[1]) - Date.now();
        if (sends >= claimBucketSendsMax) throw new Error(`the commit script's clock left its claim bucket ${sends} times in a row`);
      }
      returned = true;
      this.returned();
      // The batch's ts, then per request: first seq (a number) | 'conflict', key, field | 'error', message.
      const ts = Number(reply[0]);
      this.clockOffsetMs = ts - Date.now();
      let at = 1;
      batch.forEach((pending, i) => {
        const head = reply[at];
        if (typeof head === 'number') {
          pending.resolve({ kind: 'ok', firstSeq: head, ts });
          at += 1;
        } else if (head === 'conflict') {
          // A claim's conflict names no key (its bucket is the script's business).
          const key = String(reply[at + 1]);
          pending.resolve({ kind: 'conflict', key: key === 'claim' ? this.claims.conflictKey : key, field: String(reply[at + 2]) });
          at += 3;
        } else if (head === 'error') {
          pending.reject(new CommitScriptError(`commit failed inside Redis: ${String(reply[at + 1])}`));
          at += 2;
        } else {
          pending.reject(new Error(`commit script gave no reply for request ${i} of ${batch.length}`));
        }
      });
    } catch (error) {
      if (!returned) this.returned();
      for (const pending of batch) pending.reject(error);
    }
  }

  /** The call is back: its slot is free, and the commits of this turn go together at its end. */
  private returned(): void {
    this.inFlight -= 1;
    this.schedulePump();
  }
}

/** Decimal texts of small numbers, made once: a batch names a key position or count for every request. */
const numberTexts: string[] = [];
const numberTextsCached = 4_096;

function numberText(value: number): string {
  if (value >= numberTextsCached) return String(value);
  return numberTexts[value] ??= String(value);
}

const batchers = new WeakMap<Redis, Map<string, CommitBatcher>>();

/** The one batcher of a connection and log (a jurisdiction): every Committer on them shares its queue. */
export function commitBatcherFor(redis: Redis, logKey: string, claims: ClaimBuckets): CommitBatcher {
  let byLog = batchers.get(redis);
  if (byLog === undefined) batchers.set(redis, byLog = new Map());
  let batcher = byLog.get(logKey);
  if (batcher === undefined) byLog.set(logKey, batcher = new CommitBatcher(redis, logKey, claims));
  else if (batcher.claims.widthMs !== claims.widthMs) {
    throw new RangeError(`this connection already commits with claim buckets of ${batcher.claims.widthMs} ms`);
  }
  return batcher;
}
