// Locating the SIP trunk (RFC 3263): parsing SIP_TRUNK, RFC 2782 ordering of SRV records, lookups over
// real DNS wire format against a small test DNS server, and a call-back INVITE that fails over from a
// trunk address that never answers to the next SRV target (a real sipp UAS), keeping the domain in
// the Request-URI.
import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTrunk } from '../../src/config/sip-trunk.js';
import type { SipEndpoint } from '../../src/telephony/endpoint.js';
import {
  orderSrv, systemDns, TrunkLocator, TrunkNotFoundError, type SrvRecord,
} from '../../src/telephony/sip/trunk-locator.js';
import { TestDnsServer } from './support/dns-server.js';
import { startEndpoint } from './support/endpoint.js';
import { freeUdpPort, startSippServer } from './support/sipp.js';
import { thrown } from '../support/thrown.js';

const srv = (name: string, priority: number, weight: number): SrvRecord => ({ name, priority, weight, port: 5060 });

describe('telephony: locating the SIP trunk in DNS (RFC 3263)', function () {
  this.timeout(30_000);

  it('parses a domain, host:port and [IPv6]:port; refuses URIs and bad ports', () => {
    expect(parseTrunk('sip.example.net')).to.deep.equal({ host: 'sip.example.net', port: null, transport: 'udp' });
    expect(parseTrunk('192.0.2.7:5080')).to.deep.equal({ host: '192.0.2.7', port: 5080, transport: 'udp' });
    expect(parseTrunk('[2001:db8::1]:5060')).to.deep.equal({ host: '2001:db8::1', port: 5060, transport: 'udp' });
    expect(() => parseTrunk('sip:trunk.example.net')).to.throw(/not a host/);
    expect(() => parseTrunk('trunk.example.net:70000')).to.throw(/1-65535/);
  });

  it('orders SRV records by priority, then by weighted draws within a priority (RFC 2782)', () => {
    const records = [srv('c', 20, 0), srv('a', 10, 90), srv('b', 10, 10)];
    expect(orderSrv(records, () => 0.99).map((record) => record.name)).to.deep.equal(['b', 'a', 'c']);
    expect(orderSrv(records, () => 0.5).map((record) => record.name)).to.deep.equal(['a', 'b', 'c']);
    // Over many draws the heavier record comes first about 90 % of the time.
    let seed = 7;
    const random = (): number => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
    let aFirst = 0;
    for (let draw = 0; draw < 2000; draw += 1) if (orderSrv(records, random)[0]?.name === 'a') aFirst += 1;
    expect(aFirst / 2000).to.be.within(0.85, 0.95);
  });

  describe('over real DNS', () => {
    let dns: TestDnsServer;

    before(async () => {
      dns = await TestDnsServer.start({
        '_sip._udp.trunk.test': [
          { type: 'SRV', priority: 20, weight: 0, port: 5070, target: 'backup.trunk.test' },
          { type: 'SRV', priority: 10, weight: 0, port: 5080, target: 'main.trunk.test' },
        ],
        'main.trunk.test': [{ type: 'A', address: '127.0.0.2' }],
        'backup.trunk.test': [{ type: 'A', address: '127.0.0.3' }, { type: 'A', address: '127.0.0.4' }],
        'plain.test': [{ type: 'A', address: '127.0.0.5' }],
        '_sip._udp.closed.test': [{ type: 'SRV', priority: 0, weight: 0, port: 0, target: '.' }],
      });
    });

    after(() => dns.close());

    const locate = (value: string): TrunkLocator => new TrunkLocator(parseTrunk(value), systemDns([dns.address]));

    it('a domain: SRV targets by priority, each with its addresses; the Request-URI keeps the domain', async () => {
      const locator = locate('trunk.test');
      expect(await locator.targets()).to.deep.equal([
        { transport: 'udp', address: '127.0.0.2', port: 5080 },
        { transport: 'udp', address: '127.0.0.3', port: 5070 },
        { transport: 'udp', address: '127.0.0.4', port: 5070 },
      ]);
      expect(locator.uriHost).to.equal('trunk.test');
      expect(dns.queries).to.include('_sip._udp.trunk.test 33');
    });

    it('no SRV records: A on port 5060; host:port: A on that port, no SRV query; an IP: no DNS at all', async () => {
      expect(await locate('plain.test').targets()).to.deep.equal([{ transport: 'udp', address: '127.0.0.5', port: 5060 }]);
      const before = dns.queries.length;
      expect(await locate('plain.test:5099').targets()).to.deep.equal([{ transport: 'udp', address: '127.0.0.5', port: 5099 }]);
      expect(dns.queries.slice(before).some((query) => query.startsWith('_sip'))).to.equal(false);
      const afterHostPort = dns.queries.length;
      expect(await locate('192.0.2.9').targets()).to.deep.equal([{ transport: 'udp', address: '192.0.2.9', port: 5060 }]);
      expect(dns.queries.length).to.equal(afterHostPort);
    });

    it('a domain DNS does not know, or one whose SRV says "no SIP here", is a clear TrunkNotFoundError', async () => {
      expect(await thrown(() => locate('nowhere.test').targets())).to.be.instanceOf(TrunkNotFoundError)
        .and.have.property('message').that.matches(/no address found for the SIP trunk nowhere\.test/);
      expect(await thrown(() => locate('closed.test').targets())).to.be.instanceOf(TrunkNotFoundError)
        .and.have.property('message').that.matches(/offers no SIP service/);
    });
  });

  describe('a call-back INVITE through a located trunk', () => {
    let dns: TestDnsServer;
    let endpoint: SipEndpoint;
    let dir: string;

    afterEach(async () => {
      await endpoint.close();
      dns.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('the first target never answers, so the INVITE goes to the next one, with the domain in the Request-URI', async () => {
      dir = mkdtempSync(join(tmpdir(), 'dn-trunk-dns-'));
      const deadPort = await freeUdpPort();
      const livePort = await freeUdpPort();
      dns = await TestDnsServer.start({
        '_sip._udp.carrier.test': [
          { type: 'SRV', priority: 10, weight: 0, port: deadPort, target: 'dead.carrier.test' },
          { type: 'SRV', priority: 20, weight: 0, port: livePort, target: 'live.carrier.test' },
        ],
        'dead.carrier.test': [{ type: 'A', address: '127.0.0.1' }],
        'live.carrier.test': [{ type: 'A', address: '127.0.0.1' }],
      });
      // Timer B (64·T1) runs out on the dead target, and is all the live one has to answer a loaded machine.
      const t1Ms = 100;
      endpoint = await startEndpoint({
        timers: { t1Ms, t2Ms: 4 * t1Ms, t4Ms: 5 * t1Ms },
        trunk: new TrunkLocator(parseTrunk('carrier.test'), systemDns([dns.address])),
      });
      const sipp = (await startSippServer({ scenario: 'uas-busy.xml', target: '', cwd: dir, port: livePort, extraArgs: ['-trace_msg'] })).done;
      const started = Date.now();
      expect(await endpoint.call('7125551234', { from: '5155550100', ringTimeoutMs: 20_000 }))
        .to.deep.equal({ failed: 'busy', status: 486 });
      expect(Date.now() - started).to.be.at.least(64 * t1Ms); // the dead target's Timer B ran out first
      const far = await sipp;
      expect(far.code, far.stdout.slice(-1500)).to.equal(0);
      const log = readdirSync(dir).find((file) => file.endsWith('_messages.log'));
      expect(log).to.be.a('string');
      expect(readFileSync(join(dir, log ?? ''), 'utf8')).to.match(/INVITE sip:\+17125551234@carrier\.test SIP\/2\.0/);
      expect(endpoint.stats.rtpPortsInUse).to.equal(0);
    });
  });
});
