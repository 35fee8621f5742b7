// MAX_CALLS on the drachtio line: with a bound of one call, a second INVITE — while the first is still
// being set up, and while it is up — is refused with 503 and Retry-After (no FreeSWITCH endpoint made,
// no dialog); once the first call ends the next caller is answered again, and a call whose hangup
// arrives in the same read as its answer is ended and released at once.
import { expect } from 'chai';
import { FakeSipCaller } from '../../fakes/fake-sip-caller.js';
import { first, statusOf } from '../../fakes/sip-text.js';
import { DrachtioRig, answered, una, waitFor } from './drachtio-rig.js';

describe('telephony/drachtio: the concurrent-call bound (MAX_CALLS)', function () {
  this.timeout(60_000);
  let rig: DrachtioRig;
  let callerPort = 5900;

  before(async () => {
    rig = await DrachtioRig.start({ promptSamples: 40_000, settings: { maxCalls: 1 } });
  });

  after(async () => {
    await rig.stop();
  });

  /** A caller that is expected to be refused: resolves with its final status and Retry-After. */
  async function refusedCall(): Promise<{ status: number; retryAfter: string | undefined }> {
    callerPort += 1;
    const caller = new FakeSipCaller(rig.drachtio, `127.0.0.1:${callerPort}`);
    caller.invite({ from: `+1${una.phone}`, to: '5155550000',
      headers: { 'P-Asserted-Identity': `<sip:+1${una.phone}@127.0.0.1;verstat=No-TN-Validation>` } });
    const status = await caller.finalStatus;
    const final = caller.received.find((m) => statusOf(m) === status);
    return { status, retryAfter: final === undefined ? undefined : first(final, 'retry-after') };
  }

  it('refuses a second call while the first is being set up, and while it is up', async () => {
    const channelsBefore = rig.freeswitch.channels.length;
    rig.drachtio.answerEchoDelayMs = 800;
    try {
      const dialing = rig.dial(una.phone, 'No-TN-Validation');
      await waitFor(() => (rig.line.callCount === 1 ? true : undefined), 'the first call being set up');
      expect(await refusedCall(), 'during set-up').to.deep.equal({ status: 503, retryAfter: '5' });
      const { caller } = await dialing;
      await answered(caller);
      // The app has the call once its dialog speaks (the 200 OK's echo is held back 800 ms).
      await waitFor(() => (rig.transcript.length > 0 ? true : undefined), 'the first prompt');
      expect(await refusedCall(), 'while up').to.deep.equal({ status: 503, retryAfter: '5' });
      expect(rig.freeswitch.channels.length - channelsBefore, 'no FreeSWITCH endpoint for refused calls').to.equal(1);
      caller.hangUp();
      expect((await rig.ended).end).to.equal('hangup');
    } finally {
      rig.drachtio.answerEchoDelayMs = 0;
    }
  });

  it('answers the next caller once the call has ended', async () => {
    await waitFor(() => (rig.line.callCount === 0 ? true : undefined), 'the ended call to be released');
    const { caller } = await rig.dial(una.phone, 'No-TN-Validation');
    await answered(caller);
    caller.hangUp();
    expect((await rig.ended).end).to.equal('hangup');
  });

  it('ends the call when the caller hangs up in the same read as the answer (the dialog ended before it was ours)', async () => {
    await waitFor(() => (rig.line.callCount === 0 ? true : undefined), 'the ended call to be released');
    rig.drachtio.answerEchoCoalescedWithBye = true;
    try {
      const { caller } = await rig.dial(una.phone, 'No-TN-Validation');
      await answered(caller);
      caller.hangUp();
      const started = Date.now();
      expect((await rig.ended).end).to.equal('hangup');
      expect(Date.now() - started, 'ended at once, not when the dialog gave up').to.be.below(5_000);
      await waitFor(() => (rig.line.callCount === 0 ? true : undefined), 'the call to be released');
    } finally {
      rig.drachtio.answerEchoCoalescedWithBye = false;
    }
  });
});
