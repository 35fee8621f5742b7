// Who is acting, and what they may do (SPEC §2). Decided here, in the core, so that every channel
// (phone, web, CLI) gets the same rules, not only the dialog.
import type { Channel } from './audit-entry.js';
import type { VoterId } from './voter.js';

export interface Caller {
  voterId: VoterId;
  /** Public actor text: "John Q Doe of Ames" or "712-555-XXXX unregistered". */
  actor: string;
  /** The call (or web session) proved the phone number: attestation A, call-back, or operator. */
  verified: boolean;
  /** In the current roll; tentative callers act without power until a roll import shows them. */
  registered: boolean;
  channel: Channel;
  /** Verified caller whose phone is in SOVEREIGN_PHONES: may mint delegate money (SPEC §4). */
  sovereign?: boolean;
}

export class NotAllowedError extends Error {
  override name = 'NotAllowedError';
}

/** Recording delegations and votes: verified callers only (tentative ones carry no power yet). */
export function assertMayRecord(caller: Caller): void {
  if (!caller.verified) throw new NotAllowedError('only a verified caller may delegate, vote or recall');
  if (caller.voterId.length === 0) throw new NotAllowedError('caller has no voter id');
}

/** Spending or minting money: verified AND registered (SPEC §2). */
export function assertMaySpend(caller: Caller): void {
  assertMayRecord(caller);
  if (!caller.registered) throw new NotAllowedError('only a registered voter may spend money');
}
