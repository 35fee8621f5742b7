// Certificate revocation by CRL (RFC 5280 §5): when the signing certificate names a CRL distribution
// point over HTTPS, the CRL is fetched under the x5u rules, its signature checked against the leaf's
// issuer, and the leaf's serial looked up. A certificate without a distribution point is not checked
// (SHAKEN certificates are short-lived; many carry none). CRLs are cached until nextUpdate, at most a
// day, so a busy trunk fetches each list rarely. Parsing and signature checks are @peculiar/x509's.
import 'reflect-metadata'; // @peculiar/x509 resolves its services through tsyringe, which needs it.
import * as x509 from '@peculiar/x509';
import { webcrypto, type X509Certificate } from 'node:crypto';
import { invariant } from '../core/invariant.js';
import type { CertificateFetcher } from './certificate-fetcher.js';
import { StirVerificationError } from './stir-failure.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export const crlCacheSecondsMax = 86_400;
export const crlCacheEntriesMax = 200;

interface CachedCrl {
  issuerFingerprint: string;
  revokedSerials: ReadonlySet<string>;
  expiresAtMs: number;
}

/** The HTTPS URIs of the certificate's CRL distribution points (other schemes, e.g. LDAP, are skipped). */
export function crlUrlsOf(certificate: X509Certificate): string[] {
  const parsed = new x509.X509Certificate(certificate.raw);
  const extension = parsed.getExtension(x509.CRLDistributionPointsExtension);
  if (extension === null) return [];
  const urls: string[] = [];
  for (const point of extension.distributionPoints) {
    for (const name of point.distributionPoint?.fullName ?? []) {
      const uri = name.uniformResourceIdentifier;
      if (uri !== undefined && uri.startsWith('https://')) urls.push(uri);
    }
  }
  return urls;
}

function normalizedSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, '');
}

export class RevocationChecker {
  private readonly cache = new Map<string, CachedCrl>();
  private readonly inFlight = new Map<string, Promise<CachedCrl>>();

  constructor(private readonly fetcher: CertificateFetcher, private readonly now: () => number = Date.now) {}

  /**
   * Throws certificate-revoked, or crl-unavailable when the named CRL cannot be had or trusted. `url`
   * is the leaf's first HTTPS distribution point (crlUrlsOf, worked out once per chain), or null.
   */
  async assertNotRevoked(leaf: X509Certificate, issuer: X509Certificate, url: string | null): Promise<void> {
    if (url === null) return;
    const crl = await this.crlFor(url, issuer);
    if (crl.revokedSerials.has(normalizedSerial(leaf.serialNumber))) {
      throw new StirVerificationError('certificate-revoked', `${leaf.subject.replace(/\n/g, ', ')} is on ${url}`);
    }
  }

  private async crlFor(url: string, issuer: X509Certificate): Promise<CachedCrl> {
    const cached = this.cache.get(url);
    if (cached !== undefined && cached.expiresAtMs > this.now() && cached.issuerFingerprint === issuer.fingerprint256) {
      return cached;
    }
    const pending = this.inFlight.get(url);
    if (pending !== undefined) return pending;
    const started = this.load(url, issuer).finally(() => this.inFlight.delete(url));
    this.inFlight.set(url, started);
    return started;
  }

  private async load(url: string, issuer: X509Certificate): Promise<CachedCrl> {
    let crl: x509.X509Crl;
    try {
      const { body } = await this.fetcher.fetchBody(url);
      const text = body.toString('latin1');
      crl = new x509.X509Crl(text.includes('-----BEGIN X509 CRL-----') ? text : new Uint8Array(body));
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new StirVerificationError('crl-unavailable', `${url}: ${detail}`);
    }
    const nowMs = this.now();
    if (!await crl.verify({ publicKey: new x509.X509Certificate(issuer.raw) })) {
      throw new StirVerificationError('crl-unavailable', `${url} is not signed by the certificate's issuer`);
    }
    if (crl.nextUpdate !== undefined && crl.nextUpdate.getTime() < nowMs) {
      throw new StirVerificationError('crl-unavailable', `${url} is out of date (next update was ${crl.nextUpdate.toISOString()})`);
    }
    const untilMs = Math.min(crl.nextUpdate?.getTime() ?? Infinity, nowMs + crlCacheSecondsMax * 1000);
    const entry: CachedCrl = {
      issuerFingerprint: issuer.fingerprint256, expiresAtMs: untilMs,
      revokedSerials: new Set(crl.entries.map((revoked) => normalizedSerial(revoked.serialNumber))),
    };
    this.cache.set(url, entry);
    while (this.cache.size > crlCacheEntriesMax) {
      const oldest = this.cache.keys().next();
      if (oldest.done === true) break;
      this.cache.delete(oldest.value);
    }
    invariant(this.cache.size <= crlCacheEntriesMax, 'CRL cache over its bound');
    return entry;
  }
}
