// A real softphone (baresip from Debian) calls the endpoint, sending a WAV as PCMU; the app listens
// for two seconds and hangs up. Proves interoperability with a UA that is not sipp.
import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallChannel } from '../../src/ivr/call-channel.js';
import type { SipCall } from '../../src/telephony/call.js';
import type { SipEndpoint } from '../../src/telephony/endpoint.js';
import { startEndpoint } from './support/endpoint.js';
import { delay } from './support/raw-sip.js';

const listenMs = 2000;

function baresipConfig(dir: string, rtpPortMin: number): string {
  return [
    'poll_method epoll', 'sip_listen 127.0.0.1:0', 'sip_trans_def udp', 'call_max_calls 1',
    'audio_player aubridge,nil', `audio_source aufile,${join(dir, 'caller.wav')}`, 'audio_alert aubridge,nil',
    'audio_srate 8000', 'audio_channels 1', `rtp_ports ${rtpPortMin}-${rtpPortMin + 20}`,
    'module_path /usr/lib/baresip/modules', 'module g711.so', 'module aufile.so', 'module aubridge.so',
    'module_app account.so', 'module_app menu.so', '',
  ].join('\n');
}

describe('SipEndpoint with baresip', function () {
  this.timeout(30_000);
  let dir: string;
  let endpoint: SipEndpoint;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dn-baresip-'));
    endpoint = await startEndpoint();
  });

  afterEach(async () => {
    await endpoint.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a baresip call, receives its audio through the jitter buffer and hangs up with BYE', async () => {
    execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', join(dir, 'caller.wav'), 'synth', '4', 'sine', '440', 'vol', '0.5']);
    writeFileSync(join(dir, 'config'), baresipConfig(dir, 56_000 + (process.pid % 100) * 40));
    writeFileSync(join(dir, 'accounts'), '<sip:caller@127.0.0.1>;regint=0;audio_codecs=PCMU\n');
    const handled = new Promise<{ call: CallChannel; peak: number; frames: number }>((resolve) => {
      endpoint.once('call', (call) => {
        let peak = 0;
        let frames = 0;
        call.onAudio((frame) => {
          frames += 1;
          for (const sample of frame) peak = Math.max(peak, Math.abs(sample));
        });
        void delay(listenMs).then(async () => {
          await call.hangup();
          resolve({ call, peak, frames });
        });
      });
    });
    const output = await new Promise<{ code: number; text: string }>((resolve, reject) => {
      const child = spawn('baresip', ['-f', dir, '-e', `/dial sip:5550001@127.0.0.1:${endpoint.port}`, '-t', '4'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => { text = (text + chunk.toString()).slice(-20_000); });
      child.stderr.on('data', (chunk: Buffer) => { text = (text + chunk.toString()).slice(-20_000); });
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code: code ?? -1, text }));
    });
    const { call, peak, frames } = await handled;
    expect(output.text).to.include('Call established');
    // baresip reports our BYE as the session being closed by the peer.
    expect(output.text).to.match(/Call with sip:5550001@127\.0\.0\.1:\d+ terminated/);
    expect(call.facts.from).to.equal('sip:caller@127.0.0.1');
    expect(await call.ended).to.deep.equal({ reason: 'local-hangup' });
    expect((call as SipCall).media.stats.packetsReceived).to.be.greaterThan(listenMs / 20 / 2);
    expect(frames).to.be.greaterThan(listenMs / 20 / 2);
    expect(peak).to.be.within(12_000, 20_000); // the half-scale sine, through G.711
    expect(endpoint.stats.rtpPortsInUse).to.equal(0);
  });
});
