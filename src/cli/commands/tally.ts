// tally, influencers, audit
import type { Command } from 'commander';
import { auditReport, tallyReport } from '../../app/tally-service.js';
import { billLabel } from '../../app/democracy-service.js';
import { parsePositiveInteger, print, printJson, UsageError, withContext } from '../run.js';
import { resolveVoterArgument } from '../voter-argument.js';

function parseAt(value: string | undefined): number | null {
  return value === undefined ? null : parsePositiveInteger(value, '--at');
}

const thousands = (n: number): string => n.toLocaleString('en-US');

export function registerTallyCommands(program: Command): void {
  program.command('tally')
    .description('count yes / no / abstain / absent over all registered voters for a bill')
    .argument('<bill>', 'bill id, e.g. hr1234')
    .option('--at <seq>', 'as of this audit-log sequence number')
    .option('--json', 'machine-readable output')
    .action(async (bill: string, options: { at?: string; json?: boolean }) => {
      const at = parseAt(options.at);
      await withContext(async (context) => {
        const report = await tallyReport(context, bill, { at, influencers: 0 });
        if (options.json === true) {
          printJson({ ...report.tally, seq: report.seq });
          return;
        }
        const record = await context.store.bill(bill);
        const { yes, no, abstain, absent, registered } = report.tally;
        print(`${record === null ? bill : billLabel(record)} ${record?.title ?? ''}`.trim());
        print(`yes ${thousands(yes)}, no ${thousands(no)}, abstain ${thousands(abstain)}, absent ${thousands(absent)} (of ${thousands(registered)} registered voters) as of #${report.seq}`);
      }, { publish: false });
    });

  program.command('influencers')
    .description('the voters through whom the most effective votes on a bill resolve')
    .argument('<bill>', 'bill id')
    .option('--limit <n>', 'how many', '10')
    .option('--at <seq>', 'as of this audit-log sequence number')
    .option('--json', 'machine-readable output')
    .action(async (bill: string, options: { limit: string; at?: string; json?: boolean }) => {
      const limit = parsePositiveInteger(options.limit, '--limit');
      if (limit > 10_000) throw new UsageError('--limit must be at most 10000');
      const at = parseAt(options.at);
      await withContext(async (context) => {
        const report = await tallyReport(context, bill, { at, influencers: limit });
        if (options.json === true) {
          printJson({ bill, seq: report.seq, influencers: report.influencers });
          return;
        }
        report.influencers.forEach((influencer, i) => {
          print(`${String(i + 1).padStart(3)}. ${influencer.name}: weight ${thousands(influencer.weight)}, votes ${influencer.value}`);
        });
        if (report.influencers.length === 0) print('nobody votes on this bill yet');
      }, { publish: false });
    });

  program.command('audit')
    .description('explain how a voter\'s voting power is used: on one bill, or their delegate chain')
    .argument('<voter>', 'REGN_NUM or 10-digit phone')
    .argument('[bill]', 'bill id')
    .option('--at <seq>', 'as of this audit-log sequence number')
    .option('--json', 'machine-readable output')
    .action(async (voterArgument: string, bill: string | undefined, options: { at?: string; json?: boolean }) => {
      const at = parseAt(options.at);
      await withContext(async (context) => {
        const voter = await resolveVoterArgument(context, voterArgument);
        const report = await auditReport(context, voter.id, bill ?? null, at);
        if (options.json === true) printJson({ seq: report.seq, explanation: report.explanation, lines: report.lines });
        else for (const line of report.lines) print(line);
      }, { publish: false });
    });
}
