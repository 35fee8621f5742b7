// delegate, vote, recall: the operator acting for a voter (logged with channel "cli").
import type { Command } from 'commander';
import type { DelegateRank } from '../../core/events.js';
import { isVoteChoice } from '../../core/vote.js';
import { publicName } from '../../core/voter.js';
import { print, UsageError, withContext } from '../run.js';
import { resolveVoterArgument } from '../voter-argument.js';

function parseRank(value: string): DelegateRank {
  if (value !== '1' && value !== '2' && value !== '3') throw new UsageError(`--rank must be 1, 2 or 3, got "${value}"`);
  return Number(value) as DelegateRank;
}

export function registerDemocracyCommands(program: Command): void {
  program.command('delegate')
    .description('name a delegate for a voter (default delegate at a rank, or for one bill)')
    .argument('<voter>', 'REGN_NUM or 10-digit phone of the voter')
    .argument('<delegate>', 'REGN_NUM or 10-digit phone of the delegate')
    .option('--rank <n>', 'rank of this default delegate: 1, 2 or 3', '1')
    .option('--bill <id>', 'delegate only on this bill (e.g. hr1234)')
    .action(async (voterArgument: string, delegateArgument: string, options: { rank: string; bill?: string }) => {
      const rank = parseRank(options.rank);
      await withContext(async (context) => {
        const voter = await resolveVoterArgument(context, voterArgument);
        const delegate = await resolveVoterArgument(context, delegateArgument);
        const caller = await context.callers.byVoterId(voter.id, 'cli');
        const where = options.bill === undefined ? { rank } : { bill: options.bill };
        const result = await context.democracy.delegate(caller, delegate.id, where);
        print(result.changed ? `#${result.entries[0]?.seq} ${caller.actor} ${result.entries[0]?.text}`
          : `unchanged: ${publicName(voter)} already delegates to ${publicName(delegate)} there`);
      });
    });

  program.command('vote')
    .description('cast (or with "absent", withdraw) a voter\'s direct vote on a bill')
    .argument('<voter>', 'REGN_NUM or 10-digit phone')
    .argument('<bill>', 'bill id, e.g. hr1234')
    .argument('<choice>', 'yes, no, abstain or absent')
    .action(async (voterArgument: string, bill: string, choice: string) => {
      const normalized = choice.toLowerCase();
      if (!isVoteChoice(normalized)) throw new UsageError(`choice must be yes, no, abstain or absent, got "${choice}"`);
      await withContext(async (context) => {
        const voter = await resolveVoterArgument(context, voterArgument);
        const caller = await context.callers.byVoterId(voter.id, 'cli');
        const result = await context.democracy.vote(caller, bill, normalized);
        print(result.changed ? `#${result.entries[0]?.seq} ${caller.actor} ${result.entries[0]?.text}` : 'unchanged');
      });
    });

  program.command('recall')
    .description('remove a voter\'s delegate: all default delegates, one of them, or the one on a bill')
    .argument('<voter>', 'REGN_NUM or 10-digit phone')
    .option('--delegate <voter>', 'recall only this default delegate')
    .option('--bill <id>', 'recall the delegate on this bill')
    .action(async (voterArgument: string, options: { delegate?: string; bill?: string }) => {
      await withContext(async (context) => {
        const voter = await resolveVoterArgument(context, voterArgument);
        const delegate = options.delegate === undefined
          ? undefined : (await resolveVoterArgument(context, options.delegate)).id;
        const caller = await context.callers.byVoterId(voter.id, 'cli');
        const result = await context.democracy.recall(caller, { ...(delegate === undefined ? {} : { delegate }),
          ...(options.bill === undefined ? {} : { bill: options.bill }) });
        print(result.changed ? `#${result.entries[0]?.seq} ${caller.actor} ${result.entries[0]?.text}` : 'unchanged: nothing to recall');
      });
    });
}
