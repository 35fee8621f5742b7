// STIR/SHAKEN through the whole front door: a real sipp caller carries an Identity header signed by
// the test PKI (x5u served over local HTTPS), the real endpoint screens the INVITE with CallerTrust,
// and the dialog lets the caller vote only when the signature verifies. No carrier verstat is trusted.
// Attestation B and C leave the call unverified and the dialog offers call-back, which goes out over
// the SIP trunk to a real baresip phone that keys the code it was told (the failure policy here is the
// default, continue; test/ivr/stir-sipp-matrix.test.ts covers the reject policy).
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type AppContext } from '../../src/app/context.js';
import { importRollFile } from '../../src/app/roll-import-service.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/config/logger.js';
import type { DialogEnd } from '../../src/ivr/dialog.js';
import { PhoneLine } from '../../src/ivr/phone-line.js';
import { callBackOfferPrompt } from '../../src/ivr/call-back-offer.js';
import { notVerifiedSentence, type TranscriptLine } from '../../src/ivr/session.js';
import { CallerTrust } from '../../src/trust/caller-trust.js';
import { callerMedia } from '../telephony/support/caller-media.js';
import { quietLogger } from '../telephony/support/endpoint.js';
import { writePcap } from '../telephony/support/pcap.js';
import { freeUdpPort, runSipp } from '../telephony/support/sipp.js';
import { BaresipPhone } from '../trust/baresip-phone.js';
import { writeIowaZip, type HandVoter } from '../support/iowa-zip.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { signedIdentity, startStirFixture, x5uBodyBytesMaxForTests, x5uFetchTimeoutMsForTests, type StirFixture }
  from '../trust/fixtures.js';

const ann: HandVoter = { id: '1001', first: 'ann', last: 'signed', city: 'ames', county: 'story', phone: '5155550100' };
const john: HandVoter = { id: '1002', first: 'john', last: 'doe', city: 'adel', county: 'dallas', phone: '5155550102' };
const calledNumber = '+13195550199';

describe('ivr: STIR/SHAKEN-signed calls from sipp through the endpoint and the dialog', function () {
  this.timeout(40_000);
  let stir: StirFixture;
  let redis: TestRedis;
  let dir: string;
  let context: AppContext;
  let line: PhoneLine;
  let transcript: TranscriptLine[] = [];
  let resolveEnded: (end: DialogEnd) => void = () => undefined;
  let phone: BaresipPhone;
  let lastCallId = '';
  const rtpPortMin = 47_000 + (process.pid % 50) * 100;

  async function call(identity: string, keys: string): Promise<{ end: DialogEnd; said: string[] }> {
    transcript = [];
    const ended = new Promise<DialogEnd>((resolve) => { resolveEnded = resolve; });
    const cwd = mkdtempSync(join(dir, 'sipp-'));
    writePcap(join(cwd, 'ivr-keys.pcap'), callerMedia({ toneMs: 600, digits: keys }));
    const sipp = await runSipp({
      scenario: 'stir-call.xml', target: `127.0.0.1:${line.port}`, cwd, timeoutMs: 35_000,
      extraArgs: ['-key', 'caller', ann.phone, '-key', 'identity', identity, '-s', calledNumber],
    });
    expect(sipp.code, sipp.stderr + sipp.stdout.slice(-2000)).to.equal(0);
    const end = await ended;
    return { end, said: transcript.filter((entry) => entry.who === 'system').map((entry) => entry.text) };
  }

  before(async () => {
    stir = await startStirFixture();
    redis = await startTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'dn-stir-ivr-'));
    const trunkPort = await freeUdpPort();
    // Ann's other phone: call-back rings the number she claims, which arrives here through the trunk.
    phone = await BaresipPhone.start({ dir, sipPort: trunkPort, number: ann.phone, answer: 'auto', rtpPortMin: rtpPortMin + 60 });
    const config = loadConfig({
      SIP_TRUNK: `127.0.0.1:${trunkPort}`,
      REDIS_SOCKET: redis.server.socketPath, DATA_DIR: dir, SIP_LISTEN: '127.0.0.1:0',
      RTP_PORT_MIN: String(rtpPortMin), RTP_PORT_MAX: String(rtpPortMin + 49), RATE_LIMIT_CALLS_PER_NUMBER_PER_HOUR: '1000',
    });
    context = await createContext(config, createLogger('silent'));
    await writeIowaZip(join(dir, 'roll.zip'), [ann, john]);
    await importRollFile(context, join(dir, 'roll.zip'));
    await context.democracy.addBills([{ id: 'hr1234', number: 'H.R. 1234', title: 'Test Act', week: '2026-11-23' }], 'import');
    const trust = new CallerTrust({
      config, redis: context.connection.redis, keys: context.keys, logger: quietLogger(), anchors: stir.anchors,
      fetcher: { fetchTimeoutMs: x5uFetchTimeoutMsForTests, bodyBytesMax: x5uBodyBytesMaxForTests,
        tlsCa: stir.server.tls.certificatePem, allowPrivateAddresses: true },
    });
    line = new PhoneLine({
      context, logger: quietLogger(), trust,
      endpoint: { timers: { t1Ms: 100, t2Ms: 400, t4Ms: 500 } },
      dialog: {
        synthesizer: { synthesize: async () => new Int16Array(800) },
        timings: { silenceTimeoutMs: 1_500, interDigitTimeoutMs: 1_200, inactivityHangUpMs: 3_500 },
        captchaDigits: () => 4, transcript: (entry) => transcript.push(entry),
      },
      onDialogEnd: (channel, end) => {
        lastCallId = channel.callId;
        resolveEnded(end);
      },
    });
    await line.start();
  });

  after(async () => {
    await phone.stop();
    await line.stop();
    await context.close();
    await redis.stop();
    await stir.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('attestation A verifies the caller: delegate and vote are recorded', async () => {
    const identity = await signedIdentity(stir, { orig: `1${ann.phone}`, dest: calledNumber.slice(1), attest: 'A' });
    const { end, said } = await call(identity, `44${john.phone}1211` + '9');
    expect(end).to.equal('goodbye');
    expect(said).not.to.include(notVerifiedSentence);
    expect((await context.store.defaultsOf(ann.id)).delegates).to.deep.equal([john.id]);
    expect(await context.store.voteOf(ann.id, 'hr1234')).to.equal('yes');
  });

  it('a PASSporT for another caller fails: the call continues unverified and records nothing', async () => {
    await context.democracy.recall(await context.callers.byVoterId(ann.id, 'cli'));
    const identity = await signedIdentity(stir, { orig: `1${john.phone}`, dest: calledNumber.slice(1), attest: 'A' });
    const { end, said } = await call(identity, '44' + '2' + '9'); // 2: no call-back, thanks
    expect(end).to.equal('goodbye');
    expect(said).to.include(notVerifiedSentence);
    expect((await context.store.defaultsOf(ann.id)).delegates).to.deep.equal([]);
  });

  it('attestation B is unverified: call-back is offered, and a caller who declines cannot vote', async () => {
    const identity = await signedIdentity(stir, { orig: `1${ann.phone}`, dest: calledNumber.slice(1), attest: 'B' });
    const { end, said } = await call(identity, '44' + '2' + '9');
    expect(end).to.equal('goodbye');
    expect(said.filter((text) => text.startsWith(callBackOfferPrompt))).to.have.length(1);
    expect(said).to.include(notVerifiedSentence);
    expect(await context.connection.redis.hget(context.keys.key('call', lastCallId), 'verified')).to.equal('0');
    expect((await context.store.defaultsOf(ann.id)).delegates).to.deep.equal([]);
  });

  it('attestation C is unverified until call-back: baresip answers, keys the code, and the call is verified', async () => {
    const identity = await signedIdentity(stir, { orig: `1${ann.phone}`, dest: calledNumber.slice(1), attest: 'C' });
    const answered = phone.waitFor(/Call established/, 30_000).then(async () => {
      const spoken = transcript.map((entry) => /^Your code is ([\d ]+)\./.exec(entry.text)?.[1]).find(Boolean);
      if (spoken === undefined) throw new Error('the code was not said before the call-back rang');
      await phone.sendDigits(spoken.replace(/ /g, ''));
    });
    // 1: yes, call me back; then silence while the other phone keys the code, until the dialog gives up.
    const { end, said } = await call(identity, '44' + '1');
    await answered;
    expect(said.filter((text) => text.startsWith(callBackOfferPrompt))).to.have.length(1);
    expect(said).to.include('Thank you. Your call is now verified.');
    expect(said).not.to.include(notVerifiedSentence);
    // The call's state in Redis, as the dialog wrote it after the call-back.
    expect(await context.connection.redis.hget(context.keys.key('call', lastCallId), 'verified')).to.equal('1');
    // Greeted by name as a registered voter ("back": the attestation A call before made her a returning caller).
    expect(said.some((text) => /^Welcome back, .+\.$/.test(text)), said.join(' | ')).to.equal(true);
    expect(end).to.equal('inactive');
  });
});
