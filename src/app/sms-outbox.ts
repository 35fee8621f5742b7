// Text-message receipts for recipients who opted in (SPEC §4): "you received $10.25 from John Doe
// of Ames". The message is queued in a Redis list by the same commit that moves the money, so a
// receipt is never lost and never sent for a payment that did not happen. A deliverer moves one
// message at a time to a processing list (LMOVE, atomic), sends it through the SmsSender port, and
// removes it on success; a failure puts it back with a later due time, up to a bounded number of
// attempts, after which it is kept in a failed list for the operator. Messages left in processing
// by a crashed deliverer are requeued at start-up: delivery is at least once, and each message
// carries a stable id so the provider can drop a repeat.
import { appendFile } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import type { Logger } from '../config/logger.js';
import type { Caller } from '../core/caller.js';
import { assertMayRecord } from '../core/caller.js';
import type { VoterId } from '../core/voter.js';
import type { Committer, Write } from '../store/commit.js';
import type { JurisdictionKeys } from '../store/keys.js';
import type { RollStore } from '../store/roll-store.js';

export const smsAttemptCountMax = 8;
export const smsRetryDelayBaseMs = 1_000;
export const smsRetryDelayMaxMs = 15 * 60 * 1000;
export const smsWebhookTimeoutMs = 10_000;
export const smsDeliverBatchMax = 100;
export const smsDeliverIntervalMs = 5_000;

export interface SmsMessage {
  id: string;
  voter: VoterId;
  text: string;
  attempts: number;
  /** Not before this time (ms since the epoch): the retry back-off. */
  dueMs: number;
}

/** The port: one adapter per provider. Throws when the provider did not accept the message. */
export interface SmsSender {
  send(message: { id: string; to: string; text: string }): Promise<void>;
}

export class SmsSendError extends Error {
  override name = 'SmsSendError';
}

/** The operator's SMS provider behind an HTTP webhook: POST {id, to, text} as JSON; 2xx = accepted. */
export class WebhookSmsSender implements SmsSender {
  constructor(private readonly url: string, private readonly timeoutMs = smsWebhookTimeoutMs) {}

  async send(message: { id: string; to: string; text: string }): Promise<void> {
    const response = await fetch(this.url, {
      method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': message.id },
      body: JSON.stringify(message), signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) throw new SmsSendError(`SMS webhook answered ${response.status} ${response.statusText}`);
  }
}

/** Local runs: appends each message as a JSON line to a file instead of sending it. */
export class FileSmsSender implements SmsSender {
  constructor(private readonly path: string) {}

  async send(message: { id: string; to: string; text: string }): Promise<void> {
    await appendFile(this.path, `${JSON.stringify(message)}\n`);
  }
}

export function retryDelayMs(attempts: number): number {
  return Math.min(smsRetryDelayMaxMs, smsRetryDelayBaseMs * 2 ** Math.min(attempts, 20));
}

export class SmsOutbox {
  constructor(private readonly redis: Redis, private readonly keys: JurisdictionKeys) {}

  get optInKey(): string {
    return this.keys.key('sms', 'optin');
  }

  get outboxKey(): string {
    return this.keys.key('sms', 'outbox');
  }

  get processingKey(): string {
    return this.keys.key('sms', 'processing');
  }

  get failedKey(): string {
    return this.keys.key('sms', 'failed');
  }

  async optedIn(voter: VoterId): Promise<boolean> {
    return (await this.redis.hget(this.optInKey, voter)) !== null;
  }

  /** Opting in or out is the voter's own choice: verified callers only, and logged. */
  async setOptIn(caller: Caller, committer: Committer, optIn: boolean): Promise<void> {
    assertMayRecord(caller);
    const write: Write = optIn ? { op: 'hset', key: this.optInKey, field: caller.voterId, value: '1' }
      : { op: 'hdel', key: this.optInKey, field: caller.voterId };
    await committer.commit({ guards: [], writes: [write], entries: [{ actor: caller.actor, actorId: caller.voterId,
      channel: caller.channel, text: optIn ? 'opts in to text-message receipts' : 'opts out of text-message receipts',
      event: { type: 'sms-opt-in', voter: caller.voterId, optIn } }] });
  }

  /** The write that queues a receipt; the caller puts it into the commit that moves the money. */
  receiptWrite(message: { id: string; voter: VoterId; text: string }, nowMs: number): Write {
    const queued: SmsMessage = { ...message, attempts: 0, dueMs: nowMs };
    return { op: 'rpush', key: this.outboxKey, value: JSON.stringify(queued) };
  }

  /** After a crash, messages a deliverer had taken are due again. */
  async requeueProcessing(): Promise<number> {
    let moved = 0;
    while ((await this.redis.lmove(this.processingKey, this.outboxKey, 'RIGHT', 'LEFT')) !== null) moved += 1;
    return moved;
  }

  /**
   * Delivers due messages, at most `smsDeliverBatchMax` per call. Messages not yet due go back to
   * the end of the queue. Returns how many were sent.
   */
  async deliver(sender: SmsSender, roll: RollStore, nowMs = Date.now()): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    for (let taken = 0; taken < smsDeliverBatchMax; taken += 1) {
      const raw = await this.redis.lmove(this.outboxKey, this.processingKey, 'LEFT', 'RIGHT');
      if (raw === null) break;
      const message = JSON.parse(raw) as SmsMessage;
      if (message.dueMs > nowMs) {
        await this.redis.multi().lrem(this.processingKey, 1, raw).rpush(this.outboxKey, raw).exec();
        continue;
      }
      const phone = (await roll.getVoter(message.voter))?.phone ?? null;
      try {
        if (phone === null) throw new SmsSendError(`voter ${message.voter} has no phone in the roll`);
        await sender.send({ id: message.id, to: phone, text: message.text });
        await this.redis.lrem(this.processingKey, 1, raw);
        sent += 1;
      } catch {
        const next: SmsMessage = {
          ...message, attempts: message.attempts + 1, dueMs: nowMs + retryDelayMs(message.attempts) };
        const target = next.attempts >= smsAttemptCountMax ? this.failedKey : this.outboxKey;
        await this.redis.multi().lrem(this.processingKey, 1, raw).rpush(target, JSON.stringify(next)).exec();
        failed += 1;
      }
    }
    return { sent, failed };
  }
}

/** The configured adapter: the provider's webhook if set, else a local file, else none (receipts wait). */
export function smsSenderFromConfig(
  config: { smsWebhookUrl: string | null; smsOutboxFile: string | null },
): SmsSender | null {
  if (config.smsWebhookUrl !== null) return new WebhookSmsSender(config.smsWebhookUrl);
  if (config.smsOutboxFile !== null) return new FileSmsSender(config.smsOutboxFile);
  return null;
}

/** The server's deliverer: requeues after a crash, then delivers due receipts every few seconds. */
export function startSmsDeliverer(options: {
  outbox: SmsOutbox; sender: SmsSender; roll: RollStore; logger: Logger; intervalMs?: number;
}): () => Promise<void> {
  let running: Promise<void> | null = null;
  let requeued = false;
  const work = async (): Promise<void> => {
    if (!requeued) {
      const moved = await options.outbox.requeueProcessing();
      requeued = true;
      if (moved > 0) options.logger.info({ moved }, 'requeued receipts a stopped deliverer had taken');
    }
    const result = await options.outbox.deliver(options.sender, options.roll);
    if (result.failed > 0) options.logger.warn(result, 'some text-message receipts failed; they will be retried');
  };
  const tick = (): void => {
    if (running !== null) return;
    running = work()
      .catch((error: unknown) => options.logger.error({ err: error }, 'receipt delivery failed; retrying on the next tick'))
      .finally(() => { running = null; });
  };
  const timer = setInterval(tick, options.intervalMs ?? smsDeliverIntervalMs);
  timer.unref();
  tick();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
