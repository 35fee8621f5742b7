#!/usr/bin/env node
// delegate-network: the operator's and auditor's command line.
import { Command, CommanderError } from 'commander';
import { registerAsrWorkerCommand } from './commands/asr-worker.js';
import { registerBillCommands } from './commands/bills.js';
import { registerCorpusCommands } from './commands/corpus.js';
import { registerDemocracyCommands } from './commands/democracy.js';
import { registerLogCommands } from './commands/log.js';
import { registerPkiCommands } from './commands/pki.js';
import { registerMoneyCommands } from './commands/money.js';
import { registerRollCommands } from './commands/roll.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSnapshotCommands } from './commands/snapshot.js';
import { registerTallyCommands } from './commands/tally.js';
import { exitCodes, reportError } from './run.js';

export function buildProgram(): Command {
  const program = new Command('delegate-network')
    .description('The Delegate Network: liquid democracy by telephone. Configuration comes from the environment and .env.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerServeCommand(program);
  registerRollCommands(program);
  registerBillCommands(program);
  registerDemocracyCommands(program);
  registerTallyCommands(program);
  registerLogCommands(program);
  registerMoneyCommands(program);
  registerSnapshotCommands(program);
  registerPkiCommands(program);
  registerAsrWorkerCommand(program);
  registerCorpusCommands(program);
  return program;
}

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed help or the usage problem.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    return reportError(error);
  }
}

process.exitCode = await main(process.argv);
