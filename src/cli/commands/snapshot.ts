// snapshot export | import
import type { Command } from 'commander';
import { exportSnapshot, importSnapshot } from '../../app/snapshot-service.js';
import { parsePositiveInteger, print, withContext } from '../run.js';

export function registerSnapshotCommands(program: Command): void {
  const snapshot = program.command('snapshot').description('public state at an audit-log sequence number');

  snapshot.command('export')
    .description('write all public state (no phones) as gzipped JSON lines')
    .argument('<file>', 'output file, e.g. snapshot.jsonl.gz')
    .option('--at <seq>', 'as of this sequence number (default: newest)')
    .action(async (file: string, options: { at?: string }) => {
      const at = options.at === undefined ? null : parsePositiveInteger(options.at, '--at');
      await withContext(async (context) => {
        const { seq, lines } = await exportSnapshot(context, file, at);
        print(`wrote snapshot at #${seq} (${lines.toLocaleString('en-US')} lines) to ${file}`);
      });
    });

  snapshot.command('import')
    .description('load a snapshot into an empty store, e.g. to re-check its tallies')
    .argument('<file>', 'snapshot file')
    .action(async (file: string) => {
      await withContext(async (context) => {
        const { seq, voters } = await importSnapshot(context, file);
        print(`imported snapshot of #${seq}: ${voters.toLocaleString('en-US')} voters`);
      });
    });
}
