// Shared plumbing for CLI commands: configuration, context, one-line errors, exit codes.
import { ConfigError, loadConfig, readEnvironment } from '../config/config.js';
import { createLogger } from '../config/logger.js';
import { createContext, type AppContext } from '../app/context.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const exitCodes = { ok: 0, failure: 1, usage: 2 } as const;

/** Prints one line: the reason, never a stack (set DEBUG=1 for the stack). */
export function reportError(error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`delegate-network: ${message.split('\n').join('\n  ')}\n`);
  if (process.env.DEBUG === '1' && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
  return error instanceof UsageError || error instanceof ConfigError ? exitCodes.usage : exitCodes.failure;
}

/** Runs `body` with a fresh context, publishing the audit log afterwards and always closing. */
export async function withContext<T>(
  body: (context: AppContext) => Promise<T>, options: { publish?: boolean } = {},
): Promise<T> {
  const config = loadConfig(readEnvironment());
  // The CLI logs warnings only: its stdout is for results.
  const logger = createLogger(process.env.LOG_LEVEL === undefined ? 'warn' : config.logLevel, 'delegate-network-cli');
  const context = await createContext(config, logger);
  try {
    const result = await body(context);
    if (options.publish !== false) await context.publishLog();
    return result;
  } finally {
    await context.close();
  }
}

export function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A whole number from 0 (a duration in ms that may be none). */
export function parseWholeNumber(value: string, what: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${what} must be a whole number from 0, got "${value}"`);
  }
  return Number(value);
}

export function parsePositiveInteger(value: string, what: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${what} must be a positive whole number, got "${value}"`);
  }
  return Number(value);
}
