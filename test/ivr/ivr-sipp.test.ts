// The keypad dialog end to end: a real sipp caller (RFC 4733 keys from a generated pcap) against the
// real SIP endpoint, caller trust (loopback as a trusted trunk with carrier verstat), the dialog, and
// a real redis-server holding a small roll and two bills. Prompts are short silence (a fake
// synthesizer that records the text), so calls run at the speed of the keys.
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from '../../src/app/context.js';
import { tallyReport } from '../../src/app/tally-service.js';
import type { CallChannel } from '../../src/ivr/call-channel.js';
import type { DialogEnd } from '../../src/ivr/dialog.js';
import { goodbyeSentence, inactiveSentence } from '../../src/ivr/dialog.js';
import { PhoneLine } from '../../src/ivr/phone-line.js';
import { notVerifiedSentence, type TranscriptLine } from '../../src/ivr/session.js';
import { captchaHangUpPrompt } from '../../src/trust/captcha.js';
import { callerMedia } from '../telephony/support/caller-media.js';
import { writePcap } from '../telephony/support/pcap.js';
import { runSipp } from '../telephony/support/sipp.js';
import type { HandVoter } from '../support/iowa-zip.js';
import type { TestRedis } from '../support/redis.js';
import { startSippRig, type SippRig } from './support/sipp-rig.js';

const ann: HandVoter = { id: '1001', first: 'ann', last: 'caller', city: 'ames', county: 'story', phone: '5155550101' };
const john: HandVoter = { id: '1002', first: 'john', middle: 'quincy', last: 'doe', city: 'centerville', county: 'appanoose', phone: '5155550102' };
const una: HandVoter = { id: '1003', first: 'una', last: 'verified', city: 'ames', county: 'story', phone: '5155550103' };
const promptSamples = 800; // 100 ms of silence per prompt

interface CallRecord {
  readonly call: CallChannel;
  readonly end: DialogEnd;
  readonly transcript: TranscriptLine[];
}

describe('ivr: keypad dialog over a real sipp call', function () {
  this.timeout(40_000);
  let redis: TestRedis;
  let dir: string;
  let context: AppContext;
  let line: PhoneLine;
  let rig: SippRig;
  let transcript: TranscriptLine[] = [];
  let ended: Promise<CallRecord>;
  let resolveEnded: (record: CallRecord) => void = () => undefined;
  const rtpPortMin = 52_000 + (process.pid % 50) * 100;

  function expectEnd(): void {
    transcript = [];
    ended = new Promise((resolve) => { resolveEnded = resolve; });
  }

  async function call(options: { caller: string; verstat: string; keys: string }): Promise<CallRecord> {
    expectEnd();
    const cwd = mkdtempSync(join(dir, 'sipp-'));
    writePcap(join(cwd, 'ivr-keys.pcap'), callerMedia({ toneMs: 600, digits: options.keys }));
    const sipp = await runSipp({
      scenario: 'ivr-call.xml', target: `127.0.0.1:${line.port}`, cwd, timeoutMs: 35_000,
      extraArgs: ['-key', 'caller', options.caller, '-key', 'verstat', options.verstat],
    });
    expect(sipp.code, sipp.stderr + sipp.stdout.slice(-2000)).to.equal(0);
    return ended;
  }

  const said = (record: CallRecord): string[] => record.transcript.filter((l) => l.who === 'system').map((l) => l.text);

  before(async () => {
    let captchaDraws = 0;
    rig = await startSippRig({
      name: 'dn-ivr-', rtpPortMin, voters: [ann, john, una],
      env: { RATE_LIMIT_CALLS_PER_NUMBER_PER_HOUR: '1000', TELL_ME_ABOUT_TEXT: 'We are a test.' },
      bills: [
        { id: 'hr1234', number: 'H.R. 1234', title: 'Test Act', week: '2026-11-23' },
        { id: 'hr99', number: 'H.R. 99', title: 'Other Act', week: '2026-11-23' },
      ],
      dialog: {
        synthesizer: { synthesize: async () => new Int16Array(promptSamples) },
        timings: { silenceTimeoutMs: 1_500, interDigitTimeoutMs: 1_200, inactivityHangUpMs: 3_500 },
        captchaDigits: () => [4, 7][captchaDraws++ % 2] ?? 0,
        transcript: (entry) => transcript.push(entry),
      },
      onDialogEnd: (channel, end) => resolveEnded({ call: channel, end, transcript }),
    });
    ({ redis, dir, context, line } = rig);
  });

  after(async () => {
    await rig.stop();
  });

  it('verified caller: captcha, names a delegate by keyed phone, votes yes on bill 1, says goodbye', async () => {
    const logBefore = await context.auditLog.length();
    const record = await call({ caller: ann.phone, verstat: 'TN-Validation-Passed', keys: `47${john.phone}1211` + '9' });
    expect(record.end).to.equal('goodbye');
    const lines = said(record);
    expect(lines[0]).to.equal("To prove you're a person, enter these two numbers: 4 7");
    expect(lines).to.include('Please confirm that you want to delegate John Q Doe of Centerville. Press 1 for yes, 2 for no.');
    expect(lines).to.include('Done. Your delegate is now John Q Doe of Centerville.');
    expect(lines).to.include('Your vote on H R 1234, Test Act is now yes.');
    expect(lines.at(-1)).to.equal(goodbyeSentence);
    // No full phone number is ever spoken back unless the caller keyed it; here none was read back.
    expect(lines.join(' ')).not.to.match(/5 1 5, 5 5 5/);

    expect((await context.store.defaultsOf(ann.id)).delegates).to.deep.equal([john.id]);
    expect(await context.store.voteOf(ann.id, 'hr1234')).to.equal('yes');
    const { tally } = await tallyReport(context, 'hr1234', { at: null, influencers: 0 });
    expect(tally).to.deep.include({ yes: 1, no: 0, registered: 3 });
    await context.auditLog.sealAll();
    const texts = (await context.auditLog.newest(10)).filter((entry) => entry.seq > logBefore)
      .map((entry) => `${entry.actor} ${entry.text}`);
    expect(texts).to.include('Ann Caller of Ames delegates -> John Q Doe of Centerville');
    expect(texts).to.include('Ann Caller of Ames votes yes on H.R. 1234');
    expect(texts.every((text) => text.includes('Ann Caller of Ames'))).to.equal(true);

    const state = await redis.client().hgetall(context.keys.key('call', record.call.callId));
    expect(state).to.deep.include({ menu: 'ended', end: 'goodbye', voterId: ann.id, verified: '1', captcha: 'passed' });
    expect(await redis.client().ttl(context.keys.key('call', record.call.callId))).to.be.greaterThan(0);
  });

  it('captcha wrong twice: a polite goodbye and our BYE, nothing else happens', async () => {
    const logBefore = await context.auditLog.length();
    const record = await call({ caller: una.phone, verstat: 'TN-Validation-Passed', keys: '1111' });
    expect(record.end).to.equal('captcha-failed');
    const lines = said(record);
    expect(lines).to.have.length(3);
    expect(lines[1]).to.equal("That wasn't right. Please enter these two numbers: 4 7");
    expect(lines[2]).to.equal(captchaHangUpPrompt);
    expect(await context.auditLog.length()).to.equal(logBefore);
  });

  it('unverified caller may not vote: refused politely, nothing written', async () => {
    const logBefore = await context.auditLog.length();
    const record = await call({ caller: una.phone, verstat: 'No-TN-Validation', keys: '472119' });
    expect(record.end).to.equal('goodbye');
    const lines = said(record);
    // Told at the start, and again when the vote is refused by the democracy service.
    expect(lines.filter((text) => text === notVerifiedSentence)).to.have.length(2);
    expect(lines).not.to.include('Your vote on H R 1234, Test Act is now yes.');
    expect(await context.store.voteOf(una.id, 'hr1234')).to.equal(null);
    expect(await context.auditLog.length()).to.equal(logBefore);
  });

  it('silent caller: re-prompted, then told goodbye and hung up on after the inactivity limit', async () => {
    const record = await call({ caller: una.phone, verstat: 'No-TN-Validation', keys: '47' });
    expect(record.end).to.equal('inactive');
    const lines = said(record);
    expect(lines.some((text) => text.startsWith("Sorry, I didn't hear anything. "))).to.equal(true);
    expect(lines.at(-1)).to.equal(inactiveSentence);
  });

  it('register: reads the Polk County auditor\'s number three times, the last slowly; tell me about', async () => {
    const record = await call({ caller: una.phone, verstat: 'No-TN-Validation', keys: '475776' + '9' });
    expect(record.end).to.equal('goodbye');
    const lines = said(record);
    expect(lines).to.include('To register this phone, call the Polk County auditor at 5 1 5, 2 8 6, 3 0 8 0.');
    expect(lines).to.include('Again, the Polk County auditor: 5 1 5, 2 8 6, 3 0 8 0.');
    expect(lines).to.include('Once more, slowly: 5. 1. 5. 2. 8. 6. 3. 0. 8. 0.');
    expect(lines).to.include('We are a test.');
  });
});
