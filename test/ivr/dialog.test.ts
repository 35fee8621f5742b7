// The dialog in process against a scripted call channel (no SIP, no timing) and a real redis-server:
// voters sharing a phone, a keyed number not in the roll, recall with confirmation, audit, help,
// menu, simpler options after two failures, and first-time versus returning prompts.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createContext, type AppContext } from '../../src/app/context.js';
import { importRollFile } from '../../src/app/roll-import-service.js';
import { auditReport } from '../../src/app/tally-service.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/config/logger.js';
import { callBackOfferPrompt, type CallBackServices } from '../../src/ivr/call-back-offer.js';
import { runDialog, type DialogEnd } from '../../src/ivr/dialog.js';
import { politicsLongPrompt, politicsPrompt, politicsSimplerPrompt } from '../../src/ivr/politics-menu.js';
import type { TranscriptLine } from '../../src/ivr/session.js';
import { defaultDialogTimings } from '../../src/ivr/verb.js';
import { jurisdictionFor } from '../../src/roll/jurisdictions.js';
import type { TrustDecision } from '../../src/trust/trust-policy.js';
import { writeIowaZip, type HandVoter } from '../support/iowa-zip.js';
import { ScriptedOutboundCaller } from '../trust/scripted-outbound-caller.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { ScriptedChannel, verifiedDecision as verified } from './support/scripted-channel.js';

const sue: HandVoter = { id: '2001', first: 'sue', last: 'shared', city: 'ames', county: 'story', phone: '5155550201' };
const sam: HandVoter = { id: '2002', first: 'sam', last: 'shared', city: 'ames', county: 'story', phone: '5155550201' };
const dan: HandVoter = { id: '2003', first: 'dan', last: 'delegate', city: 'boone', county: 'boone', phone: '5155550202' };

describe('ivr/dialog: menus and tasks on a scripted call', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let dir: string;
  let context: AppContext;
  let calls = 0;

  async function dial(
    phone: string, script: string[], options: { decision?: TrustDecision; callBack?: CallBackServices } = {},
  ): Promise<{ end: DialogEnd; said: string[] }> {
    const transcript: TranscriptLine[] = [];
    calls += 1;
    const end = await runDialog(new ScriptedChannel(`scripted-${calls}`, script), options.decision ?? verified(phone), {
      ...(options.callBack === undefined ? {} : { callBack: options.callBack }),
      context, redis: context.connection.redis, logger: pino({ level: 'silent' }), jurisdiction: jurisdictionFor('iowa'),
      synthesizer: { synthesize: async () => new Int16Array(8) }, timings: defaultDialogTimings,
      captchaDigits: () => 4, tellMeAboutText: 'About us.', transcript: (line) => transcript.push(line),
    });
    return { end, said: transcript.filter((line) => line.who === 'system').map((line) => line.text) };
  }

  before(async () => {
    redis = await startTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'dn-ivr-dialog-'));
    context = await createContext(loadConfig({ REDIS_SOCKET: redis.server.socketPath, DATA_DIR: dir }), createLogger('silent'));
    await writeIowaZip(join(dir, 'roll.zip'), [sue, sam, dan]);
    await importRollFile(context, join(dir, 'roll.zip'));
    await context.democracy.addBills([{ id: 'hr7', number: 'H.R. 7', title: 'Seven Act', week: '2026-11-23' }], 'import');
  });

  after(async () => {
    await context.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('voters sharing a phone pick by first name; unknown number; delegate; recall (no, then yes); audit', async () => {
    const { end, said } = await dial(sam.phone, ['44', '2', '5155550209', '1', dan.phone, '1', '4', '2', '4', '1', '3', '1', '#']);
    expect(end).to.equal('hangup');
    expect(said).to.include('Several voters share this phone. Who is calling? Press 1 for Sue, 2 for Sam.');
    expect(said).to.include('I found no registered voter with the phone number 5 1 5, 5 5 5, 0 2 0 9.');
    expect(said).to.include('Please confirm that you want to delegate Dan Delegate of Boone. Press 1 for yes, 2 for no.');
    expect(said).to.include('Please confirm that you want to recall Dan Delegate of Boone. Press 1 for yes, 2 for no.');
    expect(said).to.include('All right, nothing was changed.');
    expect(said).to.include('Done. You have no delegate now; only your own votes count for you.');
    expect((await context.store.defaultsOf(sam.id)).delegates).to.deep.equal([]);
    const { lines } = await auditReport(context, sam.id, null, null);
    expect(lines.length).to.be.greaterThan(0);
    for (const line of lines.slice(0, 12)) expect(said).to.include(line);
    await context.auditLog.sealAll();
    const texts = (await context.auditLog.newest(5)).map((entry) => `${entry.actor} ${entry.text}`);
    expect(texts).to.include('Sam Shared of Ames delegates -> Dan Delegate of Boone');
    expect(texts).to.include('Sam Shared of Ames recalls all delegates');
    expect(texts.some((text) => text.startsWith('Sue'))).to.equal(false);
  });

  it('first call: long prompts; * goes to the menu, 0 repeats the long help, two failures bring simpler options', async () => {
    const { end, said } = await dial(dan.phone, ['44', '*', '0', '8', '8']);
    expect(end).to.equal('hangup');
    expect(said).to.include('Welcome to the Delegate Network, Dan Delegate of Boone. At any prompt, press star for the menu, or 0 for help.');
    expect(said).to.include('You have no delegate yet. A delegate votes for you on every bill you do not vote on yourself.');
    const politics = said.filter((text) => text.includes(politicsLongPrompt) || text.includes(politicsSimplerPrompt));
    expect(politics[0]).to.equal(politicsLongPrompt);
    expect(politics[1]).to.equal(`${politicsLongPrompt} Press star at any time for the menu.`);
    expect(politics[2]).to.equal(`You pressed 8. That is not one of the choices. ${politicsLongPrompt}`);
    expect(politics[3]).to.equal(`You pressed 8. That is not one of the choices. ${politicsSimplerPrompt}`);
  });

  it('returning caller: short welcome and short menu; the call state says where the call was', async () => {
    const { end, said } = await dial(dan.phone, ['44', '*']);
    expect(end).to.equal('hangup');
    expect(said).to.include('Welcome back, Dan Delegate of Boone.');
    expect(said.at(-1)).to.equal(politicsPrompt);
    const state = await redis.client().hgetall(context.keys.key('call', `scripted-${calls}`));
    expect(state).to.deep.include({ menu: 'ended', end: 'hangup', voterId: dan.id, returning: '1' });
  });

  describe('call-back for an unverified call (the outbound call itself is tested on the real endpoint in call-back.test)', () => {
    const unverified = (phone: string): TrustDecision =>
      ({ level: 'unverified', attestation: null, stir: { status: 'absent' }, via: 'none', callingNumber: phone });

    it('offers call-back; the right code verifies the call, so the caller may delegate', async () => {
      const outbound = new ScriptedOutboundCaller([{ outcome: 'answered', digits: '9051' }]);
      const { said } = await dial(sue.phone, ['44', '1', '1', '1', dan.phone, '1', '#'], {
        decision: unverified(sue.phone), callBack: { caller: outbound, newCode: () => '9051' },
      });
      expect(said).to.include(`${callBackOfferPrompt} Press 1 for yes, 2 for no.`);
      expect(said).to.include('Your code is 9 0 5 1. Again, 9 0 5 1. We are calling you now: answer that call and key this code.');
      expect(said).to.include('Thank you. Your call is now verified.');
      expect(outbound.placed.map((placed) => placed.to)).to.deep.equal([sue.phone]);
      expect((await context.store.defaultsOf(sue.id)).delegates).to.deep.equal([dan.id]);
    });

    it('a wrong code keeps the call unverified: nothing can be recorded', async () => {
      const outbound = new ScriptedOutboundCaller([{ outcome: 'answered', digits: '1111' }]);
      const { said } = await dial(dan.phone, ['44', '1', '#'], {
        decision: unverified(dan.phone), callBack: { caller: outbound, newCode: () => '9051' },
      });
      expect(said).to.include('The code keyed on the other call was not right, so this call stays unverified.');
      expect(said.some((text) => text.startsWith('This call could not be verified, so you can listen'))).to.equal(true);
    });

    it('declining the offer places no call', async () => {
      const outbound = new ScriptedOutboundCaller([]);
      await dial(dan.phone, ['44', '2', '#'], { decision: unverified(dan.phone), callBack: { caller: outbound } });
      expect(outbound.placed).to.deep.equal([]);
    });

    it('verified calls are never offered call-back', async () => {
      const outbound = new ScriptedOutboundCaller([]);
      const { said } = await dial(dan.phone, ['44', '#'], { callBack: { caller: outbound } });
      expect(said.some((text) => text.startsWith(callBackOfferPrompt))).to.equal(false);
      expect(outbound.placed).to.deep.equal([]);
    });
  });
});
