// Keys a caller presses before the app has its call object are not lost on the drachtio path: the
// FreeSWITCH endpoint exists (and reports DTMF) one drachtio round trip before the 200 OK to the
// caller is confirmed to the app; here the FAKE drachtio-server makes that round trip slow, the
// caller keys the captcha at once, and the captcha still passes. Also: each answered call is one
// 'call' event (what /metrics counts), and the early-key buffer is bounded.
import { expect } from 'chai';
import type { CallChannel } from '../../../src/ivr/call-channel.js';
import { EarlyDigits } from '../../../src/telephony/drachtio/early-digits.js';
import { DrachtioRig, una, waitFor } from './drachtio-rig.js';

describe('telephony/drachtio: keys pressed before the call is set up', function () {
  this.timeout(60_000);
  let rig: DrachtioRig;

  before(async () => {
    rig = await DrachtioRig.start({ promptSamples: 800 });
  });

  after(async () => {
    await rig.stop();
  });

  it('holds keys from the moment FreeSWITCH reports them and hands them to the dialog', async () => {
    rig.drachtio.answerEchoDelayMs = 600;
    const calls: Array<{ call: CallChannel; at: number }> = [];
    const onCall = (call: CallChannel): void => { calls.push({ call, at: Date.now() }); };
    rig.line.on('call', onCall);
    try {
      const { caller, channel } = await rig.dial(una.phone, 'No-TN-Validation');
      // The endpoint subscribed to DTMF; the app does not have the call yet (its 200 OK is not confirmed).
      const keyedAt = Date.now();
      await rig.freeswitch.pressKeys(channel, '47', 10);
      expect(calls, 'no call object yet when the keys were pressed').to.have.length(0);
      expect(channel.played, 'no prompt had started when the keys were pressed').to.have.length(0);
      await waitFor(() => (rig.transcript.some((l) => l.text.startsWith('Welcome')) ? true : undefined), 'the greeting');
      expect(rig.transcript[1]).to.deep.equal({ who: 'caller', text: '47' });
      expect(calls).to.have.length(1);
      expect(calls[0]?.at).to.be.greaterThan(keyedAt);
      caller.hangUp();
      expect((await rig.ended).end).to.equal('hangup');
    } finally {
      rig.line.off('call', onCall);
      rig.drachtio.answerEchoDelayMs = 0;
    }
  });

  it('emits one call event per answered call', async () => {
    let count = 0;
    const onCall = (): void => { count += 1; };
    rig.line.on('call', onCall);
    try {
      for (let index = 0; index < 2; index += 1) {
        const { caller, channel } = await rig.dial(una.phone, 'No-TN-Validation');
        await waitFor(() => (channel.isPlaying || channel.played.length > 0 ? true : undefined), 'the first prompt');
        caller.hangUp();
        expect((await rig.ended).end).to.equal('hangup');
      }
      expect(count).to.equal(2);
    } finally {
      rig.line.off('call', onCall);
    }
  });

  it('keeps at most its bound of early keys, dropping the oldest, and passes later keys straight on', () => {
    const early = new EarlyDigits(4);
    for (const key of '123456') early.push(key);
    early.push('x');
    expect(early.held).to.equal(4);
    expect(early.dropped).to.equal(2);
    const got: string[] = [];
    early.deliverTo((digit) => got.push(digit));
    early.push('#');
    expect(got.join('')).to.equal('3456#');
    expect(() => new EarlyDigits(0)).to.throw(RangeError);
  });
});
