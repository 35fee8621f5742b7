// One pino logger per process. Logs go to stderr so CLI output on stdout stays machine-readable.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, name = 'delegate-network'): Logger {
  return pino({ name, level, base: { pid: process.pid } }, pino.destination(2));
}
