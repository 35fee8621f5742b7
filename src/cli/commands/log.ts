// log verify | publish | show
import type { Command } from 'commander';
import { ChainVerifier, textLine } from '../../core/audit-entry.js';
import { loadConfig, readEnvironment } from '../../config/config.js';
import { verifyLogFiles } from '../../store/log-files.js';
import { print, parsePositiveInteger, UsageError, withContext } from '../run.js';

export class VerificationFailed extends Error {
  override name = 'VerificationFailed';
}

export function registerLogCommands(program: Command): void {
  const log = program.command('log').description('the public audit log');

  log.command('verify')
    .description('check the hash chain of the published log files (default: AUDIT_LOG), or of the store')
    .option('--jsonl <path>', 'JSON-lines file to verify')
    .option('--text <path>', 'text file to check against the JSON lines')
    .option('--store', 'verify the chain as stored in Redis instead of the files')
    .action(async (options: { jsonl?: string; text?: string; store?: boolean }) => {
      if (options.store === true) {
        await withContext(async (context) => {
          await context.auditLog.sealAll();
          const verifier = new ChainVerifier();
          for await (const entry of context.auditLog.readSealed()) {
            const problem = verifier.push(entry.seq, entry);
            if (problem !== null) throw new VerificationFailed(`store: entry ${problem.seq}: ${problem.reason}`);
          }
          print(`ok: ${verifier.count} entries, head ${verifier.head}`);
        }, { publish: false });
        return;
      }
      const config = loadConfig(readEnvironment());
      const jsonPath = options.jsonl ?? config.auditLogJsonPath;
      const textPath = options.text ?? (options.jsonl === undefined ? config.auditLogPath : null);
      const result = await verifyLogFiles({ jsonPath, textPath });
      if (!result.ok) {
        throw new VerificationFailed(`${result.file}: first bad entry is seq ${result.problem.seq} (line ${result.problem.line}): ${result.problem.reason}; ${result.count} entries before it verify`);
      }
      print(`ok: ${result.count} entries, head ${result.head}`);
    });

  log.command('publish')
    .description('seal new entries and append them to the public files (AUDIT_LOG and .jsonl)')
    .action(async () => {
      await withContext(async (context) => {
        const appended = await context.publishLog();
        print(`appended ${appended} entries to ${context.config.auditLogPath} and ${context.config.auditLogJsonPath}`);
      }, { publish: false });
    });

  log.command('show')
    .description('print the newest entries')
    .option('--limit <n>', 'how many', '20')
    .action(async (options: { limit: string }) => {
      const limit = parsePositiveInteger(options.limit, '--limit');
      if (limit > 10_000) throw new UsageError('--limit must be at most 10000');
      await withContext(async (context) => {
        await context.auditLog.sealAll();
        for (const entry of await context.auditLog.newest(limit)) print(textLine(entry));
      });
    });
}
