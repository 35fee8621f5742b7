// Call-back with a real softphone answering: our endpoint places the call through the "trunk", where
// baresip listens; baresip answers by itself and keys the code as RFC 4733 events (its sndcode
// command), or lets the call ring out. The sipp phone of call-back.test.ts covers busy.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DialerOutboundCaller } from '../../src/ivr/dialer-outbound-caller.js';
import type { SipEndpoint } from '../../src/telephony/endpoint.js';
import { runCallBack } from '../../src/trust/call-back.js';
import { tone } from '../telephony/support/caller-media.js';
import { startEndpoint } from '../telephony/support/endpoint.js';
import { freeUdpPort } from '../telephony/support/sipp.js';
import { BaresipPhone } from '../trust/baresip-phone.js';

describe('ivr/call-back over the real endpoint and a baresip phone', function () {
  this.timeout(40_000);
  let dir: string;
  let endpoint: SipEndpoint;
  let trunkPort: number;
  let caller: DialerOutboundCaller;
  let phone: BaresipPhone | null = null;
  const rtpPortMin = 41_000 + (process.pid % 50) * 40;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dn-callback-baresip-'));
    trunkPort = await freeUdpPort();
    endpoint = await startEndpoint({ trunk: { transport: 'udp', address: '127.0.0.1', port: trunkPort } });
    caller = new DialerOutboundCaller({ dialer: endpoint, from: '5155550100', speak: async () => tone(440, 300),
      ringTimeoutMs: 3_000 });
  });
  afterEach(async () => {
    await phone?.stop();
    phone = null;
    await endpoint.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts baresip on the trunk port; once it says the call is up, it keys `digits`. */
  async function answeringPhone(digits: string): Promise<BaresipPhone> {
    const started = await BaresipPhone.start({ dir, sipPort: trunkPort, number: '7125551234', answer: 'auto', rtpPortMin });
    void started.waitFor(/Call established/, 20_000).then(() => started.sendDigits(digits), () => undefined);
    return started;
  }

  it('confirms when baresip keys the code, and both ends hang up cleanly', async () => {
    phone = await answeringPhone('2580');
    expect(await runCallBack({ caller, to: '7125551234', code: '2580', timeoutMs: 15_000 })).to.equal('confirmed');
    // baresip reports our BYE as "terminated" or, depending on timing, "session closed: Connection reset by peer".
    await phone.waitFor(/terminated|session closed/, 5_000);
    expect(phone.log).to.match(/Call established/);
    expect(endpoint.stats.rtpPortsInUse).to.equal(0);
  });

  it('says wrong-code when baresip keys other digits', async () => {
    phone = await answeringPhone('1111');
    expect(await runCallBack({ caller, to: '7125551234', code: '2580', timeoutMs: 15_000 })).to.equal('wrong-code');
  });

  it('reports no answer when baresip only rings, and cancels the call', async () => {
    phone = await BaresipPhone.start({ dir, sipPort: trunkPort, number: '7125551234', answer: 'manual', rtpPortMin });
    expect(await runCallBack({ caller, to: '7125551234', code: '2580', timeoutMs: 15_000 })).to.equal('no-answer');
    await phone.waitFor(/Incoming call/i, 1_000);
    expect(phone.log).not.to.match(/Call established/);
    expect(endpoint.stats.rtpPortsInUse).to.equal(0);
  });
});
