// The endpoint's pre-answer screen (how caller trust refuses an INVITE before it rings): a refusal is
// the final response with its status, reason and Retry-After, no call reaches the app and no RTP
// port stays in use; a failing screen answers 503; an accepted INVITE rings and is answered.
import { expect } from 'chai';
import type { ScreenVerdict, SipEndpoint } from '../../src/telephony/endpoint.js';
import { startEndpoint } from '../telephony/support/endpoint.js';
import { offer, request, UdpSipClient } from '../telephony/support/raw-sip.js';

describe('ivr/screen: SipEndpoint refuses or admits INVITEs before ringing', function () {
  this.timeout(10_000);
  let endpoint: SipEndpoint | null = null;
  let client: UdpSipClient;
  let seen: Array<{ callId: string; fromNumber: string | undefined; verstat: string | undefined }> = [];

  async function withScreen(screen: () => Promise<ScreenVerdict>): Promise<SipEndpoint> {
    seen = [];
    endpoint = await startEndpoint({
      screen: async ({ callId, facts }) => {
        seen.push({ callId, fromNumber: facts.fromNumber, verstat: facts.verstat });
        return screen();
      },
    });
    return endpoint;
  }

  function invite(): string {
    return request('INVITE', {
      clientPort: client.port, body: offer(client.port + 2),
      extra: ['P-Asserted-Identity: <sip:+15155550101@127.0.0.1;user=phone;verstat=TN-Validation-Passed>'],
    });
  }

  beforeEach(async () => {
    client = await UdpSipClient.open();
  });

  afterEach(async () => {
    await endpoint?.close();
    endpoint = null;
    await client.close();
  });

  it('a refusal is sent as the final response, with Retry-After; the app never sees a call', async () => {
    const sip = await withScreen(async () => ({ accept: false, status: 486, reason: 'Busy Here', retryAfterSeconds: 120 }));
    let calls = 0;
    sip.on('call', () => { calls += 1; });
    const replies = await client.exchange(sip.port, invite(), 1_000);
    const final = replies.find((reply) => reply.status >= 200);
    expect(final?.text).to.match(/^SIP\/2\.0 486 Busy Here\r\n/);
    expect(final?.text).to.match(/\r\nRetry-After: 120\r\n/);
    expect(calls).to.equal(0);
    expect(seen).to.have.length(1);
    expect(seen[0]).to.deep.include({ fromNumber: '7125551234', verstat: 'TN-Validation-Passed' });
    expect(sip.stats.rtpPortsInUse).to.equal(0);
  });

  it('a screen that throws answers 503 with Retry-After', async () => {
    const sip = await withScreen(async () => { throw new Error('redis is down'); });
    const replies = await client.exchange(sip.port, invite(), 1_000);
    expect(replies.find((reply) => reply.status >= 200)?.text).to.match(/^SIP\/2\.0 503 [^\r]*\r\n(.*\r\n)*Retry-After: 5\r\n/);
  });

  it('an admitted INVITE rings and is answered', async () => {
    const sip = await withScreen(async () => ({ accept: true }));
    const answered = new Promise((resolve) => sip.once('call', resolve));
    const replies = await client.exchange(sip.port, invite(), 2_000);
    expect(replies.map((reply) => reply.status)).to.include(200);
    expect(await answered).to.have.property('callId', seen[0]?.callId);
  });
});
