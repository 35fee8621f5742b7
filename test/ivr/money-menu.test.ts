// The money menu on a scripted call against a real redis-server: the main menu only for callers with
// money or sovereign minters; balance; pay by keyed phone and cents with a read-back; decline,
// insufficient funds, over the maximum, a phone outside the roll (tentative wallet), voters sharing
// a phone; sovereign mint; unverified callers cannot pay; and a lost reply retried with the same
// idempotency key pays once. Every payment is checked in balances, `ledger verify` and the log.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createContext, type AppContext } from '../../src/app/context.js';
import type { MoneyService } from '../../src/app/money-service.js';
import { importRollFile } from '../../src/app/roll-import-service.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/config/logger.js';
import { runDialog, type DialogEnd } from '../../src/ivr/dialog.js';
import { mainMenuLongPrompt, mainMenuPrompt } from '../../src/ivr/main-menu.js';
import { moneyLongPrompt, moneyPrompt, sovereignMoneyLongPrompt } from '../../src/ivr/money-menu.js';
import { amountPrompt } from '../../src/ivr/money-transfer.js';
import { politicsLongPrompt } from '../../src/ivr/politics-menu.js';
import { notVerifiedSentence, type TranscriptLine } from '../../src/ivr/session.js';
import { defaultDialogTimings } from '../../src/ivr/verb.js';
import { jurisdictionFor } from '../../src/roll/jurisdictions.js';
import type { TrustDecision } from '../../src/trust/trust-policy.js';
import { writeIowaZip, type HandVoter } from '../support/iowa-zip.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { ScriptedChannel, unverifiedDecision, verifiedDecision } from './support/scripted-channel.js';

const pat: HandVoter = { id: '3001', first: 'pat', last: 'payer', city: 'ames', county: 'story', phone: '5155550301' };
const john: HandVoter = { id: '3002', first: 'john', middle: 'quincy', last: 'doe', city: 'ames', county: 'story', phone: '5155550302' };
const sal: HandVoter = { id: '3003', first: 'sal', last: 'sovereign', city: 'adel', county: 'dallas', phone: '5155550303' };
const nan: HandVoter = { id: '3004', first: 'nan', last: 'nomoney', city: 'boone', county: 'boone', phone: '5155550304' };
const kim: HandVoter = { id: '3005', first: 'kim', last: 'shared', city: 'ames', county: 'story', phone: '5155550305' };
const lee: HandVoter = { id: '3006', first: 'lee', last: 'shared', city: 'ames', county: 'story', phone: '5155550305' };
const outsider = '5155550399';

describe('ivr/money-menu: balance, pay and mint on a scripted call', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let dir: string;
  let context: AppContext;
  let calls = 0;

  async function dial(
    phone: string, script: string[], options: { decision?: TrustDecision; money?: MoneyService } = {},
  ): Promise<{ end: DialogEnd; said: string[] }> {
    const transcript: TranscriptLine[] = [];
    calls += 1;
    const end = await runDialog(new ScriptedChannel(`money-${calls}`, script), options.decision ?? verifiedDecision(phone), {
      context: options.money === undefined ? context : { ...context, money: options.money },
      redis: context.connection.redis, logger: pino({ level: 'silent' }), jurisdiction: jurisdictionFor('iowa'),
      synthesizer: { synthesize: async () => new Int16Array(8) }, timings: defaultDialogTimings,
      captchaDigits: () => 4, tellMeAboutText: 'About us.', transcript: (line) => transcript.push(line),
    });
    return { end, said: transcript.filter((line) => line.who === 'system').map((line) => line.text) };
  }

  async function expectLedgerClean(): Promise<void> {
    const verification = await context.ledger.verify();
    expect(verification.ok, JSON.stringify(verification)).to.equal(true);
  }

  async function newEntries(since: number): Promise<string[]> {
    await context.auditLog.sealAll();
    return (await context.auditLog.newest(20)).filter((entry) => entry.seq > since)
      .map((entry) => `${entry.actor} ${entry.text} [${entry.channel}]`);
  }

  before(async () => {
    redis = await startTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'dn-ivr-money-'));
    context = await createContext(loadConfig({ REDIS_SOCKET: redis.server.socketPath, DATA_DIR: dir,
      SOVEREIGN_PHONES: sal.phone, MONEY_AMOUNT_MAX_CENTS: '500000' }), createLogger('silent'));
    await writeIowaZip(join(dir, 'roll.zip'), [pat, john, sal, nan, kim, lee]);
    await importRollFile(context, join(dir, 'roll.zip'));
    const minter = await context.callers.byVoterId(sal.id, 'cli');
    await context.money.mint(minter, { to: { voter: pat.id }, amountCents: 10_000, idempotencyKey: 'seed-pat-0001' });
  });

  after(async () => {
    await context.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pays by keyed phone and cents after a read-back; balances, ledger verify and the log agree', async () => {
    const logBefore = await context.auditLog.length();
    const { end, said } = await dial(pat.phone, ['44', '1', '1', '2', john.phone, '1025', '1', '1', '9']);
    expect(end).to.equal('goodbye');
    expect(said).to.include(mainMenuLongPrompt);
    expect(said).to.include(moneyLongPrompt);
    expect(said).to.include('Your balance is one hundred dollars.');
    expect(said).to.include(amountPrompt('send'));
    expect(said).to.include('Send ten dollars and twenty-five cents to John Q Doe of Ames? Press 1 for yes, 2 for no.');
    expect(said).to.include('Done. Sent ten dollars and twenty-five cents to John Q Doe of Ames.');
    expect(said).to.include('Your balance is eighty-nine dollars and seventy-five cents.');
    expect(await context.money.balanceOf(pat.id)).to.equal(8_975);
    expect(await context.money.balanceOf(john.id)).to.equal(1_025);
    await expectLedgerClean();
    expect(await newEntries(logBefore)).to.deep.equal(['Pat Payer of Ames pays $10.25 to John Q Doe of Ames [phone]']);
  });

  it('decline, insufficient funds and over the maximum move nothing and say why', async () => {
    const logBefore = await context.auditLog.length();
    const { said } = await dial(pat.phone, ['44', '1',
      '2', john.phone, '500', '2',
      '2', john.phone, '400000', '1',
      '2', john.phone, '999999', '9']);
    expect(said).to.include('All right, nothing was sent.');
    expect(said).to.include('Your balance is not enough for that payment. Nothing was sent.');
    expect(said).to.include('The most you can send at once is five thousand dollars. Nothing was sent.');
    expect(await context.money.balanceOf(pat.id)).to.equal(8_975);
    expect(await context.auditLog.length()).to.equal(logBefore);
  });

  it('pays a phone outside the roll into a tentative wallet, and picks among voters sharing a phone', async () => {
    const { said } = await dial(pat.phone, ['44', '1', '2', outsider, '100', '1', '2', kim.phone, '2', '250', '1', '9']);
    expect(said).to.include('Send one dollar to the phone number 5 1 5, 5 5 5, 0 3 9 9, which is not registered yet? '
      + 'Press 1 for yes, 2 for no.');
    expect(said).to.include('Several voters share that phone. Press 1 for Kim, 2 for Lee.');
    expect(said).to.include('Done. Sent two dollars and fifty cents to Lee Shared of Ames.');
    const wallet = await context.store.tentativeIdOf(outsider);
    expect(wallet).to.not.equal(null);
    expect(await context.money.balanceOf(wallet ?? '')).to.equal(100);
    expect(await context.money.balanceOf(lee.id)).to.equal(250);
    expect(await context.money.balanceOf(kim.id)).to.equal(0);
    expect(await context.money.balanceOf(pat.id)).to.equal(8_975 - 350);
    await expectLedgerClean();
  });

  it('a caller without money who is not a sovereign goes straight to politics', async () => {
    const { said } = await dial(nan.phone, ['44', '*', '#']);
    // Politics first asks a caller without a delegate to name one; * skips to the politics menu.
    expect(said).to.include('You have no delegate yet. A delegate votes for you on every bill you do not vote on yourself.');
    expect(said).to.include(politicsLongPrompt);
    expect(said.some((text) => text.includes(mainMenuPrompt) || text.includes(mainMenuLongPrompt))).to.equal(false);
  });

  it('a sovereign minter gets the main menu without money and may mint; others have no mint key', async () => {
    const logBefore = await context.auditLog.length();
    const { said } = await dial(sal.phone, ['44', '1', '3', john.phone, '500', '1', '9']);
    expect(said).to.include(sovereignMoneyLongPrompt);
    expect(said).to.include('Mint five dollars to John Q Doe of Ames? Press 1 for yes, 2 for no.');
    expect(said).to.include('Done. Minted five dollars to John Q Doe of Ames.');
    expect(await context.money.balanceOf(john.id)).to.equal(1_525);
    expect(await newEntries(logBefore)).to.deep.equal(['Sal Sovereign of Adel mints $5.00 to John Q Doe of Ames [phone]']);
    await expectLedgerClean();
    const other = await dial(pat.phone, ['44', '1', '3', '9']);
    expect(other.said).to.include(`You pressed 3. That is not one of the choices. ${moneyPrompt}`);
  });

  it('an unverified caller may hear the balance but not pay; nothing is written', async () => {
    const logBefore = await context.auditLog.length();
    const { said } = await dial(pat.phone, ['44', '1', '1', '2', '9'], { decision: unverifiedDecision(pat.phone) });
    expect(said).to.include('Your balance is eighty-six dollars and twenty-five cents.');
    expect(said.filter((text) => text === notVerifiedSentence)).to.have.length(2);
    expect(await context.auditLog.length()).to.equal(logBefore);
  });

  it('a verified caller outside the roll hears the main menu (a wallet) but the money service refuses the payment', async () => {
    const wallet = await context.store.tentativeIdOf(outsider);
    const logBefore = await context.auditLog.length();
    const { said } = await dial(outsider, ['44', '1', '2', john.phone, '50', '1', '9']);
    expect(said).to.include('Send fifty cents to John Q Doe of Ames? Press 1 for yes, 2 for no.');
    expect(said).to.include('Only a registered voter on a verified call may pay. Nothing was sent.');
    expect(await context.money.balanceOf(wallet ?? '')).to.equal(100);
    expect(await context.auditLog.length()).to.equal(logBefore);
  });

  it('a lost reply is retried with the same idempotency key: the payment happens once', async () => {
    let lost = 0;
    const lossy = Object.create(context.money) as MoneyService;
    lossy.pay = async (caller, request) => {
      const result = await context.money.pay(caller, request);
      if (lost === 0) {
        lost += 1;
        throw new Error('connection lost before the reply');
      }
      return result;
    };
    const before = await context.money.balanceOf(pat.id);
    const { said } = await dial(pat.phone, ['44', '1', '2', john.phone, '100', '1', '9'], { money: lossy });
    expect(lost).to.equal(1);
    expect(said).to.include('Done. Sent one dollar to John Q Doe of Ames.');
    expect(await context.money.balanceOf(pat.id)).to.equal(before - 100);
    await expectLedgerClean();
  });
});
