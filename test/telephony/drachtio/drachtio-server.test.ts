// `serve` with TELEPHONY=drachtio (startServer): the drachtio line gets the configured recognizer and
// asks FreeSWITCH to fork each call's audio to it, and /metrics counts its answered calls like the
// embedded endpoint's. FAKE drachtio-server and FreeSWITCH (test/fakes); real redis-server, real
// pocketsphinx, real web server.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../../src/app/server.js';
import { loadConfig } from '../../../src/config/config.js';
import { createLogger } from '../../../src/config/logger.js';
import { FakeDrachtioServer } from '../../fakes/fake-drachtio-server.js';
import { FakeFreeSwitch } from '../../fakes/fake-freeswitch-esl.js';
import { FakeSipCaller } from '../../fakes/fake-sip-caller.js';
import { writeIowaZip } from '../../support/iowa-zip.js';
import { startTestRedis, type TestRedis } from '../../support/redis.js';
import { ann, waitFor } from './drachtio-rig.js';

async function answeredCalls(webUrl: string): Promise<number> {
  const text = await (await fetch(`${webUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('dn_sip_calls_answered_total '));
  if (line === undefined) throw new Error('dn_sip_calls_answered_total is missing from /metrics');
  return Number(line.split(' ')[1]);
}

describe('serve with TELEPHONY=drachtio: speech and /metrics on the drachtio line', function () {
  this.timeout(90_000);
  let redis: TestRedis;
  let dir: string;
  let drachtio: FakeDrachtioServer;
  let freeswitch: FakeFreeSwitch;
  let server: RunningServer;

  before(async () => {
    redis = await startTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'dn-drachtio-serve-'));
    await writeIowaZip(join(dir, 'roll.zip'), [ann]);
    drachtio = new FakeDrachtioServer('serve-secret');
    const drachtioPort = await drachtio.listen();
    freeswitch = new FakeFreeSwitch('esl-pw', drachtio);
    const eslPort = await freeswitch.listen();
    const config = loadConfig({
      REDIS_SOCKET: redis.server.socketPath, DATA_DIR: dir, ROLL_PATH: join(dir, 'roll.zip'), TELEPHONY: 'drachtio',
      DRACHTIO_HOST: '127.0.0.1', DRACHTIO_PORT: String(drachtioPort), DRACHTIO_SECRET: 'serve-secret',
      FREESWITCH_ESL: `127.0.0.1:${eslPort}`, FREESWITCH_ESL_PASSWORD: 'esl-pw', ESL_LISTEN: '127.0.0.1:0',
      AUDIO_FORK_LISTEN: '127.0.0.1:0', WEB_LISTEN: '127.0.0.1:0', SPEECH_ENGINE: 'pocketsphinx',
      TRUSTED_TRUNKS: '127.0.0.1', TRUST_CARRIER_VERSTAT: 'true',
    });
    server = await startServer(config, createLogger('silent'));
  });

  after(async () => {
    await server.stop();
    await freeswitch.close();
    await drachtio.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('forks each answered call\'s audio to the app and counts the call in /metrics', async () => {
    expect(await answeredCalls(server.webUrl)).to.equal(0);
    for (const port of [5301, 5302]) {
      const caller = new FakeSipCaller(drachtio, `127.0.0.1:${port}`);
      const known = new Set(freeswitch.channels);
      caller.invite({ from: `+1${ann.phone}`, to: '5155550000', headers: {
        'P-Asserted-Identity': `<sip:+1${ann.phone}@127.0.0.1;verstat=TN-Validation-Passed>`,
      } });
      expect(await caller.finalStatus).to.equal(200);
      const channel = await waitFor(() => freeswitch.channels.find((c) => !known.has(c)), 'the channel');
      const fork = await waitFor(() => channel.fork ?? undefined, 'the audio fork');
      await fork.opened;
      expect(channel.forkCommands[0]).to.match(/^uuid_audio_fork \S+ start ws:\/\/127\.0\.0\.1:\d+\/fork\/\S+ mono 8k /);
      caller.hangUp();
      await waitFor(() => (channel.fork === null ? true : undefined), 'the fork to stop');
    }
    expect(await answeredCalls(server.webUrl)).to.equal(2);
  });
});
