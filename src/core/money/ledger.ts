// Double entry for delegate money (SPEC §4). Every movement is a transfer: legs [account, delta]
// whose deltas sum to zero. Minting debits the `mint` account, which therefore goes negative by
// exactly the money supply, so the sum over all accounts is always zero and "money is never created
// or destroyed except by minting" becomes "every transfer balances".
import { moneyInvariant } from './amount.js';

/** Voter accounts are the voter id (digits); system accounts are lower-case words, never digits only. */
export type Account = string;

export const mintAccount: Account = 'mint';
/** Demurrage fees wait here until they are divided; the remainder of an unequal division stays. */
export const demurragePoolAccount: Account = 'pool:demurrage';
/** Property registration payments to the sovereigns: the remainder of an unequal split stays. */
export const sovereignCarryAccount: Account = 'pool:sovereign';
export const systemAccounts: readonly Account[] = [mintAccount, demurragePoolAccount, sovereignCarryAccount];

/** Accounts that may go negative: the mint (by the supply). Voter accounts may not (SPEC §4). */
export function mayGoNegative(account: Account): boolean {
  return account === mintAccount;
}

export function isVoterAccount(account: Account): boolean {
  return /^\d{1,20}$/.test(account);
}

export function assertAccount(account: Account): void {
  moneyInvariant(isVoterAccount(account) || /^[a-z][a-z0-9:-]{1,63}$/.test(account), 'bad account name');
}

/** `opening`: balances carried in by a snapshot import, each batch balanced against the mint. */
export type TransferKind =
  | 'pay' | 'mint' | 'reward' | 'demurrage' | 'dividend' | 'migrate' | 'property' | 'escrow' | 'release' | 'settle'
  | 'opening';
export const transferKinds: readonly TransferKind[] = [
  'pay', 'mint', 'reward', 'demurrage', 'dividend', 'migrate', 'property', 'escrow', 'release', 'settle', 'opening',
];

/** Escrow of one property's high bid: locked money that pays no demurrage (SPEC §4). */
export function escrowAccount(propertyId: string): Account {
  return `escrow:${propertyId}`;
}

export type Leg = readonly [Account, number];

/** The `event` of a money audit-log entry: the journal is the audit log itself. A type alias, so it is indexable. */
export type TransferEvent = {
  type: 'transfer';
  kind: TransferKind;
  legs: Leg[];
  reference: string;
};

/** Activation without a reward (serial at or beyond N): recorded so serials stay verifiable. */
export type ActivationEvent = {
  type: 'activation';
  voter: string;
  serial: number;
};

/** Sum of the positive deltas: the amount a transfer moves. */
export function transferAmount(legs: readonly Leg[]): number {
  let amount = 0;
  for (const [, delta] of legs) if (delta > 0) amount += delta;
  return amount;
}

/** Legs must be non-empty, integer, non-zero, one per account, and sum to exactly zero. */
export function assertBalancedLegs(legs: readonly Leg[]): void {
  moneyInvariant(legs.length >= 2, 'a transfer needs at least two legs');
  const seen = new Set<Account>();
  let sum = 0;
  for (const [account, delta] of legs) {
    assertAccount(account);
    moneyInvariant(Number.isSafeInteger(delta) && delta !== 0, 'leg delta must be a non-zero integer');
    moneyInvariant(!seen.has(account), 'an account appears twice in one transfer');
    seen.add(account);
    sum += delta;
  }
  moneyInvariant(sum === 0, 'transfer legs do not sum to zero');
  moneyInvariant(Number.isSafeInteger(transferAmount(legs)), 'transfer amount overflows');
}

export function isTransferEvent(event: { type: string }): event is TransferEvent {
  if (event.type !== 'transfer') return false;
  const candidate = event as Partial<TransferEvent>;
  return Array.isArray(candidate.legs) && transferKinds.includes(candidate.kind as TransferKind);
}

/** Adds up deltas per account and drops zeros: one leg per account, as assertBalancedLegs requires. */
export function combineLegs(deltas: ReadonlyArray<readonly [Account, number]>): Leg[] {
  const sums = new Map<Account, number>();
  for (const [account, delta] of deltas) sums.set(account, (sums.get(account) ?? 0) + delta);
  const legs: Leg[] = [];
  for (const [account, delta] of sums) if (delta !== 0) legs.push([account, delta]);
  return legs;
}

/** Minted money enters through these kinds only: the supply is the sum of their amounts. */
export function isMintingKind(kind: TransferKind): boolean {
  return kind === 'mint' || kind === 'reward';
}

/** Activation reward for serial s: (N − s) dollars when positive (SPEC §4). In cents. */
export function activationRewardCents(serial: number, activationsToReward: number): number {
  moneyInvariant(Number.isSafeInteger(serial) && serial >= 1, 'serial must be a positive integer');
  moneyInvariant(Number.isSafeInteger(activationsToReward) && activationsToReward >= 1, 'N must be a positive integer');
  return Math.max(0, activationsToReward - serial) * 100;
}

/**
 * Replays transfers into balances, as `ledger verify` and the model-based tests do. Pure: the
 * caller feeds events in log order and compares the result with the store.
 */
export class LedgerReplay {
  readonly balances = new Map<Account, number>();
  supplyCents = 0;
  transfers = 0;

  apply(event: TransferEvent): void {
    assertBalancedLegs(event.legs);
    for (const [account, delta] of event.legs) {
      const next = (this.balances.get(account) ?? 0) + delta;
      moneyInvariant(Number.isSafeInteger(next), 'balance overflow');
      if (next === 0) this.balances.delete(account);
      else this.balances.set(account, next);
    }
    if (isMintingKind(event.kind)) this.supplyCents += transferAmount(event.legs);
    // Opening balances: what the mint leg gives up is supply minted before the snapshot.
    if (event.kind === 'opening') this.supplyCents -= event.legs.find(([account]) => account === mintAccount)?.[1] ?? 0;
    this.transfers += 1;
  }
}
