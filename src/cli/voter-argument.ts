// A voter on the command line: a REGN_NUM, or a 10-digit phone that matches exactly one voter.
import type { AppContext } from '../app/context.js';
import type { RegisteredVoter } from '../core/voter.js';
import { normalizePhone } from '../config/phone.js';
import { UsageError } from './run.js';

export async function resolveVoterArgument(context: AppContext, argument: string): Promise<RegisteredVoter> {
  const phone = /[-() ]/.test(argument) || argument.length === 10 ? normalizePhone(argument) : null;
  if (phone !== null) {
    const voters = await context.roll.votersByPhone(phone);
    if (voters.length === 1 && voters[0] !== undefined) return voters[0];
    if (voters.length === 0) throw new UsageError(`no registered voter has phone ${argument.slice(0, 3)}-…`);
    const names = voters.map((voter) => `${voter.id} (${voter.name.first})`).join(', ');
    throw new UsageError(`${voters.length} voters share that phone; give a REGN_NUM: ${names}`);
  }
  if (!/^\d{1,15}$/.test(argument)) throw new UsageError(`"${argument}" is neither a REGN_NUM nor a 10-digit phone`);
  const voter = await context.roll.getVoter(argument);
  if (voter === null) throw new UsageError(`voter ${argument} is not in the current roll`);
  return voter;
}
