// Use cases of delegate money (SPEC §4): balance, pay, sovereign mint, and the activation reward
// that rides in the same commit as a voter's first delegation. Each one lets the pure core decide
// and commits balances, journal entry and idempotency record in one atomic step (commit.ts).
import { hash } from 'node:crypto';
import type { AuditDraft, AuditEntry } from '../core/audit-entry.js';
import { assertMaySpend, NotAllowedError, type Caller } from '../core/caller.js';
import { assertAmountCents, formatCents } from '../core/money/amount.js';
import {
  activationRewardCents, mintAccount, type ActivationEvent, type Leg, type TransferEvent, type TransferKind,
} from '../core/money/ledger.js';
import { publicName, publicPhone, tentativeId, type VoterId } from '../core/voter.js';
import type { Committer, CommitRequest, Guard, Write } from '../store/commit.js';
import { CommitConflictError } from '../store/commit.js';
import type { DemocracyStore } from '../store/democracy-store.js';
import type { LedgerStore, LedgerVerification } from '../store/ledger-store.js';
import type { RollStore } from '../store/roll-store.js';
import { unregisteredActor } from './caller-directory.js';
import type { SmsOutbox } from './sms-outbox.js';

export const idempotencyKeyLengthMin = 8;
export const idempotencyKeyLengthMax = 128;
/** Creating a tentative wallet for a phone can race another process; a few re-reads settle it. */
export const payAttemptCountMax = 4;
/**
 * First delegations contend on one serial counter; each round at least one of them wins, so the
 * bound must exceed the number of voters activating at the same instant.
 */
export const activationRetryCountMax = 1_000;

export class MoneyError extends Error {
  override name = 'MoneyError';
}
export class InsufficientFundsError extends MoneyError {
  override name = 'InsufficientFundsError';
}
export class SelfPaymentError extends MoneyError {
  override name = 'SelfPaymentError';
}
export class UnknownAccountError extends MoneyError {
  override name = 'UnknownAccountError';
}
export class IdempotencyKeyError extends MoneyError {
  override name = 'IdempotencyKeyError';
}

export type PayTarget = { voter: VoterId } | { phone: string };

export interface PayRequest {
  to: PayTarget;
  amountCents: number;
  /** Chosen by the client once per intended payment and repeated on every retry of it. */
  idempotencyKey: string;
}

export interface PayResult {
  /** `duplicate`: this idempotency key was already paid; nothing moved this time. */
  status: 'paid' | 'duplicate';
  amountCents: number;
  recipient: string;
  entry: AuditEntry | null;
}

/** Pieces of one commit that another use case (delegate, roll activation) merges into its own. */
export interface CommitParts {
  guards: Guard[];
  writes: Write[];
  entries: AuditDraft[];
}

export interface ResolvedTarget {
  account: VoterId;
  name: string;
  /** Set when paying a phone nobody uses yet: the commit also creates its tentative wallet. */
  createTentative: { phone: string } | null;
}

/**
 * What a payment's claim records, to tell its retry from another payment under the same key: an array,
 * not an object with names (26 bytes fewer per claim in memory and in the AOF for every payment).
 */
export function paymentFingerprint(kind: TransferKind, from: string, to: string, amountCents: number): string {
  return JSON.stringify([kind, from, to, amountCents]);
}

/** The fingerprint as claims written before paymentFingerprint recorded it (moved from keys: claim-migration.ts). */
function legacyPaymentFingerprint(kind: TransferKind, from: string, to: string, amountCents: number): string {
  return JSON.stringify({ kind, from, to, amount: amountCents });
}

function assertIdempotencyKey(key: string): void {
  if (key.length < idempotencyKeyLengthMin || key.length > idempotencyKeyLengthMax || !/^[\x21-\x7e]+$/.test(key)) {
    throw new IdempotencyKeyError(
      `idempotency key must be ${idempotencyKeyLengthMin}-${idempotencyKeyLengthMax} printable characters without spaces`);
  }
}

/** Activation serials and rewards (SPEC §4), shared by delegation and roll migration. */
export class ActivationRewards {
  constructor(private readonly ledger: LedgerStore, readonly activationsToReward: number) {
    if (!Number.isSafeInteger(activationsToReward) || activationsToReward < 1) throw new RangeError('N must be ≥ 1');
  }

  /**
   * Serials and rewards for voters activating together, or null when all are already activated.
   * The guards pin the serial counter and each voter's absence, so two commits can never hand out
   * the same serial or reward one voter twice; the loser re-reads and decides again.
   */
  async partsFor(voters: ReadonlyArray<{ voter: VoterId; actor: string; channel: AuditDraft['channel'] }>):
  Promise<CommitParts | null> {
    if (voters.length === 0) return null;
    const current = await this.ledger.redis.hmget(this.ledger.serialsKey,
      ...voters.map((candidate) => candidate.voter));
    const pending = voters.filter((_, index) => current[index] === null);
    if (pending.length === 0) return null;
    const lastRaw = await this.ledger.redis.get(this.ledger.lastSerialKey);
    let serial = lastRaw === null ? 0 : Number(lastRaw);
    const parts: CommitParts = {
      guards: [{ kind: 'string', key: this.ledger.lastSerialKey, expected: lastRaw }], writes: [], entries: [],
    };
    for (const { voter, actor, channel } of pending) {
      serial += 1;
      parts.guards.push({ kind: 'hash', key: this.ledger.serialsKey, field: voter, expected: null });
      parts.writes.push({ op: 'hset', key: this.ledger.serialsKey, field: voter, value: String(serial) });
      const reward = activationRewardCents(serial, this.activationsToReward);
      if (reward > 0) {
        const legs: Leg[] = [[mintAccount, -reward], [voter, reward]];
        parts.writes.push(...this.ledger.transferParts(legs).writes);
        const event: TransferEvent & { voter: VoterId; serial: number } = {
          type: 'transfer', kind: 'reward', legs, reference: `activation ${serial}`, voter, serial };
        parts.entries.push({ actor, actorId: voter, channel, amount: reward, event,
          text: `becomes participant #${serial} and receives the activation reward of ${formatCents(reward)}` });
      } else {
        const event: ActivationEvent = { type: 'activation', voter, serial };
        parts.entries.push({ actor, actorId: voter, channel, event, text: `becomes participant #${serial}` });
      }
    }
    parts.writes.push({ op: 'set', key: this.ledger.lastSerialKey, value: String(serial) });
    return parts;
  }
}

export class MoneyService {
  constructor(
    private readonly ledger: LedgerStore,
    private readonly committer: Committer,
    private readonly roll: RollStore,
    private readonly store: DemocracyStore,
    private readonly settings: { amountMaxCents: number },
    /** Text-message receipts for recipients who opted in; queued in the payment's own commit. */
    private readonly receipts: SmsOutbox | null = null,
  ) {
    assertAmountCents(settings.amountMaxCents, settings.amountMaxCents);
  }

  get amountMaxCents(): number {
    return this.settings.amountMaxCents;
  }

  async balanceOf(voter: VoterId): Promise<number> {
    return this.ledger.balance(voter);
  }

  async verify(): Promise<LedgerVerification> {
    return this.ledger.verify();
  }

  private async resolveTarget(target: PayTarget): Promise<ResolvedTarget> {
    if ('voter' in target) {
      const voter = await this.roll.getVoter(target.voter);
      if (voter === null) throw new UnknownAccountError(`voter ${target.voter} is not in the current roll`);
      return { account: voter.id, name: publicName(voter), createTentative: null };
    }
    if (!/^\d{10}$/.test(target.phone)) throw new UnknownAccountError('a phone number must have 10 digits');
    const voters = await this.roll.votersByPhone(target.phone);
    if (voters.length > 1) {
      throw new UnknownAccountError(`${voters.length} voters share ${publicPhone(target.phone)}; name the voter instead`);
    }
    const voter = voters[0];
    if (voter !== undefined) return { account: voter.id, name: publicName(voter), createTentative: null };
    const existing = await this.store.tentativeIdOf(target.phone);
    if (existing !== null) return { account: existing, name: unregisteredActor(target.phone), createTentative: null };
    // The money waits in a tentative wallet that migrates when a roll import shows this phone.
    const candidate = tentativeId(await this.store.nextTentativeSequence());
    return { account: candidate, name: unregisteredActor(target.phone), createTentative: { phone: target.phone } };
  }

  /** Pays from a verified registered voter's balance; never more than the balance (SPEC §4). */
  async pay(caller: Caller, request: PayRequest): Promise<PayResult> {
    assertMaySpend(caller);
    return this.move(caller, request, 'pay', caller.voterId);
  }

  /** Sovereign minting: a verified caller whose phone is in SOVEREIGN_PHONES (SPEC §4). */
  async mint(caller: Caller, request: PayRequest): Promise<PayResult> {
    if (!caller.verified) throw new NotAllowedError('only a verified caller may mint');
    if (caller.sovereign !== true) throw new NotAllowedError('only a sovereign minter (SOVEREIGN_PHONES) may mint');
    return this.move(caller, request, 'mint', mintAccount);
  }

  private async move(caller: Caller, request: PayRequest, kind: TransferKind, from: string): Promise<PayResult> {
    assertAmountCents(request.amountCents, this.settings.amountMaxCents);
    assertIdempotencyKey(request.idempotencyKey);
    const claim = this.ledger.claimId(request.idempotencyKey);
    for (let attempt = 0; attempt < payAttemptCountMax; attempt += 1) {
      const target = await this.resolveTarget(request.to);
      if (target.account === caller.voterId && kind === 'pay') throw new SelfPaymentError('a voter cannot pay themselves');
      const fingerprint = paymentFingerprint(kind, from, target.account, request.amountCents);
      const receipt = this.receipts !== null && target.createTentative === null
        && await this.receipts.optedIn(target.account);
      const commit = this.transferRequest(
        { caller, request, kind, from, target, claim, fingerprint, receipt });
      const result = await this.committer.commit(commit);
      const entry = result.ok ? result.entries[0] : undefined;
      if (entry !== undefined) return { status: 'paid', amountCents: request.amountCents, recipient: target.name, entry };
      if (result.ok) throw new Error('commit returned no entry');
      const { key, field } = result.conflict;
      if (key === this.committer.claims.conflictKey && field === claim) {
        const previous = await this.committer.claimOf(claim);
        if (previous === fingerprint || previous === null
          || previous === legacyPaymentFingerprint(kind, from, target.account, request.amountCents)) {
          // Already paid by an earlier try of this request (null: the record just expired, so it was paid).
          return { status: 'duplicate', amountCents: request.amountCents, recipient: target.name, entry: null };
        }
        throw new IdempotencyKeyError('this idempotency key was already used for a different payment');
      }
      if (key === this.ledger.balanceKey && field === from) {
        const balance = await this.ledger.balance(from);
        throw new InsufficientFundsError(
          `insufficient funds: balance ${formatCents(balance)}, payment ${formatCents(request.amountCents)}`);
      }
      // Otherwise another process created the recipient's tentative wallet first: resolve again.
    }
    throw new CommitConflictError(`payment conflicted ${payAttemptCountMax} times; try again`);
  }

  /** The one commit of a payment or mint (public for the benchmark, which times exactly this). */
  transferRequest(options: {
    caller: Caller; request: PayRequest; kind: TransferKind; from: string; target: ResolvedTarget;
    /** ledger.claimId of the client's key (request.idempotencyKey), derived once per payment by the caller. */
    claim: string; fingerprint: string; receipt?: boolean;
  }): CommitRequest {
    const { caller, request, kind, from, target } = options;
    const legs: Leg[] = [[from, -request.amountCents], [target.account, request.amountCents]];
    const parts = this.ledger.transferParts(legs);
    // The claim goes first, so a retried request is told "duplicate", not "insufficient".
    const guards: Guard[] = [{ kind: 'claim', id: options.claim, value: options.fingerprint }, ...parts.guards];
    const writes: Write[] = [...parts.writes];
    if (target.createTentative !== null) {
      guards.push({ kind: 'hash', key: this.store.tentativeKey, field: target.createTentative.phone, expected: null });
      writes.push({ op: 'hset', key: this.store.tentativeKey, field: target.createTentative.phone, value: target.account });
    }
    // A hash of the key claims were kept under before the claim buckets: references stay as they were.
    const reference = hash('sha256', this.ledger.legacyClaimKey(options.claim), 'hex').slice(0, 16);
    if (options.receipt === true && this.receipts !== null) {
      writes.push(this.receipts.receiptWrite({ id: reference, voter: target.account,
        text: `you received ${formatCents(request.amountCents)} from ${caller.actor}` }, Date.now()));
    }
    const event: TransferEvent = { type: 'transfer', kind, legs, reference };
    const verb = kind === 'mint' ? 'mints' : 'pays';
    const entry: AuditDraft = { actor: caller.actor, actorId: caller.voterId, channel: caller.channel,
      text: `${verb} ${formatCents(request.amountCents)} to ${target.name}`, event, amount: request.amountCents };
    return { guards, writes, entries: [entry] };
  }
}

/** Merges commit parts (e.g. an activation) into a request being built. */
export function mergeParts(request: CommitRequest, parts: CommitParts | null): CommitRequest {
  if (parts === null) return request;
  return {
    guards: [...request.guards, ...parts.guards],
    writes: [...request.writes, ...parts.writes],
    entries: [...request.entries, ...parts.entries],
  };
}
