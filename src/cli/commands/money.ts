// money balance / pay / mint / demurrage run, and ledger verify: the operator acting for a voter
// (logged with channel "cli") and the auditor checking the books.
import type { Command } from 'commander';
import type { AppContext } from '../../app/context.js';
import { DemurrageJob } from '../../app/demurrage-job.js';
import { importAssessorCsv } from '../../app/assessor-import.js';
import type { PayTarget } from '../../app/money-service.js';
import { PropertyService } from '../../app/property-service.js';
import { AmountError, formatCents, parseAmountCents } from '../../core/money/amount.js';
import { isPeriod } from '../../core/money/demurrage.js';
import { publicName } from '../../core/voter.js';
import { normalizePhone } from '../../config/phone.js';
import { print, printJson, UsageError, withContext } from '../run.js';
import { resolveVoterArgument } from '../voter-argument.js';

const demurrageLeaseWaitMs = 120_000;

export class LedgerVerifyError extends Error {
  override name = 'LedgerVerifyError';
}

function parseAmountArgument(context: AppContext, text: string): number {
  try {
    return parseAmountCents(text, context.config.moneyAmountMaxCents);
  } catch (error) {
    if (error instanceof AmountError) throw new UsageError(error.message);
    throw error;
  }
}

/** A REGN_NUM in the roll, or any 10-digit phone (a phone outside the roll gets a tentative wallet). */
async function parseTarget(context: AppContext, argument: string): Promise<PayTarget> {
  const phone = /[-() ]/.test(argument) || argument.length === 10 ? normalizePhone(argument) : null;
  if (phone !== null) return { phone };
  return { voter: (await resolveVoterArgument(context, argument)).id };
}

function registerTransferCommand(money: Command, kind: 'pay' | 'mint'): void {
  const payer = kind === 'pay' ? '<from>' : '<minter>';
  money.command(kind)
    .description(kind === 'pay' ? 'pay from a voter\'s balance to a voter or a 10-digit phone'
      : 'mint new money to a voter or phone (the minter\'s phone must be in SOVEREIGN_PHONES)')
    .argument(payer, 'REGN_NUM or 10-digit phone of the voter acting')
    .argument('<to>', 'REGN_NUM or 10-digit phone of the recipient')
    .argument('<amount>', 'e.g. 10.25, "$10.25" or "ten dollars and twenty five cents"')
    .requiredOption('--key <idempotency-key>', 'unique per intended payment; repeat it when retrying (8-128 chars)')
    .action(async (fromArgument: string, toArgument: string, amountText: string, options: { key: string }) => {
      await withContext(async (context) => {
        const amountCents = parseAmountArgument(context, amountText);
        const from = await resolveVoterArgument(context, fromArgument);
        const to = await parseTarget(context, toArgument);
        const caller = await context.callers.byVoterId(from.id, 'cli');
        const request = { to, amountCents, idempotencyKey: options.key };
        const result = kind === 'pay' ? await context.money.pay(caller, request) : await context.money.mint(caller, request);
        if (result.status === 'duplicate') {
          print(`already done: ${formatCents(result.amountCents)} to ${result.recipient} (same --key); nothing moved`);
        } else {
          print(`#${result.entry?.seq} ${caller.actor} ${result.entry?.text}`);
        }
      });
    });
}

function propertyService(context: AppContext): PropertyService {
  return new PropertyService(context.ledger, context.committer, context.roll,
    { sovereignPhones: context.config.sovereignPhones, amountMaxCents: context.config.moneyAmountMaxCents });
}

function printEntries(entries: ReadonlyArray<{ seq: number; actor: string; text: string }>, duplicate: boolean): void {
  if (duplicate) print('already done (same --key); nothing moved');
  for (const entry of entries) print(`#${entry.seq} ${entry.actor} ${entry.text}`);
}

function registerPropertyCommands(money: Command): void {
  const property = money.command('property').description('property and offers, escrowed bids, assessor import');
  property.command('register').description('register a property (or --offer): the owner pays the sovereigns its value')
    .argument('<owner>', 'REGN_NUM or 10-digit phone').argument('<amount>', 'declared value, e.g. 125000')
    .argument('<what...>', 'description').option('--offer', 'a business offer rather than a property')
    .requiredOption('--key <idempotency-key>', 'unique per registration; repeat it when retrying')
    .action(async (ownerArgument: string, amountText: string, what: string[],
      options: { offer?: boolean; key: string }) => {
      await withContext(async (context) => {
        const declaredCents = parseAmountArgument(context, amountText);
        const caller = await context.callers.byVoterId((await resolveVoterArgument(context, ownerArgument)).id, 'cli');
        const result = await propertyService(context).register(caller,
          { kind: options.offer === true ? 'offer' : 'property', what: what.join(' '), declaredCents, idempotencyKey: options.key });
        printEntries(result.entries, result.duplicate);
      });
    });
  property.command('bid').description('bid on a property; the amount is held in escrow until outbid, withdrawn or accepted')
    .argument('<bidder>', 'REGN_NUM or 10-digit phone').argument('<property>', 'property id, e.g. p1')
    .argument('<amount>', 'e.g. 1500').requiredOption('--key <idempotency-key>', 'unique per bid; repeat it when retrying')
    .action(async (bidderArgument: string, id: string, amountText: string, options: { key: string }) => {
      await withContext(async (context) => {
        const cents = parseAmountArgument(context, amountText);
        const caller = await context.callers.byVoterId((await resolveVoterArgument(context, bidderArgument)).id, 'cli');
        const result = await propertyService(context).bid(caller, { property: id, cents, idempotencyKey: options.key });
        printEntries(result.entries, result.duplicate);
      });
    });
  for (const action of ['withdraw', 'accept'] as const) {
    property.command(action).description(action === 'withdraw' ? 'withdraw the high bid (released from escrow)'
      : 'accept the high bid: escrow pays the owner and the property changes hands')
      .argument(action === 'withdraw' ? '<bidder>' : '<owner>', 'REGN_NUM or 10-digit phone').argument('<property>', 'property id')
      .action(async (voterArgument: string, id: string) => {
        await withContext(async (context) => {
          const caller = await context.callers.byVoterId((await resolveVoterArgument(context, voterArgument)).id, 'cli');
          const service = propertyService(context);
          const result = action === 'withdraw' ? await service.withdraw(caller, id) : await service.accept(caller, id);
          printEntries(result.entries, false);
        });
      });
  }
  property.command('import').description('register parcels from a county assessor CSV (parcel,owner,value,description)')
    .argument('<csv>', 'CSV file').requiredOption('--county <name>', 'county the file is from, e.g. story')
    .action(async (path: string, options: { county: string }) => {
      await withContext(async (context) => {
        const report = await importAssessorCsv({ path, county: options.county.toLowerCase(),
          properties: propertyService(context), callers: context.callers,
          amountMaxCents: context.config.moneyAmountMaxCents });
        print(`${report.registered} registered, ${report.alreadyRegistered} already registered, `
          + `${report.changed.length} with a changed value (applied), ${report.bad.length} bad rows`);
        for (const bad of report.bad) print(`  ${path}:${bad.line}: ${bad.reason}`);
      });
    });
}

export function registerMoneyCommands(program: Command): void {
  const money = program.command('money').description('delegate money: balances, payments, minting, demurrage');

  money.command('balance')
    .description('a voter\'s balance')
    .argument('<voter>', 'REGN_NUM or 10-digit phone')
    .option('--json', 'print JSON')
    .action(async (voterArgument: string, options: { json?: boolean }) => {
      await withContext(async (context) => {
        const voter = await resolveVoterArgument(context, voterArgument);
        const cents = await context.money.balanceOf(voter.id);
        if (options.json === true) printJson({ voter: voter.id, name: publicName(voter), cents });
        else print(`${publicName(voter)}: ${formatCents(cents)}`);
      }, { publish: false });
    });

  registerTransferCommand(money, 'pay');
  registerTransferCommand(money, 'mint');
  registerPropertyCommands(money);

  money.command('receipts').description('opt a voter in or out of text-message receipts for money received')
    .argument('<voter>', 'REGN_NUM or 10-digit phone').argument('<choice>', 'on or off')
    .action(async (voterArgument: string, choice: string) => {
      if (choice !== 'on' && choice !== 'off') throw new UsageError(`choice must be on or off, got "${choice}"`);
      await withContext(async (context) => {
        const caller = await context.callers.byVoterId((await resolveVoterArgument(context, voterArgument)).id, 'cli');
        await context.sms.setOptIn(caller, context.committer, choice === 'on');
        print(`${caller.actor}: text-message receipts ${choice}`);
      });
    });

  money.command('demurrage').description('demurrage runs').command('run')
    .description('charge demurrage for a period and divide it among participants (idempotent, resumable)')
    .option('--period <period>', 'period to run: 2026-11 (month), 2026-W48 (week) or 2026-11-25 (day); default: the current one')
    .action(async (options: { period?: string }) => {
      await withContext(async (context) => {
        // Waits for another process's run (the job lease) and then finds the period done.
        const service = new DemurrageJob(context, { waitMs: demurrageLeaseWaitMs });
        const period = options.period ?? service.currentPeriod(Date.now());
        if (!isPeriod(period, context.config.demurragePeriod)) {
          throw new UsageError(`--period must be a ${context.config.demurragePeriod} like ${service.currentPeriod(Date.now())}, got "${period}"`);
        }
        const report = await service.run(period);
        if (report === null) throw new Error(`demurrage ${period}: another process held the demurrage lease for over ${demurrageLeaseWaitMs / 1000} s`);
        print(report.alreadyDone
          ? `demurrage ${period}: already done`
          : `demurrage ${period}: charged ${formatCents(report.collectedCents)} from ${report.chargedAccounts} accounts, `
            + `paid ${formatCents(report.shareCents)} to each of ${report.participants} participants, `
            + `${formatCents(report.carriedCents)} carried`);
      });
    });

  program.command('ledger').description('the money ledger').command('verify')
    .description('recompute every balance and the money supply from the journal; exit 1 on any difference')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await withContext(async (context) => {
        const result = await context.money.verify();
        if (options.json === true) printJson(result);
        if (!result.ok) {
          const first = result.problems[0];
          const serial = result.serialProblems[0];
          const detail = (first === undefined ? '' : `; account ${first.account} holds ${formatCents(first.storedCents)}`
            + ` but its journal entries sum to ${formatCents(first.journalCents)}`) + (serial === undefined ? '' : `; ${serial}`);
          throw new LedgerVerifyError(`ledger verify FAILED: ${result.problems.length} account problem(s), supply `
            + `${formatCents(result.supplyCents)} minted vs ${formatCents(result.mintBalanceSupplyCents)} by balances, `
            + `sum of balances ${formatCents(result.balanceSumCents)}${detail}`);
        }
        if (options.json !== true) {
          print(`ok: ${result.transfers} transfers in ${result.entries} entries, ${result.accounts} accounts, `
            + `${result.participants} participants, supply ${formatCents(result.supplyCents)}`);
        }
      }, { publish: false });
    });
}
