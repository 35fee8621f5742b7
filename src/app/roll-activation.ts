// Switches the current roll generation in one atomic commit together with its audit-log entry and
// the migration of tentative voters whose phone the new roll shows (SPEC §1, §9). A crash before
// this commit leaves the previous roll current; after it, everything has switched.
import type { AuditDraft } from '../core/audit-entry.js';
import { migratedRankedDefaults } from '../core/democracy-state.js';
import { publicName, type VoterId } from '../core/voter.js';
import type { Committer, Guard, Write } from '../store/commit.js';
import type { DemocracyStore } from '../store/democracy-store.js';
import type { JurisdictionKeys } from '../store/keys.js';
import type { RollStore } from '../store/roll-store.js';
import { unregisteredActor } from './caller-directory.js';
import { LedgerStore } from '../store/ledger-store.js';
import type { Leg, TransferEvent } from '../core/money/ledger.js';
import { formatCents } from '../core/money/amount.js';
import { ActivationRewards, mergeParts } from './money-service.js';

export interface ActivationReport {
  migrated: number;
  /** Tentative voters whose phone the new roll shows for several voters: they choose on their next call. */
  ambiguous: number;
}

function migrateOrKeep(
  guards: Guard[], writes: Write[], key: string, from: string, to: string,
  values: { from: string | null; to: string | null },
): void {
  guards.push({ kind: 'hash', key, field: from, expected: values.from });
  guards.push({ kind: 'hash', key, field: to, expected: values.to });
  if (values.from === null) return;
  // The registered voter's own choices win; the tentative record only fills gaps (SPEC §1). A bill
  // delegation of the tentative voter to the very voter it becomes would be self-delegation: dropped.
  if (values.to === null && values.from !== to) writes.push({ op: 'hset', key, field: to, value: values.from });
  writes.push({ op: 'hdel', key, field: from });
}

/** Ranked defaults move with the core's rule (migratedRankedDefaults drops `to` from the list). */
function migrateDefaults(
  guards: Guard[], writes: Write[], key: string, from: { id: string; raw: string | null; delegates: VoterId[] },
  to: { id: string; raw: string | null; delegates: VoterId[] },
): void {
  guards.push({ kind: 'hash', key, field: from.id, expected: from.raw });
  guards.push({ kind: 'hash', key, field: to.id, expected: to.raw });
  if (from.raw === null) return;
  const merged = migratedRankedDefaults(to.delegates, from.delegates, to.id);
  const mergedRaw = merged.length === 0 ? null : JSON.stringify(merged);
  if (mergedRaw !== to.raw) {
    writes.push(mergedRaw === null ? { op: 'hdel', key, field: to.id } : { op: 'hset', key, field: to.id, value: mergedRaw });
  }
  writes.push({ op: 'hdel', key, field: from.id });
}

export async function activateRollGeneration(options: {
  keys: JurisdictionKeys; committer: Committer; store: DemocracyStore; roll: RollStore;
  generation: number; previous: number | null; voters: number; source: string;
  /** N of the activation reward; migrating voters who had named a delegate activate now (SPEC §1, §4). */
  activationsToReward?: number;
}): Promise<ActivationReport> {
  const { keys, committer, store, roll, generation, previous } = options;
  const ledger = new LedgerStore(store.redis, keys);
  const rewards = options.activationsToReward === undefined
    ? null : new ActivationRewards(ledger, options.activationsToReward);
  const { value } = await committer.commitWithRetry(async () => {
    const activating: Array<{ voter: string; actor: string; channel: 'import' }> = [];
    const moneyEntries: AuditDraft[] = [];
    const guards: Guard[] = [{ kind: 'string', key: keys.key('roll', 'current'), expected: previous === null ? null : String(previous) }];
    const writes: Write[] = [{ op: 'set', key: keys.key('roll', 'current'), value: String(generation) }];
    const entries: AuditDraft[] = [{ actor: 'operator', actorId: null, channel: 'import',
      text: `imports voter roll generation ${generation} (${options.voters.toLocaleString('en-US')} voters)`,
      event: { type: 'roll', generation, voters: options.voters, source: options.source } }];
    const bills = (await store.bills()).map((bill) => bill.id);
    const report: ActivationReport = { migrated: 0, ambiguous: 0 };
    for (const { phone, id: from } of await store.allTentative()) {
      const voters = await roll.votersByPhone(phone, generation);
      if (voters.length !== 1) {
        if (voters.length > 1) report.ambiguous += 1;
        continue;
      }
      const target = voters[0];
      if (target === undefined) continue;
      const to = target.id;
      const [fromDefaults, toDefaults] = [await store.defaultsOf(from), await store.defaultsOf(to)];
      migrateDefaults(guards, writes, store.defaultsKey, { id: from, ...fromDefaults }, { id: to, ...toDefaults });
      let namedDelegate = fromDefaults.raw !== null;
      for (const bill of bills) {
        const fromBillDelegate = await store.billDelegateOf(from, bill);
        namedDelegate ||= fromBillDelegate !== null;
        migrateOrKeep(guards, writes, store.billDelegatesKey(bill), from, to,
          { from: fromBillDelegate, to: await store.billDelegateOf(to, bill) });
        migrateOrKeep(guards, writes, store.votesKey(bill), from, to,
          { from: await store.voteOf(from, bill), to: await store.voteOf(to, bill) });
      }
      guards.push({ kind: 'hash', key: store.tentativeKey, field: phone, expected: from });
      writes.push({ op: 'hdel', key: store.tentativeKey, field: phone });
      writes.push({ op: 'hset', key: keys.key('migrated'), field: from, value: to });
      entries.push({ actor: unregisteredActor(phone), actorId: from, channel: 'import',
        text: `is now registered: record moves to ${publicName(target)}`, event: { type: 'migrate', from, to } });
      const wallet = { from, to, phone, raw: await ledger.rawBalance(from) };
      migrateWallet({ guards, writes, entries: moneyEntries }, ledger, wallet);
      if (namedDelegate) activating.push({ voter: to, actor: publicName(target), channel: 'import' });
      report.migrated += 1;
    }
    // The deferred activation reward: the tentative voter named a delegate while unregistered.
    const activation = rewards === null || activating.length === 0 ? null : await rewards.partsFor(activating);
    // Money entries go first: the roll and migration entries stay the newest of this atomic commit.
    const request = mergeParts({ guards, writes, entries: moneyEntries }, activation);
    return { request: { ...request, entries: [...request.entries, ...entries] }, value: report };
  });
  return value;
}

/** Moves a tentative wallet onto the registered voter; the exact balance is guarded. */
function migrateWallet(
  request: { guards: Guard[]; writes: Write[]; entries: AuditDraft[] }, ledger: LedgerStore,
  wallet: { from: string; to: string; phone: string; raw: string | null },
): void {
  request.guards.push({ kind: 'hash', key: ledger.balanceKey, field: wallet.from, expected: wallet.raw });
  const cents = wallet.raw === null ? 0 : Number(wallet.raw);
  if (cents === 0) return;
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`tentative wallet ${wallet.from} holds ${wallet.raw}`);
  const legs: Leg[] = [[wallet.from, -cents], [wallet.to, cents]];
  request.writes.push(...ledger.transferParts(legs).writes);
  const event: TransferEvent = { type: 'transfer', kind: 'migrate', legs, reference: `migrate ${wallet.from}` };
  request.entries.push({ actor: unregisteredActor(wallet.phone), actorId: wallet.from, channel: 'import', amount: cents,
    text: `wallet of ${formatCents(cents)} moves to the registered record`, event });
}
