// The CallChannel behaviour the dialog relies on, over a real RTP session: type-ahead, terminators,
// timeouts, barge-in by key or by abort signal, and hangup while waiting.
import { expect } from 'chai';
import { pino } from 'pino';
import { SipCall } from '../../src/telephony/call.js';
import { ChannelBusyError } from '../../src/telephony/errors.js';
import { RtpPortPool } from '../../src/telephony/rtp/port-pool.js';
import { RtpSession } from '../../src/telephony/rtp/session.js';
import { delay } from './support/raw-sip.js';

const rangeStart = 54_000 + (process.pid % 100) * 20;
const facts = { from: 'sip:+17125551234@127.0.0.1', to: 'sip:5550001@127.0.0.1', identityHeaders: [], sourceAddress: '127.0.0.1:5060' };

describe('SipCall (CallChannel)', function () {
  this.timeout(10_000);
  const pool = new RtpPortPool('127.0.0.1', rangeStart, rangeStart + 19);
  let call: SipCall;
  let hangups: number;

  beforeEach(async () => {
    hangups = 0;
    const media = new RtpSession({
      binding: await pool.allocate(), logger: pino({ level: 'silent' }), mediaTimeoutMs: 60_000,
      media: { codec: 'PCMU', payloadType: 0, telephoneEventPayloadType: 101, remoteAddress: '127.0.0.1', remotePort: 9, sending: false },
      onDigit: (digit) => call.receiveDigit(digit), onMediaTimeout: () => undefined,
    });
    call = new SipCall('call-1', facts, media, {
      hangup: async (target) => {
        hangups += 1;
        target.end('local-hangup');
      },
    });
  });

  afterEach(() => {
    call.end('shutdown');
    expect(pool.used).to.equal(0);
  });

  it('keys typed during an interruptible prompt stop it and count for the next collection', async () => {
    const playing = call.play(new Int16Array(8000 * 5), { interruptible: true });
    await delay(100);
    call.receiveDigit('4');
    expect(await playing).to.equal('interrupted');
    call.receiveDigit('2');
    expect(await call.collectDigits({ maxDigits: 2, timeoutMs: 1000, interDigitTimeoutMs: 1000 })).to.deep.equal({ digits: '42', reason: 'max' });
    // With type-ahead present, an interruptible prompt does not even start.
    call.receiveDigit('9');
    expect(await call.play(new Int16Array(8000), { interruptible: true })).to.equal('interrupted');
  });

  it('a non-interruptible prompt plays to the end despite keys', async () => {
    const playing = call.play(new Int16Array(1600));
    call.receiveDigit('1');
    expect(await playing).to.equal('completed');
  });

  it('an abort signal (speech barge-in) interrupts the prompt', async () => {
    const controller = new AbortController();
    const playing = call.play(new Int16Array(8000 * 5), { signal: controller.signal });
    await delay(60);
    controller.abort();
    expect(await playing).to.equal('interrupted');
  });

  it('terminator ends the collection without being included; the first-key timeout applies', async () => {
    const collecting = call.collectDigits({ maxDigits: 10, timeoutMs: 1000, interDigitTimeoutMs: 1000, terminators: '#' });
    call.receiveDigit('7');
    call.receiveDigit('#');
    expect(await collecting).to.deep.equal({ digits: '7', reason: 'terminator' });
    const started = Date.now();
    expect(await call.collectDigits({ maxDigits: 2, timeoutMs: 150, interDigitTimeoutMs: 1000 })).to.deep.equal({ digits: '', reason: 'timeout' });
    expect(Date.now() - started).to.be.within(140, 400);
  });

  it('the inter-digit timeout ends a partial entry; a second collection at once is refused', async () => {
    const collecting = call.collectDigits({ maxDigits: 4, timeoutMs: 5000, interDigitTimeoutMs: 100 });
    let busy: unknown = null;
    await call.collectDigits({ maxDigits: 1, timeoutMs: 100, interDigitTimeoutMs: 100 })
      .catch((error: unknown) => { busy = error; });
    expect(busy).to.be.instanceOf(ChannelBusyError);
    call.receiveDigit('3');
    expect(await collecting).to.deep.equal({ digits: '3', reason: 'timeout' });
  });

  it('hangup resolves waiting play and collect with "hangup" and ends the call once', async () => {
    const playing = call.play(new Int16Array(8000 * 5));
    await call.hangup();
    await call.hangup();
    expect(await playing).to.equal('hangup');
    expect(await call.collectDigits({ maxDigits: 1, timeoutMs: 1000, interDigitTimeoutMs: 1000 })).to.deep.equal({ digits: '', reason: 'hangup' });
    expect(await call.ended).to.deep.equal({ reason: 'local-hangup' });
    expect(hangups).to.equal(1);
  });

  it('a remote hangup during a collection resolves it with "hangup"', async () => {
    const collecting = call.collectDigits({ maxDigits: 4, timeoutMs: 5000, interDigitTimeoutMs: 5000 });
    call.receiveDigit('5');
    call.end('remote-hangup');
    expect(await collecting).to.deep.equal({ digits: '5', reason: 'hangup' });
  });
});
