// Redis side of delegate money. Balances are one hash; the journal is the audit log itself (money
// entries carry their legs in `event`), written by the one commit script together with the balance
// changes, so a balance and its journal entry can never disagree after a crash.
// Key layout, all under the jurisdiction hash tag:
//   {ia}:balance            hash account → cents (voter id, `mint`, `pool:*`); `mint` is −supply
//   {ia}:money:serial       hash voter → activation serial (participants: named a delegate, verified)
//   {ia}:money:serial:last  string: the last serial handed out
//   {ia}:money:claim:<width>:<bucket>  hash claim id → fingerprint of a paid request (idempotency;
//                           claim-buckets.ts); until then {ia}:money:idem:<sha>, a string with expiry
//                           each, moved into the buckets at start-up (claim-migration.ts)
//   {ia}:demurrage:<period> hash: progress of that period's run (see demurrage-service.ts)
import { hash } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  assertBalancedLegs, isTransferEvent, LedgerReplay, mayGoNegative, mintAccount, type Account, type Leg,
} from '../core/money/ledger.js';
import { parseEntryBody, readBatchSizeEntries } from './audit-log.js';
import type { Guard, Write } from './commit.js';
import type { JurisdictionKeys } from './keys.js';

export const balanceScanBatchCount = 5_000;

export interface LedgerProblem {
  account: Account;
  storedCents: number;
  journalCents: number;
}

export interface LedgerVerification {
  ok: boolean;
  entries: number;
  transfers: number;
  accounts: number;
  supplyCents: number;
  /** −balance(mint): what the balances say the supply is. */
  mintBalanceSupplyCents: number;
  /** Sum over every stored balance: always exactly 0 in a correct ledger. */
  balanceSumCents: number;
  problems: LedgerProblem[];
  /** Activation serials: each handed out once, 1..last without gaps, and as stored (SPEC §4). */
  participants: number;
  serialProblems: string[];
}

export const verifyProblemsListedMax = 20;

function parseCents(raw: string | null | undefined, where: string): number {
  if (raw === null || raw === undefined) return 0;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new RangeError(`stored balance ${where} is not integer cents: ${raw}`);
  return value;
}

export class LedgerStore {
  /** Built once: every payment names it several times. */
  readonly balanceKey: string;

  constructor(readonly redis: Redis, readonly keys: JurisdictionKeys) {
    this.balanceKey = keys.key('balance');
  }

  /** Registered properties and offers: id → JSON (owner, declared value, high bid). */
  get propertiesKey(): string {
    return this.keys.key('property');
  }

  get serialsKey(): string {
    return this.keys.key('money', 'serial');
  }

  get lastSerialKey(): string {
    return this.keys.key('money', 'serial', 'last');
  }

  /**
   * The claim id of a client's idempotency key (a field of the claim buckets). Client keys are
   * hashed: bounded length, and nothing a client chose is stored verbatim. The one-shot hash: a Hash
   * object per payment cost about a microsecond more.
   */
  claimId(clientKey: string): string {
    return hash('sha256', clientKey, 'hex').slice(0, 32);
  }

  /** legacyClaimKey of a client's idempotency key. */
  idempotencyKey(clientKey: string): string {
    return this.legacyClaimKey(this.claimId(clientKey));
  }

  /**
   * The key a claim was kept under before the claim buckets (claim-migration.ts moves those); still what
   * a payment's journal reference is a hash of, so references stay as they were.
   */
  legacyClaimKey(claimId: string): string {
    return this.keys.key('money', 'idem', claimId);
  }

  demurrageKey(period: string, part?: string): string {
    return part === undefined ? this.keys.key('demurrage', period) : this.keys.key('demurrage', period, part);
  }

  async balance(account: Account): Promise<number> {
    return parseCents(await this.redis.hget(this.balanceKey, account), account);
  }

  async rawBalance(account: Account): Promise<string | null> {
    return this.redis.hget(this.balanceKey, account);
  }

  async balances(accounts: readonly Account[]): Promise<number[]> {
    if (accounts.length === 0) return [];
    const raw = await this.redis.hmget(this.balanceKey, ...accounts);
    return raw.map((value, i) => parseCents(value, accounts[i] ?? '?'));
  }

  async serialOf(voter: string): Promise<number | null> {
    const raw = await this.redis.hget(this.serialsKey, voter);
    return raw === null ? null : Number(raw);
  }

  async lastSerial(): Promise<number> {
    return parseCents(await this.redis.get(this.lastSerialKey), 'serial:last');
  }

  async participantCount(): Promise<number> {
    return this.redis.hlen(this.serialsKey);
  }

  /**
   * Guards and writes for one balanced transfer: each debited account (except the mint) must hold
   * at least what it gives, checked inside the commit script, then every balance moves.
   */
  transferParts(legs: readonly Leg[], options: { negativeAllowed?: readonly Account[] } = {}):
  { guards: Guard[]; writes: Write[] } {
    assertBalancedLegs(legs);
    const guards: Guard[] = [];
    const writes: Write[] = [];
    for (const [account, delta] of legs) {
      const negativeAllowed = mayGoNegative(account) || (options.negativeAllowed?.includes(account) ?? false);
      if (delta < 0 && !negativeAllowed) guards.push({ kind: 'hash-min', key: this.balanceKey, field: account, min: -delta });
    }
    writes.push({ op: 'hincrbymany', key: this.balanceKey, deltas: legs });
    return { guards, writes };
  }

  /** Streams every stored balance without one huge reply. */
  async *scanBalances(cursorStart = '0'): AsyncGenerator<{ cursor: string; batch: Array<[Account, number]> }> {
    let cursor = cursorStart;
    do {
      const [next, flat] = await this.redis.hscan(this.balanceKey, cursor, 'COUNT', balanceScanBatchCount);
      cursor = next;
      const batch: Array<[Account, number]> = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const account = flat[i] as string;
        batch.push([account, parseCents(flat[i + 1], account)]);
      }
      yield { cursor, batch };
    } while (cursor !== '0');
  }

  /**
   * `ledger verify`: replays every transfer in the audit log and compares each balance and the
   * money supply with the stored ones. The log length and the balances are read in one MULTI so
   * that concurrent payments cannot make a correct ledger look wrong.
   */
  async verify(): Promise<LedgerVerification> {
    const reply = await this.redis.multi().llen(this.keys.key('log')).hgetall(this.balanceKey)
      .hgetall(this.serialsKey).get(this.lastSerialKey).exec();
    if (reply === null) throw new Error('ledger snapshot transaction was aborted');
    for (const [error] of reply) if (error !== null) throw error;
    const [length, stored, serials, lastSerial] = reply.map(([, value]) => value) as
      [number, Record<string, string>, Record<string, string>, string | null];
    const replay = new LedgerReplay();
    const journalSerials = new Map<string, number>();
    for (let start = 0; start < length; start += readBatchSizeEntries) {
      const end = Math.min(length, start + readBatchSizeEntries) - 1;
      for (const body of await this.redis.lrange(this.keys.key('log'), start, end)) {
        const entry = parseEntryBody(body);
        if (isTransferEvent(entry.event)) replay.apply(entry.event);
        if (entry.event.type === 'opening-serials') {
          for (const [voter, serial] of (entry.event as unknown as { serials: Array<[string, number]> }).serials) {
            journalSerials.set(voter, serial);
          }
        }
        const { voter, serial } = entry.event as { voter?: unknown; serial?: unknown };
        if ((entry.event.type === 'activation' || entry.event.type === 'transfer') && typeof serial === 'number'
          && typeof voter === 'string') journalSerials.set(voter, serial);
      }
    }
    return { ...compareLedger(replay, stored, length), ...compareSerials(journalSerials, serials, lastSerial) };
  }
}

function compareSerials(journal: Map<string, number>, stored: Record<string, string>, lastRaw: string | null):
{ ok?: false; participants: number; serialProblems: string[] } {
  const problems: string[] = [];
  const seen = new Set<number>();
  for (const [voter, serial] of journal) {
    if (seen.has(serial)) problems.push(`serial ${serial} was handed out twice`);
    seen.add(serial);
    if (stored[voter] !== String(serial)) problems.push(`voter ${voter}: journal serial ${serial}, stored ${stored[voter] ?? 'none'}`);
  }
  const last = lastRaw === null ? 0 : Number(lastRaw);
  if (seen.size !== last) problems.push(`the last serial is ${last} but the journal hands out ${seen.size}`);
  for (let serial = 1; serial <= last && problems.length < verifyProblemsListedMax; serial += 1) {
    if (!seen.has(serial)) problems.push(`serial ${serial} is missing from the journal`);
  }
  if (Object.keys(stored).length !== journal.size) problems.push(`${Object.keys(stored).length} stored serials, ${journal.size} in the journal`);
  const serialProblems = problems.slice(0, verifyProblemsListedMax);
  return serialProblems.length === 0 ? { participants: journal.size, serialProblems }
    : { ok: false, participants: journal.size, serialProblems };
}

function compareLedger(replay: LedgerReplay, stored: Record<string, string>, entries: number):
Omit<LedgerVerification, 'participants' | 'serialProblems'> {
  const problems: LedgerProblem[] = [];
  let balanceSumCents = 0;
  const accounts = new Set<Account>([...Object.keys(stored), ...replay.balances.keys()]);
  for (const account of accounts) {
    const storedCents = parseCents(stored[account], account);
    const journalCents = replay.balances.get(account) ?? 0;
    balanceSumCents += storedCents;
    if (storedCents !== journalCents && problems.length < verifyProblemsListedMax) {
      problems.push({ account, storedCents, journalCents });
    }
    // Voter accounts may go negative by registering property (SPEC §4); pools and escrows never.
    if (storedCents < 0 && /^(pool|escrow):/.test(account) && problems.length < verifyProblemsListedMax) {
      problems.push({ account, storedCents, journalCents });
    }
  }
  const mintBalanceSupplyCents = -parseCents(stored[mintAccount], mintAccount);
  const ok = problems.length === 0 && balanceSumCents === 0 && mintBalanceSupplyCents === replay.supplyCents;
  return {
    ok, entries, transfers: replay.transfers, accounts: accounts.size, supplyCents: replay.supplyCents,
    mintBalanceSupplyCents, balanceSumCents, problems,
  };
}
