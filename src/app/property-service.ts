// Property and business offers with escrowed bids (SPEC §4). Registering debits the owner by the
// declared amount (the owner's account may go negative) and credits the sovereigns in equal shares,
// the remainder carried in `pool:sovereign` to the next registration. A bid locks its amount in the
// property's escrow account; a higher bid releases the previous one in the same commit; the high
// bidder may withdraw; the owner's acceptance pays the escrow to the owner and hands the property
// over, atomically. Escrowed money pays no demurrage; the owner pays it on the high bid instead.
import { createHash } from 'node:crypto';
import type { AuditDraft, AuditEntry } from '../core/audit-entry.js';
import { assertMaySpend, NotAllowedError, type Caller } from '../core/caller.js';
import { assertAmountCents, formatCents } from '../core/money/amount.js';
import { equalSplit } from '../core/money/demurrage.js';
import {
  combineLegs, escrowAccount, sovereignCarryAccount, type Leg, type TransferEvent, type TransferKind,
} from '../core/money/ledger.js';
import { publicName, type VoterId } from '../core/voter.js';
import type { Committer, Guard, Write } from '../store/commit.js';
import type { LedgerStore } from '../store/ledger-store.js';
import type { RollStore } from '../store/roll-store.js';
import { IdempotencyKeyError, InsufficientFundsError, MoneyError } from './money-service.js';

export const propertyDescriptionLengthMax = 200;
export const propertyAttemptCountMax = 16;

export type PropertyKind = 'property' | 'offer';

export interface Property {
  id: string;
  kind: PropertyKind;
  owner: VoterId;
  what: string;
  declaredCents: number;
  highBid: { bidder: VoterId; cents: number } | null;
}

export class PropertyError extends MoneyError {
  override name = 'PropertyError';
}

interface Move {
  kind: TransferKind;
  legs: Leg[];
  text: string;
  amount: number;
}

export class PropertyService {
  constructor(
    private readonly ledger: LedgerStore,
    private readonly committer: Committer,
    private readonly roll: RollStore,
    private readonly settings: { sovereignPhones: readonly string[]; amountMaxCents: number },
  ) {}

  get propertiesKey(): string {
    return this.ledger.propertiesKey;
  }

  async get(id: string): Promise<{ raw: string | null; property: Property | null }> {
    const raw = await this.ledger.redis.hget(this.propertiesKey, id);
    return { raw, property: raw === null ? null : (JSON.parse(raw) as Property) };
  }

  /** Sovereigns are the registered voters whose roll phone is in SOVEREIGN_PHONES, in a fixed order. */
  async sovereigns(): Promise<VoterId[]> {
    const ids: VoterId[] = [];
    for (const phone of this.settings.sovereignPhones) {
      for (const voter of await this.roll.votersByPhone(phone)) ids.push(voter.id);
    }
    return [...new Set(ids)].sort();
  }

  private async name(id: VoterId): Promise<string> {
    const voter = await this.roll.getVoter(id);
    return voter === null ? `voter ${id}` : publicName(voter);
  }

  private async require(id: string): Promise<{ raw: string; property: Property }> {
    const { raw, property } = await this.get(id);
    if (raw === null || property === null) throw new PropertyError(`no property ${id}`);
    return { raw, property };
  }

  /** Commits moves plus the property's new state, guarded on its old state and the idempotency key. */
  private async commitMoves(caller: Caller, options: {
    moves: Move[]; guards: Guard[]; writes: Write[]; idempotencyKey: string | null; negativeAllowed?: VoterId[];
    extraEvent: Record<string, unknown>; idempotencyValue?: string;
  }): Promise<{ entries: AuditEntry[]; duplicate: boolean; previous: string | null } | null> {
    const guards = [...options.guards];
    const writes = [...options.writes];
    const idempotency = options.idempotencyKey === null ? null : this.ledger.idempotencyKey(options.idempotencyKey);
    const claim = options.idempotencyKey === null ? null : this.ledger.claimId(options.idempotencyKey);
    if (claim !== null) guards.unshift({ kind: 'claim', id: claim, value: options.idempotencyValue ?? 'done' });
    // Net effect per account decides the balance guards: a raise by the same bidder needs only the difference.
    const net = combineLegs(options.moves.flatMap((move) => move.legs));
    const negativeAllowed = options.negativeAllowed ?? [];
    if (net.length > 0) guards.push(...this.ledger.transferParts(net, { negativeAllowed }).guards);
    const entries: AuditDraft[] = options.moves.map((move) => {
      for (const [account, delta] of move.legs) writes.push({ op: 'hincrby', key: this.ledger.balanceKey, field: account, by: delta });
      const reference = createHash('sha256').update(idempotency ?? move.text).digest('hex').slice(0, 16);
      const event: TransferEvent & Record<string, unknown> = {
        type: 'transfer', kind: move.kind, legs: move.legs, reference, ...options.extraEvent };
      return { actor: caller.actor, actorId: caller.voterId, channel: caller.channel, text: move.text, event,
        amount: move.amount };
    });
    const result = await this.committer.commit({ guards, writes, entries });
    if (result.ok) return { entries: result.entries, duplicate: false, previous: null };
    const { key, field } = result.conflict;
    if (claim !== null && key === this.committer.claims.conflictKey && field === claim) {
      return { entries: [], duplicate: true, previous: await this.committer.claimOf(claim) };
    }
    if (key === this.ledger.balanceKey && field === caller.voterId) {
      throw new InsufficientFundsError(`insufficient funds: balance ${formatCents(await this.ledger.balance(caller.voterId))}`);
    }
    return null;
  }

  private async attempt<T>(body: () => Promise<T | null>): Promise<T> {
    for (let attempt = 0; attempt < propertyAttemptCountMax; attempt += 1) {
      const result = await body();
      if (result !== null) return result;
    }
    throw new PropertyError(`gave up after ${propertyAttemptCountMax} conflicting attempts; try again`);
  }

  async register(
    caller: Caller, request: { kind: PropertyKind; what: string; declaredCents: number; idempotencyKey: string },
  ): Promise<{ id: string; duplicate: boolean; entries: AuditEntry[] }> {
    assertMaySpend(caller);
    assertAmountCents(request.declaredCents, this.settings.amountMaxCents);
    const what = request.what.trim().replace(/\s+/g, ' ');
    if (what.length === 0 || what.length > propertyDescriptionLengthMax) {
      throw new PropertyError(`describe the ${request.kind} in 1-${propertyDescriptionLengthMax} characters`);
    }
    if (request.idempotencyKey.length < 8) throw new IdempotencyKeyError('idempotency key must be at least 8 characters');
    const sovereigns = await this.sovereigns();
    if (sovereigns.length === 0) throw new PropertyError('no sovereign (SOVEREIGN_PHONES) is in the current roll');
    const id = `p${await this.ledger.redis.incr(this.ledger.keys.key('property', 'next'))}`;
    return this.attempt(async () => {
      const poolRaw = await this.ledger.rawBalance(sovereignCarryAccount);
      const { legs, shareCents } = sovereignLegs(caller.voterId, request.declaredCents, sovereigns, poolRaw);
      const property: Property = {
        id, kind: request.kind, owner: caller.voterId, what, declaredCents: request.declaredCents, highBid: null };
      const committed = await this.commitMoves(caller, {
        moves: [{ kind: 'property', legs, amount: request.declaredCents,
          text: `registers ${request.kind} ${id} "${what}" at ${formatCents(request.declaredCents)}; `
            + `${formatCents(shareCents)} to each of ${sovereigns.length} sovereigns` }],
        guards: [{ kind: 'hash', key: this.propertiesKey, field: id, expected: null },
          { kind: 'hash', key: this.ledger.balanceKey, field: sovereignCarryAccount, expected: poolRaw }],
        writes: [{ op: 'hset', key: this.propertiesKey, field: id, value: JSON.stringify(property) }],
        idempotencyKey: request.idempotencyKey, negativeAllowed: [caller.voterId], extraEvent: { property: id },
        idempotencyValue: id,
      });
      if (committed === null) return null;
      // A retried registration answers with the property the first try created.
      const originalId = committed.duplicate ? committed.previous ?? id : id;
      return { id: originalId, duplicate: committed.duplicate, entries: committed.entries };
    });
  }

  /**
   * Applies a changed assessed value (assessor import). A rise is paid like a registration of the
   * difference: the owner is debited, the sovereigns credited in equal shares, the remainder carried.
   * A fall lowers the value demurrage is charged on and refunds nothing: the registration payment
   * was the price of a declaration already made, and the sovereigns may have spent it. The commit
   * is guarded on the property's state, so applying the same value again changes nothing.
   */
  async reassess(caller: Caller, request: { property: string; declaredCents: number; source: string }):
  Promise<{ applied: boolean; previousCents: number; deltaCents: number; entries: AuditEntry[] }> {
    assertMaySpend(caller);
    assertAmountCents(request.declaredCents, this.settings.amountMaxCents);
    return this.attempt(async () => {
      const { raw, property } = await this.require(request.property);
      if (property.owner !== caller.voterId) throw new NotAllowedError(`${property.id} belongs to another voter`);
      const previousCents = property.declaredCents;
      const deltaCents = request.declaredCents - previousCents;
      if (deltaCents === 0) return { applied: false, previousCents, deltaCents, entries: [] };
      const next: Property = { ...property, declaredCents: request.declaredCents };
      const guards: Guard[] = [{ kind: 'hash', key: this.propertiesKey, field: property.id, expected: raw }];
      const writes: Write[] = [{ op: 'hset', key: this.propertiesKey, field: property.id, value: JSON.stringify(next) }];
      const change = `${property.id} "${property.what}" from ${formatCents(previousCents)} to ${formatCents(request.declaredCents)}`
        + ` (${request.source})`;
      if (deltaCents < 0) {
        const result = await this.committer.commit({ guards, writes, entries: [{
          actor: caller.actor, actorId: caller.voterId,
          channel: caller.channel, text: `reassesses ${change}; nothing is refunded`,
          event: { type: 'reassess', property: property.id, from: previousCents, to: request.declaredCents } }] });
        return result.ok ? { applied: true, previousCents, deltaCents, entries: result.entries } : null;
      }
      const sovereigns = await this.sovereigns();
      if (sovereigns.length === 0) throw new PropertyError('no sovereign (SOVEREIGN_PHONES) is in the current roll');
      const poolRaw = await this.ledger.rawBalance(sovereignCarryAccount);
      const { legs, shareCents } = sovereignLegs(caller.voterId, deltaCents, sovereigns, poolRaw);
      guards.push({ kind: 'hash', key: this.ledger.balanceKey, field: sovereignCarryAccount, expected: poolRaw });
      const committed = await this.commitMoves(caller, {
        moves: [{ kind: 'property', legs, amount: deltaCents, text: `reassesses ${change}: pays the difference `
          + `${formatCents(deltaCents)}; ${formatCents(shareCents)} to each of ${sovereigns.length} sovereigns` }],
        guards, writes, idempotencyKey: null, negativeAllowed: [caller.voterId],
        extraEvent: { property: property.id, reassessedFrom: previousCents, reassessedTo: request.declaredCents },
      });
      return committed === null ? null : { applied: true, previousCents, deltaCents, entries: committed.entries };
    });
  }

  /** A bid above the current high bid locks its amount; the previous high bid is released. */
  async bid(caller: Caller, request: { property: string; cents: number; idempotencyKey: string }):
  Promise<{ duplicate: boolean; entries: AuditEntry[] }> {
    assertMaySpend(caller);
    assertAmountCents(request.cents, this.settings.amountMaxCents);
    return this.attempt(async () => {
      const { raw, property } = await this.require(request.property);
      if (property.owner === caller.voterId) throw new NotAllowedError('an owner cannot bid on their own property');
      const previous = property.highBid;
      if (previous !== null && request.cents <= previous.cents) {
        throw new PropertyError(`a bid must be more than the high bid of ${formatCents(previous.cents)}`);
      }
      const escrow = escrowAccount(property.id);
      const moves: Move[] = [{ kind: 'escrow', legs: [[caller.voterId, -request.cents], [escrow, request.cents]], amount: request.cents,
        text: `bids ${formatCents(request.cents)} on ${property.id} "${property.what}" (held in escrow)` }];
      if (previous !== null) moves.push(await this.releaseMove(property, previous, 'outbid'));
      const next: Property = { ...property, highBid: { bidder: caller.voterId, cents: request.cents } };
      const result = await this.commitMoves(caller, { moves, idempotencyKey: request.idempotencyKey,
        extraEvent: { property: property.id },
        guards: [{ kind: 'hash', key: this.propertiesKey, field: property.id, expected: raw }],
        writes: [{ op: 'hset', key: this.propertiesKey, field: property.id, value: JSON.stringify(next) }] });
      return result === null ? null : { duplicate: result.duplicate, entries: result.entries };
    });
  }

  private async releaseMove(property: Property, bid: { bidder: VoterId; cents: number }, why: string): Promise<Move> {
    return { kind: 'release', legs: [[escrowAccount(property.id), -bid.cents], [bid.bidder, bid.cents]], amount: bid.cents,
      text: `releases ${formatCents(bid.cents)} from escrow of ${property.id} to ${await this.name(bid.bidder)} (${why})` };
  }

  async withdraw(caller: Caller, propertyId: string): Promise<{ entries: AuditEntry[] }> {
    assertMaySpend(caller);
    return this.attempt(async () => {
      const { raw, property } = await this.require(propertyId);
      if (property.highBid?.bidder !== caller.voterId) throw new PropertyError('only the high bidder can withdraw a bid');
      const result = await this.commitMoves(caller, { moves: [await this.releaseMove(property, property.highBid, 'withdrawn')],
        idempotencyKey: null, extraEvent: { property: property.id },
        guards: [{ kind: 'hash', key: this.propertiesKey, field: property.id, expected: raw }],
        writes: [{ op: 'hset', key: this.propertiesKey, field: property.id, value: JSON.stringify({ ...property, highBid: null }) }] });
      return result === null ? null : { entries: result.entries };
    });
  }

  /** The owner accepts the high bid: escrow pays the owner and the property changes hands, atomically. */
  async accept(caller: Caller, propertyId: string): Promise<{ entries: AuditEntry[] }> {
    assertMaySpend(caller);
    return this.attempt(async () => {
      const { raw, property } = await this.require(propertyId);
      if (property.owner !== caller.voterId) throw new NotAllowedError('only the owner can accept a bid');
      const bid = property.highBid;
      if (bid === null) throw new PropertyError(`${property.id} has no bid to accept`);
      const next: Property = { ...property, owner: bid.bidder, declaredCents: bid.cents, highBid: null };
      const result = await this.commitMoves(caller, {
        moves: [{ kind: 'settle', legs: [[escrowAccount(property.id), -bid.cents], [caller.voterId, bid.cents]], amount: bid.cents,
          text: `accepts ${formatCents(bid.cents)} from ${await this.name(bid.bidder)} for ${property.id} "${property.what}"` }],
        idempotencyKey: null, extraEvent: { property: property.id, newOwner: bid.bidder },
        guards: [{ kind: 'hash', key: this.propertiesKey, field: property.id, expected: raw }],
        writes: [{ op: 'hset', key: this.propertiesKey, field: property.id, value: JSON.stringify(next) }] });
      return result === null ? null : { entries: result.entries };
    });
  }
}

/**
 * Legs of a payment to the sovereigns: the payer gives `cents`, each sovereign gets an equal share
 * of it plus the carried pool, and the remainder stays in `pool:sovereign` for the next one.
 */
function sovereignLegs(payer: VoterId, cents: number, sovereigns: readonly VoterId[], poolRaw: string | null):
{ legs: Leg[]; shareCents: number } {
  const pool = poolRaw === null ? 0 : Number(poolRaw);
  const { shareCents, remainderCents } = equalSplit(cents + pool, sovereigns.length);
  const legs = combineLegs([[payer, -cents], ...sovereigns.map((sovereign): Leg => [sovereign, shareCents]),
    [sovereignCarryAccount, remainderCents - pool]]);
  return { legs, shareCents };
}

/** The value the owner pays demurrage on: the high bid when there is one, else the declared value. */
export function demurrageBaseCents(property: Property): number {
  return property.highBid?.cents ?? property.declaredCents;
}
