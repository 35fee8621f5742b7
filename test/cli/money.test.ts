// Delegate money through the real CLI binary on a real redis-server: balance, pay (idempotent),
// mint (sovereigns only), demurrage runs, ledger verify, and one-line errors that change nothing.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { CliSession, type CliResult } from '../support/cli.js';
import { writeIowaZip, type HandVoter } from '../support/iowa-zip.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

const voters: HandVoter[] = [
  { id: '6001', first: 'sara', last: 'sovereign', city: 'ames', county: 'story', phone: '515-555-0601' },
  { id: '6002', first: 'paul', last: 'payer', city: 'adel', county: 'dallas', phone: '515-555-0602' },
  { id: '6003', first: 'rita', last: 'receiver', city: 'ames', county: 'story', phone: '515-555-0603' },
  { id: '6004', first: 'dan', last: 'delegate', city: 'ames', county: 'story', phone: '515-555-0604' },
];
const phonesDigits = voters.map((voter) => voter.phone.replace(/\D/g, ''));

describe('cli: money and ledger commands end to end', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let dir: string;
  const session = new CliSession();
  const outputs = session.outputs;
  const cli = (...args: string[]): Promise<CliResult> => session.run(...args);
  const ok = (...args: string[]): Promise<string> => session.ok(...args);

  before(async () => {
    redis = await startTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'dn-cli-money-'));
    session.env = { REDIS_SOCKET: redis.server.socketPath, DATA_DIR: dir, AUDIT_LOG: join(dir, 'audit_log.txt'),
      SOVEREIGN_PHONES: "['515-555-0601']", NUMBER_OF_ACTIVATIONS_TO_REWARD: '10', DEMURRAGE_RATE_BASIS_POINTS: '100',
      DEMURRAGE_PERIOD: 'month' };
    await writeIowaZip(join(dir, 'roll.zip'), voters);
    await ok('roll', 'import', join(dir, 'roll.zip'));
  });
  after(async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rewards the first delegation and shows the balance', async () => {
    expect(await ok('delegate', '6002', '6004')).to.match(/^#\d+ Paul Payer of Adel delegates -> Dan Delegate of Ames$/m);
    expect(await ok('money', 'balance', '6002')).to.equal('Paul Payer of Adel: $9.00\n');
    expect(JSON.parse(await ok('money', 'balance', '515-555-0602', '--json'))).to.deep.equal(
      { voter: '6002', name: 'Paul Payer of Adel', cents: 900 });
  });

  it('mints as a sovereign and pays with an idempotency key, once', async () => {
    expect(await ok('money', 'mint', '6001', '6002', 'ten dollars and twenty five cents', '--key', 'cli-mint-1'))
      .to.match(/^#\d+ Sara Sovereign of Ames mints \$10\.25 to Paul Payer of Adel$/m);
    expect(await ok('money', 'pay', '6002', '6003', '$4.50', '--key', 'cli-pay-01'))
      .to.match(/pays \$4\.50 to Rita Receiver of Ames/);
    expect(await ok('money', 'pay', '6002', '6003', '$4.50', '--key', 'cli-pay-01')).to.match(/^already done: .*nothing moved/);
    expect(await ok('money', 'pay', '6002', '515-555-0699', '1', '--key', 'cli-pay-02'))
      .to.match(/pays \$1\.00 to 515-555-XXXX unregistered/);
    expect(await ok('money', 'balance', '6002')).to.equal('Paul Payer of Adel: $13.75\n');
    expect(await ok('money', 'balance', '6003')).to.equal('Rita Receiver of Ames: $4.50\n');
    expect(await ok('ledger', 'verify')).to.match(/^ok: 4 transfers in \d+ entries, \d+ accounts, 1 participants, supply \$19\.25$/m);
  });

  it('runs demurrage once per period and keeps the books exact', async () => {
    expect(await ok('money', 'demurrage', 'run', '--period', '2026-10')).to.match(
      /^demurrage 2026-10: charged \$0\.18 from 3 accounts, paid \$0\.18 to each of 1 participants, \$0\.00 carried$/m);
    expect(await ok('money', 'demurrage', 'run', '--period', '2026-10')).to.match(/already done/);
    expect(await ok('money', 'balance', '6003')).to.equal('Rita Receiver of Ames: $4.46\n');
    expect(await ok('ledger', 'verify')).to.match(/^ok: /);
    expect(await ok('log', 'verify')).to.match(/^ok/);
  });

  it('gives a one-line reason and a non-zero exit for bad input, and changes nothing', async function () {
    // Twelve CLI processes one after another: ~1 s each on a quiet machine, over 60 s on a loaded one.
    this.timeout(180_000);
    const before = await ok('ledger', 'verify');
    const cases: Array<[string[], number, RegExp]> = [
      [['money', 'pay', '6002', '6003', '10.255', '--key', 'bad-key-01'], 2, /fraction of a cent/],
      [['money', 'pay', '6002', '6003', '-5', '--key', 'bad-key-02'], 2, /negative/],
      [['money', 'pay', '6002', '6003', 'lots', '--key', 'bad-key-03'], 2, /not an amount/],
      [['money', 'pay', '6002', '6003', '5000000', '--key', 'bad-key-04'], 2, /more than the maximum/],
      [['money', 'pay', '6002', '6003', '500', '--key', 'bad-key-05'], 1, /insufficient funds: balance \$13\.80/],
      [['money', 'pay', '6002', '6002', '1', '--key', 'bad-key-06'], 1, /cannot pay themselves/],
      [['money', 'pay', '6002', '9999', '1', '--key', 'bad-key-07'], 2, /not in the current roll/],
      [['money', 'pay', '6002', '6003', '1'], 2, /--key/],
      [['money', 'mint', '6002', '6003', '1', '--key', 'bad-key-08'], 1, /sovereign/],
      [['money', 'demurrage', 'run', '--period', '2026-W01'], 2, /--period must be a month/],
    ];
    for (const [args, code, message] of cases) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).to.equal(code);
      expect(result.stderr, args.join(' ')).to.match(message);
      expect(result.stderr.trim().split('\n').length, args.join(' ')).to.be.at.most(3);
    }
    expect(await ok('ledger', 'verify')).to.equal(before);
  });

  it('fails ledger verify loudly after tampering with a balance', async () => {
    const client = new Redis({ path: redis.server.socketPath });
    try {
      await client.hincrby('{ia}:balance', '6003', 100);
      const result = await cli('ledger', 'verify');
      expect(result.code).to.equal(1);
      expect(result.stderr).to.match(/ledger verify FAILED: 1 account problem\(s\).*account 6003 holds \$5\.46 but its journal entries sum to \$4\.46/);
      await client.hincrby('{ia}:balance', '6003', -100);
      expect(await ok('ledger', 'verify')).to.match(/^ok/);
    } finally {
      client.disconnect();
    }
  });

  it('registers property, escrows a bid and settles it; opts a voter in to receipts', async () => {
    expect(await ok('money', 'receipts', '6003', 'on')).to.equal('Rita Receiver of Ames: text-message receipts on\n');
    expect(await ok('money', 'property', 'register', '6004', '100', 'Old', 'barn', '--key', 'prop-key-1'))
      .to.match(/registers property p1 "Old barn" at \$100\.00; \$100\.00 to each of 1 sovereigns/);
    expect(await ok('money', 'property', 'bid', '6003', 'p1', '2', '--key', 'bid-key-01')).to.match(/bids \$2\.00 on p1 "Old barn"/);
    expect(await ok('money', 'property', 'accept', '6004', 'p1'))
      .to.match(/Dan Delegate of Ames accepts \$2\.00 from Rita Receiver of Ames for p1/);
    expect(await ok('money', 'balance', '6004')).to.equal('Dan Delegate of Ames: -$98.00\n');
    expect(await ok('ledger', 'verify')).to.match(/^ok: /);
  });

  it('never publishes a full phone number', () => {
    const published = [readFileSync(join(dir, 'audit_log.txt'), 'utf8'), readFileSync(join(dir, 'audit_log.jsonl'), 'utf8'), ...outputs];
    expect(published.join('')).to.match(/mints \$10\.25/);
    for (const text of published) {
      const digitsOnly = text.replace(/[-() ]/g, '');
      for (const phone of [...phonesDigits, '5155550699']) expect(digitsOnly.includes(phone), `phone ${phone.slice(0, 3)}… published`).to.equal(false);
    }
  });
});
