// Turns a phone number or voter id into a Caller: registered voters from the current roll, or a
// tentative voter (created on first use) when the phone is not in the roll (SPEC §1).
import type { Channel } from '../core/audit-entry.js';
import type { Caller } from '../core/caller.js';
import { publicName, publicPhone, tentativeId, type RegisteredVoter, type VoterId } from '../core/voter.js';
import type { Committer } from '../store/commit.js';
import type { DemocracyStore } from '../store/democracy-store.js';
import type { RollStore } from '../store/roll-store.js';

export type PhoneIdentity =
  | { kind: 'registered'; voters: RegisteredVoter[] }
  | { kind: 'tentative'; id: VoterId | null };

export function unregisteredActor(phone: string): string {
  return `${publicPhone(phone)} unregistered`;
}

export class CallerDirectory {
  constructor(
    private readonly roll: RollStore,
    private readonly store: DemocracyStore,
    private readonly committer: Committer,
    private readonly sovereignPhones: readonly string[] = [],
  ) {}

  /** Sovereign minters: verified callers whose phone is listed in SOVEREIGN_PHONES (SPEC §1). */
  private isSovereign(phone: string | null, verified: boolean): boolean {
    return verified && phone !== null && this.sovereignPhones.includes(phone);
  }

  /** Roll match (SPEC §2 step 3): one voter, several sharing the phone, or none (tentative). */
  async identify(phone: string): Promise<PhoneIdentity> {
    const voters = await this.roll.votersByPhone(phone);
    if (voters.length > 0) return { kind: 'registered', voters };
    return { kind: 'tentative', id: await this.store.tentativeIdOf(phone) };
  }

  registeredCaller(voter: RegisteredVoter, verified: boolean, channel: Channel): Caller {
    return { voterId: voter.id, actor: publicName(voter), verified, registered: true, channel,
      sovereign: this.isSovereign(voter.phone, verified) };
  }

  /** The tentative caller for a phone not in the roll, creating its id (logged) on first use. */
  async tentativeCaller(phone: string, verified: boolean, channel: Channel): Promise<Caller> {
    const actor = unregisteredActor(phone);
    let id = await this.store.tentativeIdOf(phone);
    while (id === null) {
      const candidate = tentativeId(await this.store.nextTentativeSequence());
      const result = await this.committer.commit({
        guards: [{ kind: 'hash', key: this.store.tentativeKey, field: phone, expected: null }],
        writes: [{ op: 'hset', key: this.store.tentativeKey, field: phone, value: candidate }],
        entries: [{ actor, actorId: candidate, channel, text: 'calls in as a tentative voter (phone not in the roll)',
          event: { type: 'tentative', voter: candidate } }],
      });
      // On conflict another process created it first; use theirs.
      id = result.ok ? candidate : await this.store.tentativeIdOf(phone);
    }
    return { voterId: id, actor, verified, registered: false, channel, sovereign: this.isSovereign(phone, verified) };
  }

  /** Operator tools act for a voter by id: the operator vouches for them, and the log says "cli". */
  async byVoterId(id: VoterId, channel: Channel): Promise<Caller> {
    const voter = await this.roll.getVoter(id);
    if (voter === null) throw new Error(`voter ${id} is not in the current roll`);
    return this.registeredCaller(voter, true, channel);
  }
}
