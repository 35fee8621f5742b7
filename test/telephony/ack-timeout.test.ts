// RFC 3261 §13.3.1.4: the 200 to an INVITE is retransmitted (T1, 2·T1, … capped at T2) until the ACK;
// without it the call ends after 64·T1 and we send BYE. Also: retransmitted INVITEs are absorbed.
import { expect } from 'chai';
import { createSocket } from 'node:dgram';
import { parseRtpPacket } from '../../src/telephony/rtp/packet.js';
import type { CallChannel } from '../../src/ivr/call-channel.js';
import type { SipEndpoint } from '../../src/telephony/endpoint.js';
import { startEndpoint } from './support/endpoint.js';
import { delay, offer, request, UdpSipClient } from './support/raw-sip.js';

describe('SipEndpoint dialogs over raw UDP', function () {
  this.timeout(15_000);
  let endpoint: SipEndpoint;
  let client: UdpSipClient;

  beforeEach(async () => {
    endpoint = await startEndpoint({ timers: { t1Ms: 50, t2Ms: 200, t4Ms: 250 } });
    client = await UdpSipClient.open();
  });

  afterEach(async () => {
    await client.close();
    await endpoint.close();
  });

  it('retransmits 200 until 64·T1, then ends the call with reason ack-timeout and sends BYE', async () => {
    const calls: CallChannel[] = [];
    endpoint.on('call', (call) => calls.push(call));
    const invite = request('INVITE', { clientPort: client.port, body: offer(40_010) });
    client.send(endpoint.port, invite);
    client.send(endpoint.port, invite); // a retransmission: must not create a second call
    await delay(64 * 50 + 400);
    const replies = client.drain();
    const oks = replies.filter((reply) => reply.status === 200);
    const byes = replies.filter((reply) => reply.text.startsWith('BYE '));
    expect(calls).to.have.length(1);
    // 50, 100, 200, 200, … ms over 3.2 s: about 17 retransmissions plus the first 200.
    expect(oks.length).to.be.within(12, 22);
    expect(byes).to.have.length.greaterThan(0);
    expect(byes[0]?.text).to.match(/^CSeq: \d+ BYE$/m);
    expect(await calls[0]?.ended).to.deep.equal({ reason: 'ack-timeout' });
    expect(endpoint.stats.rtpPortsInUse).to.equal(0);
  });

  it('stops retransmitting once the ACK arrives; our hangup then sends BYE', async () => {
    const answered = new Promise<CallChannel>((resolve) => endpoint.once('call', resolve));
    const invite = request('INVITE', { clientPort: client.port, body: offer(40_012) });
    const replies = await client.exchange(endpoint.port, invite);
    const ok = replies.find((reply) => reply.status === 200);
    expect(ok?.text).to.match(/^Contact: <sip:delegate-network@127\.0\.0\.1:\d+>$/m);
    expect(ok?.text).to.match(/rport=\d+;received=127\.0\.0\.1|received=127\.0\.0\.1/);
    const to = /^To: .*$/m.exec(ok?.text ?? '')?.[0] ?? '';
    const ack = request('ACK', { clientPort: client.port, overrides: { To: to.slice(4), CSeq: '1 ACK',
      'Call-ID': /^Call-ID: (.*)$/m.exec(invite)?.[1] ?? '', From: /^From: (.*)$/m.exec(invite)?.[1] ?? '' } });
    client.send(endpoint.port, ack);
    const call = await answered;
    await delay(300);
    expect(client.drain().filter((reply) => reply.status === 200)).to.deep.equal([]);
    const started = Date.now();
    await call.hangup(); // resolves on the caller's 200 to our BYE, long before the 64·T1 timeout
    expect(Date.now() - started).to.be.below(1000);
    const bye = client.drain().find((reply) => reply.text.startsWith('BYE '));
    expect(bye?.text).to.match(/^To: .*tag=raw\d+$/m); // addressed to the caller's tag
    expect(await call.ended).to.deep.equal({ reason: 'local-hangup' });
    expect(endpoint.stats.clientTransactions).to.equal(0);
  });

  function ackFor(invite: string, ok: string, body = ''): string {
    const header = (text: string, name: string): string => new RegExp(`^${name}: (.*)$`, 'm').exec(text)?.[1] ?? '';
    return request('ACK', {
      clientPort: client.port, ...(body.length > 0 ? { body } : {}),
      overrides: { To: header(ok, 'To'), CSeq: '1 ACK', 'Call-ID': header(invite, 'Call-ID'), From: header(invite, 'From') },
    });
  }

  it('delayed offer: our 200 offers PCMU/PCMA/telephone-event, the ACK\'s answer starts the media', async () => {
    const media = createSocket('udp4');
    await new Promise<void>((resolve) => media.bind(0, '127.0.0.1', resolve));
    const payloadTypes: number[] = [];
    media.on('message', (data) => { payloadTypes.push(parseRtpPacket(data)?.payloadType ?? -1); });
    try {
      const answered = new Promise<CallChannel>((resolve) => endpoint.once('call', resolve));
      const invite = request('INVITE', { clientPort: client.port });
      const ok = (await client.exchange(endpoint.port, invite)).find((reply) => reply.status === 200)?.text ?? '';
      expect(ok).to.match(/^m=audio \d+ RTP\/AVP 0 8 101\r$/m);
      await delay(100);
      expect(payloadTypes).to.deep.equal([]); // nowhere to send before the answer
      const answer = ['v=0', 'o=raw 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
        `m=audio ${media.address().port} RTP/AVP 8 101`, 'a=rtpmap:101 telephone-event/8000', ''].join('\r\n');
      client.send(endpoint.port, ackFor(invite, ok, answer));
      const call = await answered;
      expect(await call.play(new Int16Array(1600))).to.equal('completed');
      expect(payloadTypes.length).to.be.greaterThan(5);
      expect(new Set(payloadTypes)).to.deep.equal(new Set([8])); // the answer chose PCMA
      await call.hangup();
    } finally {
      media.close();
    }
  });

  it('delayed offer with an ACK that brings no answer: BYE, and no call reaches the app', async () => {
    let calls = 0;
    endpoint.on('call', () => { calls += 1; });
    const invite = request('INVITE', { clientPort: client.port });
    const ok = (await client.exchange(endpoint.port, invite)).find((reply) => reply.status === 200)?.text ?? '';
    client.send(endpoint.port, ackFor(invite, ok));
    await delay(200);
    expect(client.drain().some((reply) => reply.text.startsWith('BYE '))).to.equal(true);
    expect(calls).to.equal(0);
    expect(endpoint.stats.rtpPortsInUse).to.equal(0);
  });

  it('behind a trunk: Record-Route is copied into the 200 and our BYE follows the route set', async () => {
    const answered = new Promise<CallChannel>((resolve) => endpoint.once('call', resolve));
    const route = `<sip:127.0.0.1:${client.port};lr>`;
    const invite = request('INVITE', {
      clientPort: client.port, body: offer(40_014),
      // The phone's own Contact is unreachable (port 9); only the trunk (the Record-Route) can reach it.
      overrides: { Contact: '<sip:phone@127.0.0.1:9>' }, extra: [`Record-Route: ${route}`],
    });
    const replies = await client.exchange(endpoint.port, invite);
    const ok = replies.find((reply) => reply.status === 200);
    expect(ok?.text).to.include(`Record-Route: ${route}\r\n`);
    const to = /^To: (.*)$/m.exec(ok?.text ?? '')?.[1] ?? '';
    client.send(endpoint.port, request('ACK', { clientPort: client.port, overrides: {
      To: to, CSeq: '1 ACK', 'Call-ID': /^Call-ID: (.*)$/m.exec(invite)?.[1] ?? '', From: /^From: (.*)$/m.exec(invite)?.[1] ?? '',
    } }));
    const call = await answered;
    await call.hangup();
    const bye = client.drain().find((reply) => reply.text.startsWith('BYE '));
    expect(bye?.text).to.match(/^BYE sip:phone@127\.0\.0\.1:9 SIP\/2\.0\r\n/); // Request-URI: the remote target
    expect(bye?.text).to.include(`Route: ${route}\r\n`);
  });
});
