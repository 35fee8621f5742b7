// The call-back's outbound call on the drachtio path: the same DialerOutboundCaller the embedded
// endpoint uses, over DrachtioDialer. FreeSWITCH (FAKE) makes the endpoint and its SDP offer first
// (3pcc), the real drachtio-srf sends the INVITE through the FAKE drachtio-server to a fake phone
// behind the trunk, the phone's answer goes back to FreeSWITCH (re-INVITE), the prompt plays, and the
// person keys the code as DTMF on FreeSWITCH's channel. Busy and declined calls report their outcome.
import { expect } from 'chai';
import { DialerOutboundCaller } from '../../../src/ivr/dialer-outbound-caller.js';
import { failureOfStatus } from '../../../src/telephony/drachtio/drachtio-dialer.js';
import { FakeSipCallee } from '../../fakes/fake-sip-callee.js';
import { first } from '../../fakes/sip-text.js';
import { DrachtioRig, waitFor } from './drachtio-rig.js';

const trunk = '127.0.0.1:5199';

describe('telephony/drachtio: the call-back\'s outbound call (fake drachtio-server and FreeSWITCH)', function () {
  this.timeout(60_000);
  let rig: DrachtioRig;
  let callee: FakeSipCallee;
  let caller: DialerOutboundCaller;

  before(async () => {
    rig = await DrachtioRig.start({ promptSamples: 4_000, settings: { trunk } });
    callee = new FakeSipCallee(rig.drachtio, trunk, { status: 200, answerAfterMs: 100 });
    const dialer = rig.line.dialer;
    if (dialer === null) throw new Error('the line has a trunk, so it must have a dialer');
    caller = new DialerOutboundCaller({ dialer, from: '5155550000', speak: async () => new Int16Array(4_000) });
  });

  after(async () => {
    await rig.stop();
  });

  it('calls through the trunk with FreeSWITCH\'s offer, plays the prompt, and collects the keyed code', async () => {
    callee.behaviour = { status: 200, answerAfterMs: 100 };
    const known = new Set(rig.freeswitch.channels);
    const result = caller.callAndCollectDigits({
      to: '5155550199', prompt: 'Your code, please.', digitsExpected: 4, timeoutMs: 10_000,
    });
    const channel = await waitFor(
      () => rig.freeswitch.channels.find((c) => !known.has(c) && c.remoteSdpUpdates.length > 0), 'FreeSWITCH to get the answer');
    // 3pcc: FreeSWITCH was asked without an SDP, offered its own, and got the phone's answer later.
    expect(channel.invite.body).to.equal('');
    expect(channel.remoteSdpUpdates[0]).to.include('o=callee');
    const invite = callee.invites.at(-1);
    expect(invite?.startLine).to.equal(`INVITE sip:+15155550199@${trunk} SIP/2.0`);
    expect(invite?.body).to.include('o=FreeSWITCH');
    expect(first(invite ?? { startLine: '', headers: new Map(), body: '' }, 'from')).to.include('+15155550000');
    // Offer in the INVITE, answer in the 200: the phone's ACK carries no second offer or answer.
    const ack = await waitFor(() => callee.received.find((m) => m.startLine.startsWith('ACK ')), 'the ACK');
    expect(ack.body).to.equal('');
    await waitFor(() => (channel.isPlaying ? true : undefined), 'the prompt');
    await rig.freeswitch.pressKeys(channel, '2468', 80);
    expect(await result).to.deep.equal({ outcome: 'answered', digits: '2468' });
    expect(channel.executions.filter((e) => e.app === 'playback')).to.have.length.greaterThan(0);
    // The app hangs up the call: the phone gets a BYE, FreeSWITCH's channel ends.
    await callee.byeReceived;
    await waitFor(() => (channel.hungUp ? true : undefined), 'FreeSWITCH\'s channel to end');
  });

  it('reports a busy phone and a declined call, and leaves no FreeSWITCH channel up', async () => {
    for (const [status, outcome] of [[486, 'busy'], [603, 'failed']] as const) {
      callee.behaviour = { status, answerAfterMs: 50 };
      const known = new Set(rig.freeswitch.channels);
      const result = await caller.callAndCollectDigits({ to: '5155550199', prompt: 'Your code.', digitsExpected: 4, timeoutMs: 5_000 });
      expect(result).to.deep.equal({ outcome });
      const created = rig.freeswitch.channels.filter((c) => !known.has(c));
      expect(created).to.have.length(1);
      await waitFor(() => (created.every((c) => c.hungUp) ? true : undefined), 'the endpoint to be released');
    }
  });

  it('cancels a call that rings past the ring timeout and reports no answer', async () => {
    const dialer = rig.line.dialer;
    if (dialer === null) throw new Error('no dialer');
    callee.behaviour = { status: 200, answerAfterMs: 20_000 };
    const impatient = new DialerOutboundCaller({
      dialer, from: '5155550000', speak: async () => new Int16Array(800), ringTimeoutMs: 400,
    });
    const cancelsBefore = callee.cancels;
    const known = new Set(rig.freeswitch.channels);
    const result = await impatient.callAndCollectDigits({
      to: '5155550199', prompt: 'Your code.', digitsExpected: 4, timeoutMs: 5_000,
    });
    expect(result).to.deep.equal({ outcome: 'no-answer' });
    expect(callee.cancels).to.equal(cancelsBefore + 1);
    const created = rig.freeswitch.channels.filter((c) => !known.has(c));
    await waitFor(() => (created.length === 1 && created.every((c) => c.hungUp) ? true : undefined),
      'the endpoint to be released');
  });

  it('maps final statuses as the embedded endpoint does', () => {
    expect([486, 600, 408, 480, 487, 403, 503].map(failureOfStatus))
      .to.deep.equal(['busy', 'busy', 'no-answer', 'no-answer', 'no-answer', 'rejected', 'rejected']);
  });
});
