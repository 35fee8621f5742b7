// Demurrage runs (SPEC §4): once per period, a fee on every positive balance moves into the
// demurrage pool, and the pool is then divided equally among participants; the remainder stays in
// the pool for the next period, so the sum over all accounts never changes.
//
// A run is a sequence of small commits over batches of accounts. Each commit carries the run's
// progress (scan cursor, totals) and per-account "charged"/"paid" markers together with the money it
// moves, guarded on the cursor it started from. So a crash (or a second runner) at any point leaves
// a consistent state: rerunning continues from the last committed batch, and the markers make an
// account that HSCAN happens to return twice pay only once. "Charged" markers are one Redis set per
// run (members, no values), written by naming the batch's guarded accounts again rather than sending
// them twice (commit-encoding.ts: saddref); a run an earlier version left half done kept them in a
// hash, which is still read until the run ends.
import type { AuditDraft } from '../core/audit-entry.js';
import { formatCents, moneyInvariant } from '../core/money/amount.js';
import { demurrageFeeCents, equalSplit, periodOf, type DemurragePeriodUnit } from '../core/money/demurrage.js';
import {
  assertBalancedLegs, combineLegs, demurragePoolAccount, isVoterAccount, type Leg, type TransferEvent,
} from '../core/money/ledger.js';
import type { Logger } from '../config/logger.js';
import type { Committer, CommitRequest, Guard, Write } from '../store/commit.js';
import { LedgerStore } from '../store/ledger-store.js';
import type { AppContext } from './context.js';

export const demurrageBatchAccounts = 1_000;
/** Each batch either commits or conflicts with a concurrent payment; a few retries settle it. */
export const demurrageBatchAttemptCountMax = 32;
/** Bound on batches and retries of one run: far more than any roll needs (10 M accounts / 1,000 per batch, twice). */
export const demurrageBatchCountMax = 20_000;
export const demurrageTimerIntervalMs = 60 * 60 * 1000;

export class DemurrageError extends Error {
  override name = 'DemurrageError';
}

type Phase = 'charge' | 'property' | 'dividend' | 'done';
const scanEnd = 'end';

export interface DemurrageReport {
  period: string;
  alreadyDone: boolean;
  collectedCents: number;
  chargedAccounts: number;
  /** Properties whose owner paid demurrage on the declared value or high bid. */
  chargedProperties: number;
  participants: number;
  shareCents: number;
  /** Left in the pool for the next period: the remainder of the division (plus earlier carries). */
  carriedCents: number;
}

/** One batch read for charging: the scan's next cursor, the voters' balances, and their "charged" markers. */
interface ChargeBatchRead {
  readonly next: string;
  readonly candidates: ReadonlyArray<readonly [string, string]>;
  readonly done: readonly boolean[];
}

interface RunState {
  raw: Record<string, string>;
  phase: Phase | null;
  cursor: string;
  /** An earlier version's run left its markers in a hash. */
  legacyMarkers: boolean;
}

export class DemurrageService {
  constructor(
    private readonly ledger: LedgerStore,
    private readonly committer: Committer,
    private readonly settings: {
      rateBasisPoints: number; periodUnit: DemurragePeriodUnit; logger?: Logger; batchAccounts?: number;
    },
  ) {
    const batch = settings.batchAccounts ?? demurrageBatchAccounts;
    if (!Number.isSafeInteger(batch) || batch < 1 || batch > demurrageBatchAccounts * 10) throw new RangeError('bad batch size');
  }

  private get batchAccounts(): number {
    return this.settings.batchAccounts ?? demurrageBatchAccounts;
  }

  /** `committer`: the context's, or one fenced by the demurrage job's lease (demurrage-job.ts). */
  static fromContext(context: AppContext, committer: Committer = context.committer): DemurrageService {
    return new DemurrageService(new LedgerStore(context.connection.redis, context.keys), committer, {
      rateBasisPoints: context.config.demurrageRateBasisPoints, periodUnit: context.config.demurragePeriod,
      logger: context.logger,
    });
  }

  currentPeriod(nowMs: number): string {
    return periodOf(nowMs, this.settings.periodUnit);
  }

  /** The run's "charged" markers: a set of accounts and `property:<id>`. */
  private chargedKey(period: string): string {
    return this.ledger.demurrageKey(period, 'charged-set');
  }

  /** Where an earlier version kept the same markers, as hash fields. */
  private legacyChargedKey(period: string): string {
    return this.ledger.demurrageKey(period, 'charged');
  }

  /** Which of `members` this period's run already charged (in the set, or in a legacy hash when there is one). */
  private async charged(period: string, members: readonly string[], legacy: boolean): Promise<boolean[]> {
    if (members.length === 0) return [];
    const inSet = await this.ledger.redis.smismember(this.chargedKey(period), ...members);
    const inHash = legacy ? await this.ledger.redis.hmget(this.legacyChargedKey(period), ...members) : [];
    return inSet.map((member, i) => member === 1 || (inHash[i] ?? null) !== null);
  }

  private async state(period: string): Promise<RunState> {
    const [raw, legacy] = await Promise.all([this.ledger.redis.hgetall(this.ledger.demurrageKey(period)),
      this.ledger.redis.exists(this.legacyChargedKey(period))]);
    const phase = (raw.phase ?? null) as Phase | null;
    return { raw, phase, cursor: raw.cursor ?? '0', legacyMarkers: legacy === 1 };
  }

  private draft(period: string, text: string, event: AuditDraft['event'], amount?: number): AuditDraft {
    return { actor: 'operator', actorId: null, channel: 'system', text: `demurrage ${period}: ${text}`, event,
      ...(amount === undefined ? {} : { amount }) };
  }

  /** Runs (or resumes) the period's demurrage to completion. Idempotent: a finished period does nothing. */
  async run(period: string): Promise<DemurrageReport> {
    const stateKey = this.ledger.demurrageKey(period);
    let state = await this.state(period);
    const alreadyDone = state.phase === 'done';
    if (state.phase === null) {
      const started = await this.committer.commit({
        guards: [{ kind: 'hash', key: stateKey, field: 'phase', expected: null }],
        writes: [{ op: 'hset', key: stateKey, field: 'phase', value: 'charge' },
          { op: 'hset', key: stateKey, field: 'cursor', value: '0' }],
        entries: [this.draft(period, `starts at ${(this.settings.rateBasisPoints / 100).toFixed(2)} % per ${this.settings.periodUnit}`,
          { type: 'demurrage-start', period, rateBasisPoints: this.settings.rateBasisPoints })],
      });
      this.settings.logger?.info({ period, started: started.ok }, 'demurrage run starting');
      state = await this.state(period);
    }
    let conflictsInRow = 0;
    for (let batch = 0; state.phase !== 'done' && batch < demurrageBatchCountMax; batch += 1) {
      // Every attempt re-reads the state: a conflict may mean another runner advanced the cursor.
      const committed = state.phase === 'charge' ? await this.chargeBatch(period, state)
        : state.phase === 'property' ? await this.propertyBatch(period, state) : await this.dividendBatch(period, state);
      conflictsInRow = committed ? 0 : conflictsInRow + 1;
      if (conflictsInRow >= demurrageBatchAttemptCountMax) {
        throw new DemurrageError(`a demurrage batch conflicted ${demurrageBatchAttemptCountMax} times; run again to resume`);
      }
      state = await this.state(period);
    }
    if (state.phase !== 'done') throw new DemurrageError(`demurrage ${period} did not finish within ${demurrageBatchCountMax} batches`);
    const pool = await this.ledger.balance(demurragePoolAccount);
    return {
      period, alreadyDone, collectedCents: Number(state.raw.collected ?? '0'), chargedAccounts: Number(state.raw.charged ?? '0'),
      chargedProperties: Number(state.raw.properties ?? '0'),
      participants: Number(state.raw.participants ?? '0'), shareCents: Number(state.raw.share ?? '0'), carriedCents: pool,
    };
  }

  private async chargeBatch(period: string, state: RunState): Promise<boolean> {
    const stateKey = this.ledger.demurrageKey(period);
    const guards: Guard[] = [{ kind: 'hash', key: stateKey, field: 'cursor', expected: state.cursor },
      { kind: 'hash', key: stateKey, field: 'phase', expected: 'charge' }];
    if (state.cursor === scanEnd) {
      // Balances done: declared property values (or their high bids) are next.
      return (await this.committer.commit({ guards, entries: [],
        writes: [{ op: 'hset', key: stateKey, field: 'phase', value: 'property' }, { op: 'hset', key: stateKey, field: 'cursor', value: '0' }] })).ok;
    }
    return this.chargePipeline(period, state.cursor, state.legacyMarkers);
  }

  /**
   * Charges batch after batch until the scan ends. Reads run one batch ahead: while Redis executes
   * batch N's commit, this process builds batch N+1's (its accounts were read before N committed).
   * That is safe because every charged account is guarded on the exact balance it was read with and
   * every batch on the cursor it starts from: if batch N changed an account that batch N+1 also
   * holds (HSCAN may return an account twice), N+1 conflicts and the run resumes from fresh reads.
   * Returns false on a conflict; the caller re-reads the state.
   */
  private async chargePipeline(period: string, cursor: string, legacy: boolean): Promise<boolean> {
    let current = await this.readCharge(period, cursor, legacy);
    let ahead = this.readAhead(period, current.next, legacy);
    let request = this.buildCharge(period, cursor, current);
    for (let batch = 0; batch < demurrageBatchCountMax; batch += 1) {
      const committing = this.committer.commit(request);
      if (ahead === null) return (await committing).ok;
      const [following, committed] = await Promise.all([ahead, committing.then((result) => result.ok)]);
      if (!committed) return false;
      ahead = this.readAhead(period, following.next, legacy);
      request = this.buildCharge(period, current.next, following);
      current = following;
    }
    return true;
  }

  /** The read of the batch at `cursor`, started now; null at the end of the scan. */
  private readAhead(period: string, cursor: string, legacy: boolean): Promise<ChargeBatchRead> | null {
    if (cursor === scanEnd) return null;
    const reading = this.readCharge(period, cursor, legacy);
    // Awaited later; if the batch before it fails first, this read's failure must not go unhandled.
    reading.catch(() => undefined);
    return reading;
  }

  /** One batch of balances from `cursor` (voters only) and which of them this period already charged. */
  private async readCharge(period: string, cursor: string, legacy: boolean): Promise<ChargeBatchRead> {
    const [next, flat] = await this.ledger.redis.hscan(this.ledger.balanceKey, cursor, 'COUNT', this.batchAccounts);
    const candidates: Array<[string, string]> = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const account = flat[i] as string;
      // Only voters pay: the mint is −supply, and the pools hold money already collected.
      if (isVoterAccount(account)) candidates.push([account, flat[i + 1] as string]);
    }
    const done = await this.charged(period, candidates.map(([account]) => account), legacy);
    return { next: next === '0' ? scanEnd : next, candidates, done };
  }

  private buildCharge(period: string, cursor: string, read: ChargeBatchRead): CommitRequest {
    const stateKey = this.ledger.demurrageKey(period);
    const guards: Guard[] = [{ kind: 'hash', key: stateKey, field: 'cursor', expected: cursor },
      { kind: 'hash', key: stateKey, field: 'phase', expected: 'charge' }];
    const writes: Write[] = [];
    const legs: Leg[] = [];
    const expected: Array<[string, string]> = [];
    const charged: Array<[string, string]> = [];
    const seen = new Set<string>();
    let total = 0;
    for (const [index, [account, raw]] of read.candidates.entries()) {
      // Charged already (this period's marker), or twice in one scan reply: charge once.
      if (read.done[index] === true || seen.has(account)) continue;
      seen.add(account);
      const balance = Number(raw);
      const fee = demurrageFeeCents(balance, this.settings.rateBasisPoints);
      if (fee === 0) continue;
      // The exact balance guard: the fee is computed on the balance the account holds at commit, so
      // the new balance can be written outright (one HSET for the batch instead of an HINCRBY each).
      // Markers need no guard: the cursor guard serializes runners, and a marker this read missed
      // (set by the batch committed meanwhile) goes with a balance change that fails this guard.
      expected.push([account, raw]);
      charged.push([account, String(balance - fee)]);
      legs.push([account, -fee]);
      total += fee;
    }
    writes.push({ op: 'hset', key: stateKey, field: 'cursor', value: read.next });
    const entries: AuditDraft[] = [];
    if (legs.length > 0) {
      // Markers and new balances name the guarded accounts: the encoding sends each account once.
      writes.push({ op: 'saddmany', key: this.chargedKey(period), members: expected.map(([account]) => account) });
      guards.push({ kind: 'hash-many', key: this.ledger.balanceKey, fields: expected });
      legs.push([demurragePoolAccount, total]);
      assertBalancedLegs(legs);
      writes.push({ op: 'hsetmany', key: this.ledger.balanceKey, fields: charged },
        { op: 'hincrby', key: this.ledger.balanceKey, field: demurragePoolAccount, by: total },
        { op: 'hincrby', key: stateKey, field: 'collected', by: total },
        { op: 'hincrby', key: stateKey, field: 'charged', by: legs.length - 1 });
      const event: TransferEvent = { type: 'transfer', kind: 'demurrage', legs, reference: `demurrage ${period}` };
      entries.push(this.draft(period, `charges ${formatCents(total)} on ${legs.length - 1} balances`, event, total));
    }
    return { guards, writes, entries };
  }

  /**
   * Owners pay demurrage on each property's high bid, or its declared value without one (SPEC §4);
   * the owner's account may go negative, as with registration. Escrow accounts are never charged.
   */
  private async propertyBatch(period: string, state: RunState): Promise<boolean> {
    const stateKey = this.ledger.demurrageKey(period);
    const guards: Guard[] = [{ kind: 'hash', key: stateKey, field: 'cursor', expected: state.cursor },
      { kind: 'hash', key: stateKey, field: 'phase', expected: 'property' }];
    if (state.cursor === scanEnd) return this.startDividend(period, state);
    const [next, flat] = await this.ledger.redis.hscan(this.ledger.propertiesKey, state.cursor, 'COUNT', this.batchAccounts);
    const properties: Array<[string, string]> = [];
    for (let i = 0; i + 1 < flat.length; i += 2) properties.push([flat[i] as string, flat[i + 1] as string]);
    const done = await this.charged(period, properties.map(([id]) => `property:${id}`), state.legacyMarkers);
    const writes: Write[] = [{ op: 'hset', key: stateKey, field: 'cursor', value: next === '0' ? scanEnd : next }];
    const deltas: Array<[string, number]> = [];
    let total = 0;
    let count = 0;
    for (const [index, [id, raw]] of properties.entries()) {
      if (done[index] === true) continue;
      const property = JSON.parse(raw) as { owner: string; declaredCents: number; highBid: { cents: number } | null };
      const fee = demurrageFeeCents(property.highBid?.cents ?? property.declaredCents, this.settings.rateBasisPoints);
      if (fee === 0) continue;
      guards.push({ kind: 'hash', key: this.ledger.propertiesKey, field: id, expected: raw });
      writes.push({ op: 'sadd', key: this.chargedKey(period), member: `property:${id}` });
      deltas.push([property.owner, -fee]);
      total += fee;
      count += 1;
    }
    const entries: AuditDraft[] = [];
    if (total > 0) {
      const legs = combineLegs([...deltas, [demurragePoolAccount, total]]);
      const owners = legs.filter(([account]) => account !== demurragePoolAccount).map(([account]) => account);
      writes.push(...this.ledger.transferParts(legs, { negativeAllowed: owners }).writes,
        { op: 'hincrby', key: stateKey, field: 'collected', by: total },
        { op: 'hincrby', key: stateKey, field: 'properties', by: count });
      const event: TransferEvent = { type: 'transfer', kind: 'demurrage', legs, reference: `demurrage ${period} property` };
      entries.push(this.draft(period, `charges ${formatCents(total)} on ${count} property values`, event, total));
    }
    return (await this.committer.commit({ guards, writes, entries })).ok;
  }

  /** Fixes the pot and the participants once, so a resumed run divides exactly the same amounts. */
  private async startDividend(period: string, state: RunState): Promise<boolean> {
    const stateKey = this.ledger.demurrageKey(period);
    const poolRaw = await this.ledger.rawBalance(demurragePoolAccount);
    const pot = poolRaw === null ? 0 : Number(poolRaw);
    const participants = await this.ledger.participantCount();
    const { shareCents } = equalSplit(Math.max(0, pot), participants);
    moneyInvariant(shareCents * participants <= Math.max(0, pot), 'shares exceed the pot');
    const writes: Write[] = [
      { op: 'hset', key: stateKey, field: 'phase', value: shareCents > 0 ? 'dividend' : 'done' },
      { op: 'hset', key: stateKey, field: 'cursor', value: '0' },
      { op: 'hset', key: stateKey, field: 'pot', value: String(pot) },
      { op: 'hset', key: stateKey, field: 'participants', value: String(participants) },
      { op: 'hset', key: stateKey, field: 'share', value: String(shareCents) },
      { op: 'hset', key: stateKey, field: 'paid', value: '0' },
      { op: 'del', key: this.chargedKey(period) },
      { op: 'del', key: this.legacyChargedKey(period) },
    ];
    const entries = [this.draft(period, `divides ${formatCents(pot)} among ${participants} participants: `
      + `${formatCents(shareCents)} each`, { type: 'demurrage-divide', period, pot, participants, share: shareCents })];
    const result = await this.committer.commit({
      guards: [{ kind: 'hash', key: stateKey, field: 'cursor', expected: state.cursor },
        { kind: 'hash', key: stateKey, field: 'phase', expected: 'property' },
        { kind: 'hash', key: this.ledger.balanceKey, field: demurragePoolAccount, expected: poolRaw }],
      writes, entries,
    });
    return result.ok;
  }

  private async dividendBatch(period: string, state: RunState): Promise<boolean> {
    const stateKey = this.ledger.demurrageKey(period);
    const paidKey = this.ledger.demurrageKey(period, 'paid');
    const share = Number(state.raw.share);
    const remaining = Number(state.raw.participants) - Number(state.raw.paid);
    moneyInvariant(Number.isSafeInteger(share) && share > 0 && remaining >= 0, 'bad dividend state');
    const guards: Guard[] = [{ kind: 'hash', key: stateKey, field: 'cursor', expected: state.cursor },
      { kind: 'hash', key: stateKey, field: 'phase', expected: 'dividend' }];
    if (state.cursor === scanEnd || remaining === 0) {
      return (await this.committer.commit({ guards,
        writes: [{ op: 'hset', key: stateKey, field: 'phase', value: 'done' }, { op: 'del', key: paidKey }],
        entries: [this.draft(period, `done: ${state.raw.paid} participants received ${formatCents(share)} each`,
          { type: 'demurrage-done', period, paid: Number(state.raw.paid), share })] })).ok;
    }
    const [next, voters] = await this.ledger.redis.hscan(this.ledger.serialsKey, state.cursor, 'COUNT', this.batchAccounts)
      .then(([cursor, flat]) => [cursor, flat.filter((_, i) => i % 2 === 0)] as const);
    const done = voters.length === 0 ? [] : await this.ledger.redis.hmget(paidKey, ...voters);
    const payees = voters.filter((_, i) => done[i] === null).slice(0, remaining);
    const writes: Write[] = [{ op: 'hset', key: stateKey, field: 'cursor', value: next === '0' ? scanEnd : next }];
    const entries: AuditDraft[] = [];
    if (payees.length > 0) {
      const legs: Leg[] = [[demurragePoolAccount, -share * payees.length],
        ...payees.map((voter): Leg => [voter, share])];
      const parts = this.ledger.transferParts(legs);
      guards.push(...parts.guards);
      writes.push(...parts.writes, { op: 'hsetmany', key: paidKey, fields: payees.map((voter): [string, string] => [voter, '1']) },
        { op: 'hincrby', key: stateKey, field: 'paid', by: payees.length });
      const event: TransferEvent = { type: 'transfer', kind: 'dividend', legs, reference: `demurrage ${period}` };
      entries.push(this.draft(period, `pays ${formatCents(share)} to each of ${payees.length} participants`, event,
        share * payees.length));
    }
    return (await this.committer.commit({ guards, writes, entries })).ok;
  }
}

/** What the timer runs: the service itself, or the leased job (null: another process has the lease). */
export interface DemurrageRunner {
  currentPeriod(nowMs: number): string;
  run(period: string): Promise<DemurrageReport | null>;
}

/** The server's timer: runs the current period once it begins (idempotent, so every tick is safe). */
export function startDemurrageTimer(service: DemurrageRunner, logger: Logger,
  intervalMs = demurrageTimerIntervalMs): () => Promise<void> {
  let running: Promise<void> | null = null;
  const tick = (): void => {
    if (running !== null) return;
    running = service.run(service.currentPeriod(Date.now()))
      .then((report) => { if (report !== null && !report.alreadyDone) logger.info(report, 'demurrage run finished'); })
      .catch((error: unknown) => logger.error({ err: error }, 'demurrage run failed; the next tick resumes it'))
      .finally(() => { running = null; });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  // Stopping waits for a run in progress, so shutdown never cuts a batch off mid-commit.
  return async () => {
    clearInterval(timer);
    await running;
  };
}
