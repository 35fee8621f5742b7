import { expect } from 'chai';
import { isPrivateAddress } from '../../src/trust/address-guard.js';
import { StirVerificationError } from '../../src/trust/stir-failure.js';
import {
  CertificateFetcher, cacheSecondsOf, certificateCacheSecondsDefault, certificateCacheSecondsMax, x5uFetchesInFlightMax,
} from '../../src/trust/certificate-fetcher.js';
import { createIntermediateCa, createRootCa, issueServiceProvider, type ServiceProvider } from '../../src/trust/test-pki.js';
import { X5uTestServer } from '../../src/trust/x5u-test-server.js';

describe('trust: x5u certificate fetcher cache', () => {
  let server: X5uTestServer;
  let provider: ServiceProvider;
  let nowMs = Date.now();
  const fetchers: CertificateFetcher[] = [];
  const newFetcher = (cacheEntriesMax = 10): CertificateFetcher => {
    const fetcher = new CertificateFetcher({
      tlsCa: server.tls.certificatePem, cacheEntriesMax, now: () => nowMs, allowPrivateAddresses: true,
    });
    fetchers.push(fetcher);
    return fetcher;
  };

  before(async () => {
    server = await X5uTestServer.start();
    const root = await createRootCa();
    provider = await issueServiceProvider({ issuer: await createIntermediateCa({ issuer: root }), spc: '1234' });
  });
  after(async () => {
    for (const fetcher of fetchers) fetcher.close();
    await server.close();
  });

  it('reads max-age, no-store and no-cache, and caps long lifetimes', () => {
    expect(cacheSecondsOf('public, max-age=600')).to.equal(600);
    expect(cacheSecondsOf('no-store')).to.equal(0);
    expect(cacheSecondsOf('max-age=600, no-cache')).to.equal(0);
    expect(cacheSecondsOf('max-age=999999999')).to.equal(certificateCacheSecondsMax);
    expect(cacheSecondsOf(undefined)).to.equal(certificateCacheSecondsDefault);
  });

  it('serves a max-age response from the cache until it expires', async () => {
    const url = server.serve('/cached.pem', provider.chainPem, { cacheControl: 'max-age=60' });
    const fetcher = newFetcher();
    const first = await fetcher.fetch(url);
    expect(first.certificates).to.have.length(2);
    expect(await fetcher.fetch(url)).to.equal(first);
    expect(server.hits('/cached.pem')).to.equal(1);
    nowMs += 61_000;
    expect(await fetcher.fetch(url)).to.not.equal(first);
    expect(server.hits('/cached.pem')).to.equal(2);
  });

  it('fetches a no-store response every time', async () => {
    const url = server.serve('/no-store.pem', provider.chainPem, { cacheControl: 'no-store' });
    const fetcher = newFetcher();
    await fetcher.fetch(url);
    await fetcher.fetch(url);
    expect(server.hits('/no-store.pem')).to.equal(2);
    expect(fetcher.cacheSize).to.equal(0);
  });

  it('shares one request among concurrent fetches of the same URL', async () => {
    const url = server.serve('/shared.pem', provider.chainPem);
    const fetcher = newFetcher();
    const results = await Promise.all([fetcher.fetch(url), fetcher.fetch(url), fetcher.fetch(url)]);
    expect(server.hits('/shared.pem')).to.equal(1);
    expect(results[1]).to.equal(results[0]);
  });

  it('keeps at most cacheEntriesMax entries, evicting the least recently used', async () => {
    const fetcher = newFetcher(2);
    const urls = ['/lru-a.pem', '/lru-b.pem', '/lru-c.pem'].map((path) => server.serve(path, provider.chainPem));
    const [a = '', b = '', c = ''] = urls;
    await fetcher.fetch(a);
    await fetcher.fetch(b);
    await fetcher.fetch(a);
    await fetcher.fetch(c);
    expect(fetcher.cacheSize).to.equal(2);
    await fetcher.fetch(a);
    expect(server.hits('/lru-a.pem')).to.equal(1);
    await fetcher.fetch(b);
    expect(server.hits('/lru-b.pem')).to.equal(2);
  });

  it('refuses loopback and private x5u addresses unless allowed, also behind a DNS name', async () => {
    const fetcher = new CertificateFetcher({ tlsCa: server.tls.certificatePem });
    fetchers.push(fetcher);
    const path = server.serve('/private.pem', provider.chainPem).replace(/^https:\/\/127\.0\.0\.1:\d+/, '');
    for (const host of ['127.0.0.1', 'localhost', '[::ffff:127.0.0.1]']) {
      const error = await fetcher.fetch(`https://${host}:${server.port}${path}`).then(() => null, (caught: unknown) => caught);
      expect(error, host).to.be.instanceOf(StirVerificationError);
      expect((error as StirVerificationError).reason, host).to.equal('x5u-address-refused');
    }
    expect(server.hits('/private.pem')).to.equal(0);
  });

  it('classifies private, loopback and public addresses', () => {
    for (const address of ['10.1.2.3', '172.31.0.1', '192.168.1.1', '169.254.169.254', '::1', 'fd00::1', '::ffff:10.0.0.1']) {
      expect(isPrivateAddress(address), address).to.equal(true);
    }
    for (const address of ['8.8.8.8', '2001:4860:4860::8888', 'certs.example.org']) {
      expect(isPrivateAddress(address), address).to.equal(false);
    }
  });

  it(`runs at most ${x5uFetchesInFlightMax} fetches at once and refuses more immediately`, async () => {
    const fetcher = new CertificateFetcher({
      tlsCa: server.tls.certificatePem, allowPrivateAddresses: true, fetchTimeoutMs: 300,
    });
    fetchers.push(fetcher);
    const url = server.route('/stalled.pem', () => { /* never answers */ });
    const running = Array.from({ length: x5uFetchesInFlightMax }, (_, i) =>
      fetcher.fetch(`${url}?i=${i}`).then(() => 'fetched', (error: StirVerificationError) => error.reason));
    const refused = await fetcher.fetch(`${url}?i=overflow`).then(() => null, (error: unknown) => error);
    expect(refused).to.be.instanceOf(StirVerificationError);
    expect((refused as StirVerificationError).message).to.match(/already running/);
    const reasons = new Set(await Promise.all(running));
    expect([...reasons]).to.deep.equal(['x5u-timeout']);
  });

  it('refuses non-positive limits', () => {
    expect(() => new CertificateFetcher({ bodyBytesMax: 0 })).to.throw(RangeError);
  });
});
