// roll generate | import | info
import type { Command } from 'commander';
import { importRollFile } from '../../app/roll-import-service.js';
import { loadConfig, readEnvironment } from '../../config/config.js';
import { generateRoll } from '../../roll/generate.js';
import { jurisdictionFor } from '../../roll/jurisdictions.js';
import { createProgress } from '../progress.js';
import { parsePositiveInteger, print, printJson, UsageError, withContext } from '../run.js';

const thousands = (n: number): string => n.toLocaleString('en-US');

export function registerRollCommands(program: Command): void {
  const roll = program.command('roll').description('the voter roll');

  roll.command('generate')
    .description('write a realistic anonymized sample roll in the state\'s export format (seeded, any size)')
    .requiredOption('--out <path>', 'ZIP file to write')
    .option('--voters <n>', 'number of voters', '20000')
    .option('--seed <n>', 'seed: the same seed gives byte-identical output', '1')
    .action(async (options: { out: string; voters: string; seed: string }) => {
      const voters = parsePositiveInteger(options.voters, '--voters');
      if (voters > 5_000_000) throw new UsageError('--voters must be at most 5000000');
      const seed = parsePositiveInteger(options.seed, '--seed');
      const config = loadConfig(readEnvironment());
      const progress = createProgress('generating', 'voters');
      try {
        const result = await generateRoll({ seed, voters, outputPath: options.out,
          jurisdiction: jurisdictionFor(config.stateOrProvince), onProgress: (done) => progress.update(done, voters) });
        progress.stop();
        print(`wrote ${thousands(result.voters)} voters to ${result.path} (sha256 ${result.sha256})`);
      } finally {
        progress.stop();
      }
    });

  roll.command('import')
    .description('import a voter roll export (ZIP, ZIP inside ZIP) atomically; migrates tentative voters')
    .argument('<zip>', 'the export file')
    .option('--district <n>', 'only this congressional district (default: VOTING_DISTRICT)')
    .option('--json', 'print the full import report as JSON')
    .action(async (zipPath: string, options: { district?: string; json?: boolean }) => {
      if (options.district !== undefined && !/^\d{1,2}$/.test(options.district)) throw new UsageError('--district must be a number');
      await withContext(async (context) => {
        const progress = createProgress('importing', 'bytes');
        const { report, activation } = await importRollFile(context, zipPath, {
          ...(options.district === undefined ? {} : { district: options.district }),
          onProgress: (done, total) => progress.update(done, total) });
        progress.stop();
        if (options.json === true) {
          printJson({ ...report, activation });
          return;
        }
        print(`generation ${report.generation}: ${thousands(report.votersImported)} voters from ${thousands(report.rowsRead)} rows in ${(report.durationMs / 1000).toFixed(1)} s`);
        print(`bad rows ${thousands(report.badRows)}, warnings ${thousands(report.warnings)}, other districts ${thousands(report.rowsFiltered)}; tentative voters migrated ${activation.migrated}, ambiguous ${activation.ambiguous}`);
        for (const issue of [...report.badRowReports, ...report.warningReports].slice(0, 20)) {
          print(`  ${issue.file}:${issue.line}: ${issue.reason}`);
        }
        const more = report.badRowReports.length + report.warningReports.length - 20;
        if (more > 0) print(`  … ${more} more (use --json for all)`);
      });
    });

  roll.command('info')
    .description('the current roll generation')
    .action(async () => {
      await withContext(async (context) => {
        const meta = await context.roll.meta();
        if (meta === null) print('no roll imported yet');
        else print(`generation ${meta.generation}: ${thousands(meta.voters)} voters from ${meta.source} (sha256 ${meta.sha256.slice(0, 16)}…) imported ${meta.importedAt}${meta.district === '' ? '' : `, district ${meta.district}`}`);
      }, { publish: false });
    });
}
