// The production path end to end, with the real drachtio-srf and drachtio-fsmrf (and modesl) in the
// app, against FAKES of what cannot run here: a fake drachtio-server speaking drachtio's TCP wire
// protocol, and a fake FreeSWITCH speaking ESL (inbound control connection and the outbound socket
// per call). A caller on the fake network places the call; the same CallerTrust screens it and the
// same runDialog answers it (captcha, delegate, vote), with prompts played from WAV files and keys
// arriving as ESL DTMF events. Redis is a real redis-server.
import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type AppContext } from '../../../src/app/context.js';
import { importRollFile } from '../../../src/app/roll-import-service.js';
import { loadConfig } from '../../../src/config/config.js';
import { createLogger } from '../../../src/config/logger.js';
import type { CallChannel } from '../../../src/ivr/call-channel.js';
import { goodbyeSentence, type DialogEnd } from '../../../src/ivr/dialog.js';
import { notVerifiedSentence, type TranscriptLine } from '../../../src/ivr/session.js';
import { DrachtioPhoneLine } from '../../../src/telephony/drachtio/drachtio-phone-line.js';
import { CallerTrust } from '../../../src/trust/caller-trust.js';
import { FakeDrachtioServer } from '../../fakes/fake-drachtio-server.js';
import { FakeFreeSwitch, type Channel } from '../../fakes/fake-freeswitch-esl.js';
import { FakeSipCaller } from '../../fakes/fake-sip-caller.js';
import { writeIowaZip, type HandVoter } from '../../support/iowa-zip.js';
import { startTestRedis, type TestRedis } from '../../support/redis.js';
import { thrown } from '../../support/thrown.js';

const ann: HandVoter = { id: '1001', first: 'ann', last: 'caller', city: 'ames', county: 'story', phone: '5155550101' };
const john: HandVoter = { id: '1002', first: 'john', middle: 'quincy', last: 'doe', city: 'centerville', county: 'appanoose', phone: '5155550102' };
const una: HandVoter = { id: '1003', first: 'una', last: 'verified', city: 'ames', county: 'story', phone: '5155550103' };
const promptSamples = 800; // 100 ms per prompt
const keyGapMs = 350;

interface CallRecord {
  readonly call: CallChannel;
  readonly end: DialogEnd;
  readonly transcript: TranscriptLine[];
}

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('telephony/drachtio: the dialog through drachtio-srf + drachtio-fsmrf against fake drachtio-server and FreeSWITCH', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let dir: string;
  let mediaDir: string;
  let context: AppContext;
  let drachtio: FakeDrachtioServer;
  let freeswitch: FakeFreeSwitch;
  let line: DrachtioPhoneLine;
  let transcript: TranscriptLine[] = [];
  let ended: Promise<CallRecord> = Promise.resolve() as unknown as Promise<CallRecord>;
  let resolveEnded: (record: CallRecord) => void = () => undefined;
  let callerPort = 5100;
  let drachtioAddress = '';

  function expectEnd(): void {
    transcript = [];
    ended = new Promise((resolve) => { resolveEnded = resolve; });
  }

  /** Places a call from `phone` and returns the caller and its FreeSWITCH channel once media is up. */
  async function dial(phone: string, verstat: string): Promise<{ caller: FakeSipCaller; channel: Channel }> {
    expectEnd();
    callerPort += 1;
    const caller = new FakeSipCaller(drachtio, `127.0.0.1:${callerPort}`);
    caller.invite({ from: `+1${phone}`, to: '5155550000', headers: {
      'P-Asserted-Identity': `<sip:+1${phone}@127.0.0.1;verstat=${verstat}>`,
    } });
    expect(await caller.finalStatus).to.equal(200);
    const channel = await waitFor(() => freeswitch.channels.find((c) => c.subscriptions.has('DTMF') && !c.hungUp
      && c.played.length === 0 && c.invite.body.includes('o=caller')), 'the FreeSWITCH channel');
    // A caller keys after hearing the first prompt: before it, the app may not listen to the endpoint's
    // DTMF events yet (connectCaller resolves after FreeSWITCH's subscription), and a key would be lost.
    await waitFor(() => (channel.isPlaying || channel.played.length > 0 ? true : undefined), 'the first prompt');
    return { caller, channel };
  }

  const said = (record: CallRecord): string[] => record.transcript.filter((l) => l.who === 'system').map((l) => l.text);

  before(async () => {
    redis = await startTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'dn-drachtio-'));
    mediaDir = join(dir, 'media');
    const config = loadConfig({
      REDIS_SOCKET: redis.server.socketPath, DATA_DIR: dir, TRUSTED_TRUNKS: '127.0.0.1', TRUST_CARRIER_VERSTAT: 'true',
      RATE_LIMIT_CALLS_PER_NUMBER_PER_HOUR: '1000', TELL_ME_ABOUT_TEXT: 'We are a test.',
    });
    context = await createContext(config, createLogger('silent'));
    await writeIowaZip(join(dir, 'roll.zip'), [ann, john, una]);
    await importRollFile(context, join(dir, 'roll.zip'));
    await context.democracy.addBills([
      { id: 'hr1234', number: 'H.R. 1234', title: 'Test Act', week: '2026-11-23' },
      { id: 'hr99', number: 'H.R. 99', title: 'Other Act', week: '2026-11-23' },
    ], 'import');
    drachtio = new FakeDrachtioServer('cymru');
    const drachtioPort = await drachtio.listen();
    drachtioAddress = `127.0.0.1:${drachtioPort}`;
    freeswitch = new FakeFreeSwitch('ClueCon', drachtio);
    const eslPort = await freeswitch.listen();
    let captchaDraws = 0;
    line = new DrachtioPhoneLine({
      context, logger: createLogger('silent'),
      settings: {
        drachtio: { host: '127.0.0.1', port: drachtioPort, secret: 'cymru' },
        freeswitch: { host: '127.0.0.1', port: eslPort, password: 'ClueCon' },
        eslListen: { host: '127.0.0.1', port: 0 }, mediaDir, reconnectMaxDelayMs: 300, connectTimeoutMs: 5_000,
      },
      dialog: {
        synthesizer: { synthesize: async () => new Int16Array(promptSamples) },
        timings: { silenceTimeoutMs: 1_500, interDigitTimeoutMs: 1_200, inactivityHangUpMs: 3_500 },
        captchaDigits: () => [4, 7][captchaDraws++ % 2] ?? 0,
        transcript: (entry) => transcript.push(entry),
      },
      onDialogEnd: (call, end) => resolveEnded({ call, end, transcript }),
    });
    await line.start();
  });

  after(async () => {
    await line.stop();
    await freeswitch.close();
    await drachtio.close();
    await context.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('authenticates with the secret, asks for INVITEs, and finds the media server by `sofia status`', () => {
    const fromApp = drachtio.wire.filter((m) => m.direction === 'from-app').map((m) => m.text.split('|').slice(1, 3).join('|'));
    expect(fromApp).to.include('authenticate|cymru');
    expect(fromApp).to.include('route|invite');
    expect(freeswitch.inboundCommands[0]).to.equal('auth ClueCon');
    expect(freeswitch.inboundCommands).to.include('api sofia status');
  });

  it('verified caller: captcha, names a delegate by keyed phone, votes yes, goodbye; prompts are WAV files', async () => {
    const logBefore = await context.auditLog.length();
    const { caller, channel } = await dial(ann.phone, 'TN-Validation-Passed');
    void freeswitch.pressKeys(channel, `47${john.phone}1211` + '9', keyGapMs);
    const record = await ended;
    expect(record.end).to.equal('goodbye');
    const lines = said(record);
    expect(lines[0]).to.equal("To prove you're a person, enter these two numbers: 4 7");
    expect(lines).to.include('Please confirm that you want to delegate John Q Doe of Centerville. Press 1 for yes, 2 for no.');
    expect(lines).to.include('Done. Your delegate is now John Q Doe of Centerville.');
    expect(lines).to.include('Your vote on H R 1234, Test Act is now yes.');
    expect(lines.at(-1)).to.equal(goodbyeSentence);
    expect((await context.store.defaultsOf(ann.id)).delegates).to.deep.equal([john.id]);
    expect(await context.store.voteOf(ann.id, 'hr1234')).to.equal('yes');
    expect(await context.auditLog.length()).to.be.greaterThan(logBefore);
    // The app hung up: FreeSWITCH executed hangup or got a BYE, and the caller got our BYE.
    expect(await caller.ended).to.equal('app');
    await waitFor(() => (channel.hungUp ? true : undefined), 'the channel to hang up');
    // Every prompt went to FreeSWITCH as a valid 8 kHz WAV of the synthesized length, then was removed.
    const played = channel.executions.filter((e) => e.app === 'playback');
    // Prompts the caller typed ahead of are skipped, so fewer files than sentences.
    expect(played.length).to.be.within(5, lines.length);
    expect(played.every((e) => e.response === 'FILE PLAYED')).to.equal(true);
    expect(channel.played.every((p) => p.samples === promptSamples)).to.equal(true);
    expect(readdirSync(mediaDir)).to.deep.equal([]);
  });

  it('unverified caller (carrier says No-TN-Validation): told so, the vote is refused, nothing written', async () => {
    const logBefore = await context.auditLog.length();
    const { channel } = await dial(una.phone, 'No-TN-Validation');
    void freeswitch.pressKeys(channel, '472119', keyGapMs);
    const record = await ended;
    expect(record.end).to.equal('goodbye');
    expect(said(record).filter((text) => text === notVerifiedSentence)).to.have.length(2);
    expect(await context.store.voteOf(una.id, 'hr1234')).to.equal(null);
    expect(await context.auditLog.length()).to.equal(logBefore);
  });

  it('a key during a prompt breaks the playback (uuid_break) and counts as type-ahead', async () => {
    const { caller, channel } = await dial(una.phone, 'No-TN-Validation');
    // Keys arrive while the first prompt plays: the captcha prompt is interruptible.
    await waitFor(() => (channel.isPlaying ? true : undefined), 'the first prompt to play');
    await freeswitch.pressKeys(channel, '47', 30);
    await waitFor(() => (transcript.some((l) => l.text.startsWith('Welcome')) ? true : undefined), 'the greeting');
    caller.hangUp();
    const record = await ended;
    expect(record.end).to.equal('hangup');
    expect(said(record)[0]).to.equal("To prove you're a person, enter these two numbers: 4 7");
    expect(channel.played[0]).to.deep.include({ broken: true });
    expect(await record.call.ended).to.deep.equal({ reason: 'remote-hangup' });
  });

  it('stops start-up with a clear error when the drachtio secret is wrong', async () => {
    const wrong = new DrachtioPhoneLine({ context, logger: createLogger('silent'), settings: {
      drachtio: { host: '127.0.0.1', port: Number(/:(\d+)$/.exec(drachtioAddress)?.[1]), secret: 'not-the-secret' },
      freeswitch: { host: '127.0.0.1', port: 1, password: 'x' }, eslListen: { host: '127.0.0.1', port: 0 }, mediaDir,
      connectTimeoutMs: 5_000,
    } });
    const error = await thrown(() => wrong.start());
    await wrong.stop();
    expect(String(error)).to.match(/drachtio-server at 127\.0\.0\.1:\d+: failed to authenticate/);
  });

  it('refuses a call the trust policy rejects with its SIP status, before any media is used', async () => {
    const strictDrachtio = new FakeDrachtioServer('other-secret');
    const strictFreeswitch = new FakeFreeSwitch('pw', strictDrachtio);
    const trust = new CallerTrust({ config: loadConfig({ STIR_SHAKEN_ABSENT_POLICY: 'reject' }),
      redis: context.connection.redis, keys: context.keys, logger: createLogger('silent') });
    const strict = new DrachtioPhoneLine({ context, logger: createLogger('silent'), trust, settings: {
      drachtio: { host: '127.0.0.1', port: await strictDrachtio.listen(), secret: 'other-secret' },
      freeswitch: { host: '127.0.0.1', port: await strictFreeswitch.listen(), password: 'pw' },
      eslListen: { host: '127.0.0.1', port: 0 }, mediaDir, connectTimeoutMs: 5_000,
    } });
    try {
      await strict.start();
      const caller = new FakeSipCaller(strictDrachtio, '127.0.0.1:5099');
      caller.invite({ from: `+1${ann.phone}`, to: '5155550000' });
      // RFC 8224: no Identity header and the operator requires one.
      expect(await caller.finalStatus).to.equal(428);
      expect(strictFreeswitch.channels).to.have.length(0);
    } finally {
      await strict.stop();
      await strictFreeswitch.close();
      await strictDrachtio.close();
    }
  });

  it('reconnects to drachtio-server after the connection drops, and answers calls again', async () => {
    const before = line.connections;
    drachtio.dropConnections();
    await waitFor(() => (line.connections > before && drachtio.connectedApps === 1 ? true : undefined), 'the reconnection');
    const { channel } = await dial(una.phone, 'No-TN-Validation');
    void freeswitch.pressKeys(channel, '1111', keyGapMs);
    const record = await ended;
    expect(record.end).to.equal('captcha-failed');
  });
});
