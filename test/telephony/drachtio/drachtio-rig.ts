// Shared set-up for the drachtio-path tests: a real redis-server with a small roll and two bills, the
// FAKE drachtio-server and FAKE FreeSWITCH (test/fakes), and a DrachtioPhoneLine (real drachtio-srf,
// drachtio-fsmrf, modesl) connected to them, with a way to place calls and wait for their dialogs to end.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type AppContext } from '../../../src/app/context.js';
import { importRollFile } from '../../../src/app/roll-import-service.js';
import { loadConfig } from '../../../src/config/config.js';
import { createLogger } from '../../../src/config/logger.js';
import type { CallChannel } from '../../../src/ivr/call-channel.js';
import type { DialogEnd, DialogOptions } from '../../../src/ivr/dialog.js';
import type { TranscriptLine } from '../../../src/ivr/session.js';
import { DrachtioPhoneLine, type DrachtioLineSettings } from '../../../src/telephony/drachtio/drachtio-phone-line.js';
import { FakeDrachtioServer } from '../../fakes/fake-drachtio-server.js';
import { FakeFreeSwitch, type Channel } from '../../fakes/fake-freeswitch-esl.js';
import { FakeSipCaller } from '../../fakes/fake-sip-caller.js';
import { writeIowaZip, type HandVoter } from '../../support/iowa-zip.js';
import { startTestRedis, type TestRedis } from '../../support/redis.js';

export const ann: HandVoter = { id: '1001', first: 'ann', last: 'caller', city: 'ames', county: 'story', phone: '5155550101' };
export const john: HandVoter = {
  id: '1002', first: 'john', middle: 'quincy', last: 'doe', city: 'centerville', county: 'appanoose', phone: '5155550102',
};
export const una: HandVoter = { id: '1003', first: 'una', last: 'verified', city: 'ames', county: 'story', phone: '5155550103' };

export interface CallRecord {
  readonly call: CallChannel;
  readonly end: DialogEnd;
  readonly transcript: TranscriptLine[];
}

export async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface RigOptions {
  /** Length of every synthesized prompt (silence), in samples at 8 kHz. */
  readonly promptSamples: number;
  readonly dialog?: Partial<Omit<DialogOptions, 'context' | 'redis' | 'logger'>>;
  readonly settings?: Partial<DrachtioLineSettings>;
  readonly env?: Record<string, string>;
}

export class DrachtioRig {
  transcript: TranscriptLine[] = [];
  ended: Promise<CallRecord> = new Promise(() => undefined);
  private resolveEnded: (record: CallRecord) => void = () => undefined;
  private callerPort = 5100;

  private constructor(
    readonly redis: TestRedis, readonly dir: string, readonly context: AppContext,
    readonly drachtio: FakeDrachtioServer, readonly freeswitch: FakeFreeSwitch, readonly line: DrachtioPhoneLine,
  ) {}

  static async start(options: RigOptions): Promise<DrachtioRig> {
    const redis = await startTestRedis();
    const dir = mkdtempSync(join(tmpdir(), 'dn-drachtio-rig-'));
    const config = loadConfig({
      REDIS_SOCKET: redis.server.socketPath, DATA_DIR: dir, TRUSTED_TRUNKS: '127.0.0.1', TRUST_CARRIER_VERSTAT: 'true',
      RATE_LIMIT_CALLS_PER_NUMBER_PER_HOUR: '1000', ...options.env,
    });
    const context = await createContext(config, createLogger('silent'));
    await writeIowaZip(join(dir, 'roll.zip'), [ann, john, una]);
    await importRollFile(context, join(dir, 'roll.zip'));
    await context.democracy.addBills([
      { id: 'hr1234', number: 'H.R. 1234', title: 'Test Act', week: '2026-11-23' },
      { id: 'hr99', number: 'H.R. 99', title: 'Other Act', week: '2026-11-23' },
    ], 'import');
    const drachtio = new FakeDrachtioServer('cymru');
    const drachtioPort = await drachtio.listen();
    const freeswitch = new FakeFreeSwitch('ClueCon', drachtio);
    const eslPort = await freeswitch.listen();
    let rig: DrachtioRig | null = null;
    let captchaDraws = 0;
    const line = new DrachtioPhoneLine({
      context, logger: createLogger('silent'),
      settings: {
        drachtio: { host: '127.0.0.1', port: drachtioPort, secret: 'cymru' },
        freeswitch: { host: '127.0.0.1', port: eslPort, password: 'ClueCon' },
        eslListen: { host: '127.0.0.1', port: 0 }, mediaDir: join(dir, 'media'), reconnectMaxDelayMs: 300,
        connectTimeoutMs: 5_000, ...options.settings,
      },
      dialog: {
        synthesizer: { synthesize: async () => new Int16Array(options.promptSamples) },
        timings: { silenceTimeoutMs: 1_500, interDigitTimeoutMs: 1_200, inactivityHangUpMs: 3_500 },
        captchaDigits: () => [4, 7][captchaDraws++ % 2] ?? 0,
        transcript: (entry) => rig?.transcript.push(entry),
        ...options.dialog,
      },
      onDialogEnd: (call, end) => rig?.resolveEnded({ call, end, transcript: rig.transcript }),
    });
    rig = new DrachtioRig(redis, dir, context, drachtio, freeswitch, line);
    await line.start();
    return rig;
  }

  /** Places a call from `phone`; resolves with the caller and its FreeSWITCH channel once it subscribed to events. */
  async dial(phone: string, verstat: string): Promise<{ caller: FakeSipCaller; channel: Channel }> {
    this.transcript = [];
    this.ended = new Promise((resolve) => { this.resolveEnded = resolve; });
    this.callerPort += 1;
    const caller = new FakeSipCaller(this.drachtio, `127.0.0.1:${this.callerPort}`);
    const known = new Set(this.freeswitch.channels);
    caller.invite({ from: `+1${phone}`, to: '5155550000', headers: {
      'P-Asserted-Identity': `<sip:+1${phone}@127.0.0.1;verstat=${verstat}>`,
    } });
    const channel = await waitFor(() => this.freeswitch.channels.find((c) => !known.has(c) && c.subscriptions.has('DTMF')),
      'the FreeSWITCH channel');
    return { caller, channel };
  }

  said(record: CallRecord): string[] {
    return record.transcript.filter((l) => l.who === 'system').map((l) => l.text);
  }

  async stop(): Promise<void> {
    await this.line.stop();
    await this.freeswitch.close();
    await this.drachtio.close();
    await this.context.close();
    await this.redis.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function answered(caller: FakeSipCaller): Promise<void> {
  expect(await caller.finalStatus).to.equal(200);
}
