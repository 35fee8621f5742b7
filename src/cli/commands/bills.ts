// bills import|add|list
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { billIdFromNumber, generatedBillId } from '../../bills/bill-number.js';
import { loadFeedText, parseBillsFeed } from '../../bills/house-feed.js';
import { billLabel } from '../../app/democracy-service.js';
import { print, printJson, UsageError, withContext } from '../run.js';

export function registerBillCommands(program: Command): void {
  const bills = program.command('bills').description('bills before the House');

  bills.command('import')
    .description('import this week\'s bills from the House "Bills This Week" Atom feed')
    .argument('<source>', 'file path or http(s) URL of the feed')
    .action(async (source: string) => {
      const { week, bills: parsed } = parseBillsFeed(await loadFeedText(source, (path) => readFile(path, 'utf8')));
      await withContext(async (context) => {
        const { added, updated } = await context.democracy.addBills(parsed, 'import');
        print(`week of ${week}: ${parsed.length} items, ${added} added, ${updated} updated`);
      });
    });

  bills.command('add')
    .description('add a bill by hand')
    .argument('<number>', 'printed number, e.g. "H.R. 1234" (or "" for an item without a number)')
    .argument('<title>', 'title')
    .option('--week <date>', 'week (YYYY-MM-DD)', '')
    .action(async (number: string, title: string, options: { week: string }) => {
      if (options.week !== '' && !/^\d{4}-\d\d-\d\d$/.test(options.week)) throw new UsageError('--week must be YYYY-MM-DD');
      if (title.trim().length === 0) throw new UsageError('a bill needs a title');
      const id = number.trim() === '' ? generatedBillId(options.week, title) : billIdFromNumber(number);
      if (id === null) throw new UsageError(`"${number}" is not a bill number like "H.R. 1234" or "S. 789"`);
      await withContext(async (context) => {
        const { added } = await context.democracy.addBills([{ id, number: number.trim(), title: title.trim(), week: options.week }], 'cli');
        print(`${added === 1 ? 'added' : 'updated'} ${id}`);
      });
    });

  bills.command('list')
    .description('list bills, newest week first')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      await withContext(async (context) => {
        const all = await context.store.bills();
        if (options.json === true) printJson(all);
        else for (const bill of all) print(`${bill.id.padEnd(18)} ${bill.week || '          '}  ${billLabel(bill)}  ${bill.title}`);
      }, { publish: false });
    });
}
