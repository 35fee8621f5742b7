// Call-back on the real endpoint: we place the call through the "trunk" (sipp as the called phone),
// speak the prompt, and the person keys the code as RFC 4733 events. No test double on this path.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DialerOutboundCaller } from '../../src/ivr/dialer-outbound-caller.js';
import type { SipEndpoint } from '../../src/telephony/endpoint.js';
import { runCallBack } from '../../src/trust/call-back.js';
import { callerMedia, tone } from '../telephony/support/caller-media.js';
import { startEndpoint } from '../telephony/support/endpoint.js';
import { writePcap } from '../telephony/support/pcap.js';
import { freeUdpPort, startSippServer, type SippResult } from '../telephony/support/sipp.js';
import { defaultSipTimers } from '../../src/telephony/sip/limits.js';

describe('ivr/call-back over the real endpoint and a sipp phone', function () {
  this.timeout(40_000);
  let dir: string;
  let endpoint: SipEndpoint;
  let trunkPort: number;
  let caller: DialerOutboundCaller;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dn-callback-'));
    trunkPort = await freeUdpPort();
    // RFC timers: Timer B (64·T1 = 32 s) must outlast a loaded machine, or a late 486 reads as no answer.
    endpoint = await startEndpoint({ timers: defaultSipTimers, trunk: { transport: 'udp', address: '127.0.0.1', port: trunkPort } });
    caller = new DialerOutboundCaller({ dialer: endpoint, from: '5155550100', speak: async () => tone(440, 300),
      ringTimeoutMs: 2_000 });
  });
  afterEach(async () => {
    await endpoint.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts sipp as the called phone, ready once its port is bound. */
  function phone(scenario: string, keys: string): Promise<{ done: Promise<SippResult> }> {
    writePcap(join(dir, 'keys.pcap'), callerMedia({ toneMs: 100, digits: keys, startDelayMs: 200 }));
    return startSippServer({ scenario, target: '', cwd: dir, port: trunkPort, extraArgs: [] });
  }

  it('confirms when the person keys the code, and hangs up', async () => {
    const far = await phone('uas-keys.xml', '2580');
    expect(await runCallBack({ caller, to: '7125551234', code: '2580', timeoutMs: 10_000 })).to.equal('confirmed');
    const result = await far.done;
    expect(result.code, result.stdout.slice(-1500)).to.equal(0);
    expect(endpoint.stats.rtpPortsInUse).to.equal(0);
  });

  it('says wrong-code when other keys come', async () => {
    const far = await phone('uas-keys.xml', '1111');
    expect(await runCallBack({ caller, to: '7125551234', code: '2580', timeoutMs: 10_000 })).to.equal('wrong-code');
    expect((await far.done).code).to.equal(0);
  });

  it('reports busy and no answer without a code', async () => {
    const busy = await phone('uas-busy.xml', '');
    expect(await runCallBack({ caller, to: '7125551234', code: '2580', timeoutMs: 10_000 })).to.equal('busy');
    expect((await busy.done).code).to.equal(0);
    const ringing = await phone('uas-no-answer.xml', '');
    expect(await runCallBack({ caller, to: '7125551234', code: '2580', timeoutMs: 10_000 })).to.equal('no-answer');
    expect((await ringing.done).code).to.equal(0);
  });
});
