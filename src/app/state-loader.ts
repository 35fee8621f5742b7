// Builds the in-memory DemocracyState the core tallies: from the Redis "now" view, or by replaying
// the audit log up to a sequence number ("as of"). Registration is checked against the current roll
// only for the voters that act or are named, so a 2.2 M roll never has to be held in memory.
import type { BillId } from '../core/bill.js';
import { DemocracyState, type Roll } from '../core/democracy-state.js';
import type { DomainEvent, DomainEventType } from '../core/events.js';
import type { VoterId } from '../core/voter.js';
import type { AuditLog } from '../store/audit-log.js';
import type { DemocracyStore } from '../store/democracy-store.js';
import type { RollStore } from '../store/roll-store.js';

const registrationBatchSize = 10_000;

const democracyEventTypes = new Set<DomainEventType>([
  'delegate', 'delegate-bill', 'recall', 'recall-bill', 'vote', 'bill', 'roll', 'migrate',
]);

export function isDomainEvent(event: { type: string }): event is DomainEvent {
  return democracyEventTypes.has(event.type as DomainEventType);
}

/** A Roll whose membership set is filled after the state is loaded (see resolveRegistration). */
class LazyRoll implements Roll {
  readonly registered = new Set<VoterId>();
  constructor(readonly registeredCount: number) {}
  isRegistered(voter: VoterId): boolean {
    return this.registered.has(voter);
  }
}

function idsOfState(state: DemocracyState, bills: readonly BillId[]): Set<VoterId> {
  const ids = new Set<VoterId>();
  for (const [voter, delegates] of state.defaultsEntries()) {
    ids.add(voter);
    for (const delegate of delegates) ids.add(delegate);
  }
  for (const bill of bills) {
    for (const [voter, delegate] of state.billDelegatesOn(bill)) { ids.add(voter); ids.add(delegate); }
    for (const voter of state.votesOn(bill).keys()) ids.add(voter);
  }
  return ids;
}

async function resolveRegistration(roll: LazyRoll, rollStore: RollStore, ids: Iterable<VoterId>): Promise<void> {
  let batch: VoterId[] = [];
  const flush = async (): Promise<void> => {
    const voters = await rollStore.getVoters(batch);
    batch.forEach((id, i) => { if (voters[i] !== null && voters[i] !== undefined) roll.registered.add(id); });
    batch = [];
  };
  for (const id of ids) {
    batch.push(id);
    if (batch.length >= registrationBatchSize) await flush();
  }
  if (batch.length > 0) await flush();
}

/** The current state for the given bills (defaults are loaded for all voters). */
export async function loadCurrentState(
  store: DemocracyStore, rollStore: RollStore, bills: readonly BillId[],
): Promise<DemocracyState> {
  const roll = new LazyRoll(await rollStore.count());
  const state = new DemocracyState(roll);
  for await (const batch of store.scanDefaults()) {
    for (const [voter, delegates] of batch) {
      delegates.forEach((delegate, index) => {
        state.applyEvent({ type: 'delegate', voter, delegate, rank: (index + 1) as 1 | 2 | 3 });
      });
    }
  }
  for (const bill of bills) {
    const record = await store.bill(bill);
    if (record !== null) state.applyEvent({ type: 'bill', bill: record });
    for await (const batch of store.scanBillDelegates(bill)) {
      for (const [voter, delegate] of batch) state.applyEvent({ type: 'delegate-bill', voter, bill, delegate });
    }
    for await (const batch of store.scanVotes(bill)) {
      for (const [voter, choice] of batch) state.applyEvent({ type: 'vote', voter, bill, choice });
    }
  }
  await resolveRegistration(roll, rollStore, idsOfState(state, bills));
  return state;
}

/** The state as of audit-log entry `seq`, by replaying every democracy event up to it. */
export async function loadStateAt(
  log: AuditLog, rollStore: RollStore, seq: number, bills: readonly BillId[],
): Promise<DemocracyState> {
  const roll = new LazyRoll(await rollStore.count());
  const state = new DemocracyState(roll);
  for await (const entry of log.readEntries(seq)) {
    if (isDomainEvent(entry.event)) state.applyEvent(entry.event);
  }
  await resolveRegistration(roll, rollStore, idsOfState(state, bills));
  return state;
}

/**
 * The state "now" (from the projection) or as of `at` (by replay), with the seq it is as of.
 * A store built from a snapshot has a log that starts at the snapshot, so only "now" is exact there.
 */
export async function loadState(
  services: { store: DemocracyStore; roll: RollStore; auditLog: AuditLog },
  bills: readonly BillId[],
  at: number | null,
): Promise<{ state: DemocracyState; seq: number }> {
  const length = await services.auditLog.length();
  if (at !== null && at > length) throw new RangeError(`the audit log has ${length} entries; ${at} is in the future`);
  if (at === null || at === length) {
    return { state: await loadCurrentState(services.store, services.roll, bills), seq: length };
  }
  return { state: await loadStateAt(services.auditLog, services.roll, at, bills), seq: at };
}
