// Text-message receipts on a real redis-server: queued in the payment's own commit for opted-in
// recipients only, delivered through the file and webhook adapters, retried with back-off when the
// sender is down, kept in a failed list after the last attempt, and requeued after a crash.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type AppContext } from '../../src/app/context.js';
import { importRollFile } from '../../src/app/roll-import-service.js';
import {
  FileSmsSender, smsAttemptCountMax, SmsSendError, WebhookSmsSender, type SmsMessage, type SmsSender,
} from '../../src/app/sms-outbox.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/config/logger.js';
import { writeIowaZip, type HandVoter } from '../support/iowa-zip.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

const voters: HandVoter[] = [
  { id: '8001', first: 'sue', last: 'sender', city: 'ames', county: 'story', phone: '5155558001' },
  { id: '8002', first: 'rob', last: 'reader', city: 'adel', county: 'dallas', phone: '5155558002' },
  { id: '8003', first: 'quinn', last: 'quiet', city: 'ames', county: 'story', phone: '5155558003' },
];
const farFutureMs = 10 * 24 * 60 * 60 * 1000;

const failing: SmsSender = { send: () => Promise.reject(new SmsSendError('provider down')) };

describe('app/sms-outbox: durable, retried text-message receipts', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let dir: string;
  let context: AppContext;

  async function queued(): Promise<SmsMessage[]> {
    const raw = await context.connection.redis.lrange(context.sms.outboxKey, 0, -1);
    return raw.map((line) => JSON.parse(line) as SmsMessage);
  }

  before(async () => {
    redis = await startTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'dn-sms-'));
    const config = loadConfig({ REDIS_SOCKET: redis.server.socketPath, DATA_DIR: dir, SOVEREIGN_PHONES: '5155558001' });
    context = await createContext(config, createLogger('silent'));
    await writeIowaZip(join(dir, 'roll.zip'), voters);
    await importRollFile(context, join(dir, 'roll.zip'));
    const sue = await context.callers.byVoterId('8001', 'cli');
    await context.money.mint(sue, { to: { voter: '8001' }, amountCents: 10_000, idempotencyKey: 'sms-mint-1' });
  });
  after(async () => {
    await context.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('queues a receipt in the payment commit for opted-in recipients only, once per payment', async () => {
    const [sue, rob] = [await context.callers.byVoterId('8001', 'cli'), await context.callers.byVoterId('8002', 'cli')];
    await context.sms.setOptIn(rob, context.committer, true);
    expect(await context.sms.optedIn('8002')).to.equal(true);
    await context.money.pay(sue, { to: { voter: '8002' }, amountCents: 1025, idempotencyKey: 'sms-pay-01' });
    await context.money.pay(sue, { to: { voter: '8002' }, amountCents: 1025, idempotencyKey: 'sms-pay-01' });
    await context.money.pay(sue, { to: { voter: '8003' }, amountCents: 100, idempotencyKey: 'sms-pay-02' });
    const messages = await queued();
    expect(messages.map((message) => [message.voter, message.text, message.attempts])).to.deep.equal([
      ['8002', 'you received $10.25 from Sue Sender of Ames', 0]]);
    // The opt-in is public in the log; the phone is not.
    await context.auditLog.sealAll();
    expect((await context.auditLog.newest(4)).map((entry) => entry.text)).to.include('opts in to text-message receipts');
  });

  it('keeps the message when the sender is down and retries it with back-off', async () => {
    const now = Date.now();
    expect(await context.sms.deliver(failing, context.roll, now)).to.deep.equal({ sent: 0, failed: 1 });
    const [message] = await queued();
    expect(message?.attempts).to.equal(1);
    expect(message?.dueMs).to.be.greaterThan(now);
    // Not due yet: nothing is sent, nothing is lost.
    const file = join(dir, 'sms.jsonl');
    expect(await context.sms.deliver(new FileSmsSender(file), context.roll, now)).to.deep.equal({ sent: 0, failed: 0 });
    expect(await queued()).to.have.length(1);
    expect(await context.sms.deliver(new FileSmsSender(file), context.roll, now + farFutureMs))
      .to.deep.equal({ sent: 1, failed: 0 });
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.deep.include({ to: '5155558002', text: 'you received $10.25 from Sue Sender of Ames' });
    expect(await queued()).to.deep.equal([]);
    expect(await context.connection.redis.llen(context.sms.processingKey)).to.equal(0);
  });

  it('moves a message to the failed list after the last attempt', async () => {
    const sue = await context.callers.byVoterId('8001', 'cli');
    await context.money.pay(sue, { to: { voter: '8002' }, amountCents: 5, idempotencyKey: 'sms-pay-03' });
    for (let attempt = 0; attempt < smsAttemptCountMax; attempt += 1) {
      await context.sms.deliver(failing, context.roll, Date.now() + farFutureMs * (attempt + 1));
    }
    expect(await queued()).to.deep.equal([]);
    const failed = await context.connection.redis.lrange(context.sms.failedKey, 0, -1);
    expect(failed.map((raw) => (JSON.parse(raw) as SmsMessage).attempts)).to.deep.equal([smsAttemptCountMax]);
  });

  it('requeues what a crashed deliverer had taken', async () => {
    const sue = await context.callers.byVoterId('8001', 'cli');
    await context.money.pay(sue, { to: { voter: '8002' }, amountCents: 6, idempotencyKey: 'sms-pay-04' });
    await context.connection.redis.lmove(context.sms.outboxKey, context.sms.processingKey, 'LEFT', 'RIGHT');
    expect(await queued()).to.deep.equal([]);
    expect(await context.sms.requeueProcessing()).to.equal(1);
    expect((await queued()).map((message) => message.text)).to.deep.equal(['you received $0.06 from Sue Sender of Ames']);
  });

  it('posts to the provider webhook and treats a non-2xx answer as a failure', async () => {
    const received: string[] = [];
    let status = 200;
    const server: Server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => { body += chunk.toString(); });
      request.on('end', () => {
        received.push(body);
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
      const sender = new WebhookSmsSender(url);
      await sender.send({ id: 'abc', to: '5155558002', text: 'hello' });
      expect(JSON.parse(received[0] ?? '{}')).to.deep.equal({ id: 'abc', to: '5155558002', text: 'hello' });
      status = 503;
      let error: unknown = null;
      try {
        await sender.send({ id: 'abd', to: '5155558002', text: 'hello' });
      } catch (failure) { error = failure; }
      expect(error).to.be.instanceOf(SmsSendError);
      expect((error as Error).message).to.match(/503/);
      expect(await context.sms.deliver(sender, context.roll, Date.now() + farFutureMs))
        .to.deep.equal({ sent: 0, failed: 1 });
      status = 200;
      expect(await context.sms.deliver(sender, context.roll, Date.now() + 2 * farFutureMs))
        .to.deep.equal({ sent: 1, failed: 0 });
      expect(JSON.parse(received.at(-1) ?? '{}'))
        .to.deep.include({ to: '5155558002', text: 'you received $0.06 from Sue Sender of Ames' });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
