// Calls we place (for call-back), to a sipp UAS standing in for the trunk: answered (audio reaches
// the far end, our BYE ends it), busy (486), and no answer (we CANCEL after the ring timeout → 487).
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallChannel } from '../../src/ivr/call-channel.js';
import type { SipCall } from '../../src/telephony/call.js';
import type { SipEndpoint } from '../../src/telephony/endpoint.js';
import { NoTrunkError } from '../../src/telephony/errors.js';
import { tone } from './support/caller-media.js';
import { startEndpoint } from './support/endpoint.js';
import { delay } from './support/raw-sip.js';
import { freeUdpPort, startSippServer, type SippResult } from './support/sipp.js';
import { defaultSipTimers } from '../../src/telephony/sip/limits.js';

describe('SipEndpoint outbound calls (OutboundDialer)', function () {
  this.timeout(30_000);
  let dir: string;
  let endpoint: SipEndpoint;
  let trunkPort: number;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dn-outbound-'));
    trunkPort = await freeUdpPort();
    // RFC timers: Timer B (64·T1 = 32 s) must outlast a loaded machine, or a late 486 reads as no answer.
    endpoint = await startEndpoint({ timers: defaultSipTimers, trunk: { transport: 'udp', address: '127.0.0.1', port: trunkPort } });
  });

  afterEach(async () => {
    await endpoint.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts sipp as the far end, ready once its port is bound. */
  function farEnd(scenario: string, extraArgs: string[] = []): Promise<{ done: Promise<SippResult> }> {
    return startSippServer({ scenario, target: '', cwd: dir, port: trunkPort, extraArgs });
  }

  it('answered: plays audio that reaches the far end, then our hangup ends it with BYE', async () => {
    const sipp = await farEnd('uas-answer.xml', ['-rtp_echo']);
    const result = await endpoint.call('7125551234', { from: '5155550100', ringTimeoutMs: 5000 });
    expect(result).to.not.have.property('failed');
    const call = result as CallChannel;
    expect(await call.play(tone(500, 1000))).to.equal('completed');
    await delay(100);
    expect((call as SipCall).media.stats.packetsLooped).to.be.greaterThan(20); // echoed by sipp
    await call.hangup();
    expect(await call.ended).to.deep.equal({ reason: 'local-hangup' });
    const far = await sipp.done;
    expect(far.code, far.stdout.slice(-1500)).to.equal(0);
    expect(endpoint.stats.rtpPortsInUse).to.equal(0);
  });

  it('busy: 486 → { failed: "busy" } and the port is released', async () => {
    const sipp = await farEnd('uas-busy.xml');
    expect(await endpoint.call('7125551234', { from: '5155550100', ringTimeoutMs: 5000 })).to.deep.equal({ failed: 'busy', status: 486 });
    const far = await sipp.done;
    expect(far.code, far.stdout.slice(-1500)).to.equal(0); // it got our ACK
    expect(endpoint.stats.rtpPortsInUse).to.equal(0);
  });

  it('no answer: CANCEL after the ring timeout, 487 → { failed: "no-answer" }', async () => {
    const sipp = await farEnd('uas-no-answer.xml');
    const started = Date.now();
    const result = await endpoint.call('7125551234', { from: '5155550100', ringTimeoutMs: 500 });
    expect(result).to.deep.equal({ failed: 'no-answer', status: 487 });
    expect(Date.now() - started).to.be.within(450, 3000);
    const far = await sipp.done;
    expect(far.code, far.stdout.slice(-1500)).to.equal(0);
    expect(endpoint.stats.calls).to.equal(0);
  });

  it('nobody there: no response at all → { failed: "timeout" } after 64·T1', async () => {
    await endpoint.close();
    const t1Ms = 20;
    endpoint = await startEndpoint({ timers: { t1Ms, t2Ms: 80, t4Ms: 100 }, trunk: { transport: 'udp', address: '127.0.0.1', port: trunkPort } });
    const started = Date.now();
    const result = await endpoint.call('7125551234', { from: '5155550100', ringTimeoutMs: 60_000 });
    expect(result).to.deep.equal({ failed: 'timeout' });
    expect(Date.now() - started).to.be.within(64 * t1Ms - 50, 64 * t1Ms + 1000);
    expect(endpoint.stats.rtpPortsInUse).to.equal(0);
  });

  it('without a trunk, call() throws NoTrunkError', async () => {
    await endpoint.close();
    endpoint = await startEndpoint();
    let error: unknown = null;
    try {
      await endpoint.call('7125551234', { from: '5155550100', ringTimeoutMs: 1000 });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(NoTrunkError);
  });
});
