import { expect } from 'chai';
import { DtmfReceiver, parseTelephoneEvent, planDtmf } from '../../src/telephony/rtp/dtmf-4733.js';

describe('RFC 4733 DTMF', () => {
  it('reports a key once despite its three end packets', () => {
    const digits: string[] = [];
    const receiver = new DtmfReceiver((digit) => digits.push(digit));
    for (const payload of planDtmf('5', 100).payloads) receiver.receive(1000, payload);
    for (const payload of planDtmf('#', 60).payloads) receiver.receive(3000, payload);
    expect(digits).to.deep.equal(['5', '#']);
  });

  it('reports a key whose end packets were all lost when the next key starts', () => {
    const digits: string[] = [];
    const receiver = new DtmfReceiver((digit) => digits.push(digit));
    const first = planDtmf('1', 100).payloads.filter((payload) => parseTelephoneEvent(payload)?.end !== true);
    for (const payload of first) receiver.receive(1000, payload);
    expect(digits).to.deep.equal([]);
    for (const payload of planDtmf('2', 100).payloads) receiver.receive(5000, payload);
    expect(digits).to.deep.equal(['1', '2']);
  });

  it('a repeated key is two keys (distinct timestamps)', () => {
    const digits: string[] = [];
    const receiver = new DtmfReceiver((digit) => digits.push(digit));
    for (const timestamp of [100, 2000]) for (const payload of planDtmf('7', 80).payloads) receiver.receive(timestamp, payload);
    expect(digits.join('')).to.equal('77');
  });

  it('plans start, updates and three end packets with growing duration', () => {
    const plan = planDtmf('9', 100);
    const events = plan.payloads.map((payload) => parseTelephoneEvent(payload));
    expect(events.filter((event) => event?.end === true)).to.have.length(3);
    expect(events.every((event) => event?.event === 9)).to.equal(true);
    expect(events[events.length - 1]?.duration).to.equal(800);
    expect(() => planDtmf('x', 100)).to.throw(RangeError);
  });
});
