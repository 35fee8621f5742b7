// Real calls from sipp to the embedded endpoint over loopback: audio and RFC 4733 keys in, prompt
// audio out, CANCEL before answer, BYE mid-prompt, re-INVITE, no common codec, OPTIONS.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallChannel } from '../../src/ivr/call-channel.js';
import { PromptSynthesizer } from '../../src/ivr/prompts.js';
import type { SipCall } from '../../src/telephony/call.js';
import type { SipEndpoint } from '../../src/telephony/endpoint.js';
import { callerMedia } from './support/caller-media.js';
import { runDemoCall } from './support/demo-app.js';
import { startEndpoint } from './support/endpoint.js';
import { writePcap } from './support/pcap.js';
import { runSipp } from './support/sipp.js';

function nextCall(endpoint: SipEndpoint): Promise<CallChannel> {
  return new Promise((resolve) => endpoint.once('call', resolve));
}

describe('SipEndpoint with sipp', function () {
  this.timeout(40_000);
  let dir: string;
  let endpoint: SipEndpoint;
  let prompts: PromptSynthesizer;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dn-sipp-'));
    prompts = new PromptSynthesizer({ cacheDir: join(dir, 'prompts') });
    endpoint = await startEndpoint();
  });

  afterEach(async () => {
    await endpoint.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('demo call: plays the prompt, collects two RFC 4733 keys, reads them back and hangs up', async () => {
    writePcap(join(dir, 'keys.pcap'), callerMedia({ toneMs: 600, digits: '47' }));
    const demo = nextCall(endpoint).then((call) => runDemoCall(call, prompts));
    const sipp = await runSipp({ scenario: 'uac-keys.xml', target: `127.0.0.1:${endpoint.port}`, cwd: dir, extraArgs: ['-rtp_echo'] });
    const outcome = await demo;
    expect(sipp.code, sipp.stderr + sipp.stdout.slice(-2000)).to.equal(0);
    // The first key arrives ~0.7 s into the 1.3 s prompt: barge-in by key.
    expect(outcome.promptResult).to.equal('interrupted');
    expect(outcome.collected).to.deep.equal({ digits: '47', reason: 'max' });
    expect(outcome.readBackResult).to.equal('completed');
    expect(outcome.call.facts.fromNumber).to.equal('7125551234');
    const media = (outcome.call as SipCall).media.stats;
    expect(media.digitsReceived).to.equal(2);
    // sipp echoed our prompt audio (-rtp_echo): proof that it reached the caller.
    expect(media.packetsLooped).to.be.greaterThan(20);
    expect(media.packetsReceived).to.be.greaterThan(25); // the caller's tone + key packets
    expect(await outcome.call.ended).to.deep.equal({ reason: 'local-hangup' });
    expect(endpoint.stats.rtpPortsInUse).to.equal(0);
  });

  it('CANCEL before answer: 200 for the CANCEL, 487 for the INVITE, no call reaches the app', async () => {
    await endpoint.close();
    endpoint = await startEndpoint({ ringingMs: 5000 });
    let calls = 0;
    endpoint.on('call', () => { calls += 1; });
    const sipp = await runSipp({ scenario: 'uac-cancel.xml', target: `127.0.0.1:${endpoint.port}`, cwd: dir });
    expect(sipp.code, sipp.stderr + sipp.stdout.slice(-2000)).to.equal(0);
    expect(calls).to.equal(0);
    expect(endpoint.stats.calls).to.equal(0);
    expect(endpoint.stats.rtpPortsInUse).to.equal(0);
  });

  it('BYE mid-prompt: play resolves "hangup", the call ends and its RTP port is released', async () => {
    const long = new Int16Array(8000 * 10);
    const played = nextCall(endpoint).then(async (call) => ({ call, result: await call.play(long) }));
    const sipp = await runSipp({ scenario: 'uac-bye-mid-prompt.xml', target: `127.0.0.1:${endpoint.port}`, cwd: dir });
    expect(sipp.code, sipp.stderr + sipp.stdout.slice(-2000)).to.equal(0);
    const { call, result } = await played;
    expect(result).to.equal('hangup');
    expect(await call.ended).to.deep.equal({ reason: 'remote-hangup' });
    expect(endpoint.stats.rtpPortsInUse).to.equal(0);
    expect(endpoint.stats.calls).to.equal(0);
  });

  it('re-INVITE: 200 with the same local media, RTP moves to the new address and codec', async () => {
    const answered = nextCall(endpoint);
    const sipp = await runSipp({ scenario: 'uac-reinvite.xml', target: `127.0.0.1:${endpoint.port}`, cwd: dir });
    expect(sipp.code, sipp.stderr + sipp.stdout.slice(-2000)).to.equal(0);
    const call = (await answered) as SipCall;
    expect(await call.ended).to.deep.equal({ reason: 'remote-hangup' });
    expect(call.media.stats.packetsSent).to.be.greaterThan(20);
    // sipp sends no RTP in this scenario, so the address is the re-INVITE's SDP: media port + 2.
    expect(call.media.remoteAddress).to.deep.equal({ address: '127.0.0.1', port: sipp.mediaPort + 2 });
    expect(call.media.codec).to.equal('PCMA');
  });

  it('an offer without PCMU or PCMA is refused with 488', async () => {
    let calls = 0;
    endpoint.on('call', () => { calls += 1; });
    const sipp = await runSipp({ scenario: 'uac-no-common-codec.xml', target: `127.0.0.1:${endpoint.port}`, cwd: dir });
    expect(sipp.code, sipp.stderr + sipp.stdout.slice(-2000)).to.equal(0);
    expect(calls).to.equal(0);
    expect(endpoint.stats.rtpPortsInUse).to.equal(0);
  });

  it('OPTIONS is answered 200 with Allow', async () => {
    const sipp = await runSipp({ scenario: 'uac-options.xml', target: `127.0.0.1:${endpoint.port}`, cwd: dir });
    expect(sipp.code, sipp.stderr + sipp.stdout.slice(-2000)).to.equal(0);
  });

  it('the same calls work over TCP', async () => {
    const sipp = await runSipp({ scenario: 'uac-options.xml', target: `127.0.0.1:${endpoint.port}`, cwd: dir, extraArgs: ['-t', 't1'] });
    expect(sipp.code, sipp.stderr + sipp.stdout.slice(-2000)).to.equal(0);
    const played = nextCall(endpoint).then(async (call) => call.play(new Int16Array(8000 * 10)));
    const bye = await runSipp({ scenario: 'uac-bye-mid-prompt.xml', target: `127.0.0.1:${endpoint.port}`, cwd: dir, extraArgs: ['-t', 't1'] });
    expect(bye.code, bye.stderr + bye.stdout.slice(-2000)).to.equal(0);
    expect(await played).to.equal('hangup');
  });
});
