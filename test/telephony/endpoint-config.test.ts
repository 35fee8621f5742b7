import { expect } from 'chai';
import { pino } from 'pino';
import { endpointOptionsFromConfig, splitHostPort } from '../../src/telephony/endpoint-config.js';

describe('endpoint options from configuration', () => {
  it('splits SIP_LISTEN, including bracketed IPv6', () => {
    expect(splitHostPort('0.0.0.0:5060')).to.deep.equal({ host: '0.0.0.0', port: 5060 });
    expect(splitHostPort('[::1]:5070')).to.deep.equal({ host: '::1', port: 5070 });
    expect(() => splitHostPort('5060')).to.throw(RangeError);
    expect(() => splitHostPort('host:99999')).to.throw(RangeError);
  });

  it('carries the RTP range, MAX_CALLS and the optional trunk', () => {
    const logger = pino({ level: 'silent' });
    const options = endpointOptionsFromConfig({ sipListen: '127.0.0.1:5080', rtpPortMin: 20_000, rtpPortMax: 20_999,
      maxCalls: 7 }, logger, { transport: 'udp', address: '192.0.2.10', port: 5060 });
    expect(options).to.include({ host: '127.0.0.1', port: 5080, rtpPortMin: 20_000, rtpPortMax: 20_999, maxCalls: 7 });
    expect(options.trunk).to.deep.equal({ transport: 'udp', address: '192.0.2.10', port: 5060 });
    expect(endpointOptionsFromConfig({ sipListen: '127.0.0.1:5080', rtpPortMin: 1, rtpPortMax: 2, maxCalls: 1 }, logger)).to.not.have.property('trunk');
  });
});
