// Spawns and supervises a private redis-server: the one-machine default (SPEC §10: REDIS_URL and
// REDIS_SOCKET unset). AOF with `appendfsync always` so an acknowledged write survives kill -9.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

export const redisStartTimeoutMs = 10_000;
export const redisStopTimeoutMs = 10_000;
const readyPollIntervalMs = 25;

export interface RedisServerOptions {
  /** Directory for the socket, AOF and RDB files; created if missing. */
  dir: string;
  /** Extra `--name value` arguments, e.g. { save: '' }. */
  extra?: Record<string, string>;
  /** redis-server binary; default from PATH. */
  binary?: string;
}

export class RedisServerError extends Error {
  override name = 'RedisServerError';
}

/** A redis-server child process listening only on a unix socket inside `dir`. */
export class RedisServer {
  readonly dir: string;
  readonly socketPath: string;
  private child: ChildProcess | undefined;
  private stderrTail = '';
  private exited = false;

  constructor(private readonly options: RedisServerOptions) {
    this.dir = resolve(options.dir);
    // Unix socket paths are limited to 107 bytes; fail early with a clear reason.
    this.socketPath = join(this.dir, 'redis.sock');
    if (Buffer.byteLength(this.socketPath) > 100) {
      throw new RedisServerError(`redis socket path too long (${this.socketPath}); use a shorter data dir`);
    }
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && !this.exited;
  }

  async start(): Promise<void> {
    if (this.running) throw new RedisServerError('redis-server already started');
    mkdirSync(this.dir, { recursive: true });
    if (existsSync(this.socketPath)) rmSync(this.socketPath);
    const args = [
      '--port', '0',
      '--unixsocket', this.socketPath,
      '--unixsocketperm', '700',
      '--dir', this.dir,
      '--appendonly', 'yes',
      '--appendfsync', 'always',
      '--save', '',
      '--daemonize', 'no',
      '--protected-mode', 'yes',
      '--loglevel', 'warning',
    ];
    for (const [name, value] of Object.entries(this.options.extra ?? {})) args.push(`--${name}`, value);
    this.exited = false;
    this.stderrTail = '';
    const child = spawn(this.options.binary ?? 'redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keepTail = (chunk: Buffer): void => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-2000);
    };
    child.stdout?.on('data', keepTail);
    child.stderr?.on('data', keepTail);
    const spawnFailure = new Promise<never>((_, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        this.exited = true;
        const hint = error.code === 'ENOENT' ? ' (is redis-server installed? ./scripts/start installs it)' : '';
        reject(new RedisServerError(`cannot start redis-server: ${error.message}${hint}`));
      });
    });
    child.once('exit', () => {
      this.exited = true;
    });
    await Promise.race([this.waitReady(), spawnFailure]);
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + redisStartTimeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new RedisServerError(`redis-server exited during start: ${this.stderrTail.trim()}`);
      if (existsSync(this.socketPath)) {
        const probe = new Redis({ path: this.socketPath, lazyConnect: true, maxRetriesPerRequest: 0,
          retryStrategy: () => null });
        try {
          await probe.connect();
          // LOADING replies mean the AOF is still being replayed; keep waiting.
          const pong = await probe.ping();
          if (pong === 'PONG') return;
        } catch {
          // not ready yet
        } finally {
          probe.disconnect();
        }
      }
      await sleep(readyPollIntervalMs);
    }
    throw new RedisServerError(`redis-server not ready after ${redisStartTimeoutMs} ms: ${this.stderrTail.trim()}`);
  }

  /** Graceful stop: SIGTERM makes redis fsync the AOF and exit. */
  async stop(): Promise<void> {
    await this.signalAndWait('SIGTERM');
  }

  /** Crash simulation for tests: no chance to flush anything. */
  async kill9(): Promise<void> {
    await this.signalAndWait('SIGKILL');
  }

  private async signalAndWait(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (child === undefined || this.exited) return;
    const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
    child.kill(signal);
    // The deadline timer must not keep the process alive once redis has exited.
    const deadline = new AbortController();
    const timeout = sleep(redisStopTimeoutMs, 'timeout' as const, { signal: deadline.signal }).catch(() => 'exited' as const);
    const first = await Promise.race([exited.then(() => 'exited' as const), timeout]);
    deadline.abort();
    if (first === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
  }
}
