// Fetches the signer's certificate chain from a PASSporT's x5u URL: HTTPS only, with a deadline, a
// body size limit, no redirect to plain HTTP, and a bounded cache that honours Cache-Control, so a
// busy trunk verifies thousands of calls from the same carrier without fetching each time.
import { Agent, request } from 'node:https';
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { invariant } from '../core/invariant.js';
import { assertPublicHost, publicOnlyLookup } from './address-guard.js';
import { StirVerificationError } from './stir-failure.js';

export const x5uFetchTimeoutMsDefault = 2000;
/** A PEM chain of three P-256 certificates is about 3 KB; 64 KiB leaves room for bloated chains. */
export const x5uBodyBytesMaxDefault = 64 * 1024;
export const certificateCacheEntriesMaxDefault = 1000;
/** Used when the response says nothing about caching (ATIS-1000074 leaves this to HTTP semantics). */
export const certificateCacheSecondsDefault = 300;
/** Even "max-age=31536000" is re-fetched daily, so a revoked or replaced chain is noticed. */
export const certificateCacheSecondsMax = 86_400;
export const x5uRedirectsMax = 3;
export const certificatesPerChainMax = 5;
/** Distinct URLs fetched at once; each call may name a new one, so a flood must not open sockets freely. */
export const x5uFetchesInFlightMax = 64;

export interface CertificateFetcherOptions {
  fetchTimeoutMs?: number;
  bodyBytesMax?: number;
  cacheEntriesMax?: number;
  /** Extra CA certificates (PEM) for the HTTPS connection: test servers and private repositories. */
  tlsCa?: string | string[];
  /** Only for tests and lab setups: lets x5u point at loopback and private addresses. */
  allowPrivateAddresses?: boolean;
  now?: () => number;
}

export interface FetchedCertificates {
  x5u: string;
  /** The leaf first, then the intermediates, as served. */
  certificates: readonly X509Certificate[];
  fetchedAtMs: number;
  expiresAtMs: number;
}

export interface HttpsBody {
  body: Buffer;
  cacheSeconds: number;
}

function parseHttpsUrl(raw: string, reason: 'x5u-not-https' | 'x5u-redirect-refused'): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new StirVerificationError(reason, 'x5u is not a URL');
  }
  if (url.protocol !== 'https:') throw new StirVerificationError(reason, `${url.protocol} is not https:`);
  return url;
}

/** Seconds the response may be cached for, from Cache-Control (RFC 9111 §5.2.2). */
export function cacheSecondsOf(cacheControl: string | undefined): number {
  if (cacheControl === undefined) return certificateCacheSecondsDefault;
  const directives = cacheControl.toLowerCase().split(',').map((directive) => directive.trim());
  if (directives.some((directive) => directive === 'no-store' || directive === 'no-cache')) return 0;
  for (const directive of directives) {
    const match = /^max-age\s*=\s*"?(\d+)"?$/.exec(directive);
    if (match?.[1] !== undefined) return Math.min(Number(match[1]), certificateCacheSecondsMax);
  }
  return certificateCacheSecondsDefault;
}

/** PEM chain (application/pem-certificate-chain) or a single DER certificate (application/pkix-cert). */
export function parseCertificateChain(body: Buffer): X509Certificate[] {
  const text = body.toString('latin1');
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (pems.length > certificatesPerChainMax) {
    throw new StirVerificationError('certificate-unparsable', `more than ${certificatesPerChainMax} certificates`);
  }
  try {
    if (pems.length === 0) return [new X509Certificate(body)];
    return pems.map((pem) => new X509Certificate(pem));
  } catch {
    throw new StirVerificationError('certificate-unparsable', 'x5u body is not a certificate chain');
  }
}

export class CertificateFetcher {
  private readonly cache = new Map<string, FetchedCertificates>();
  private readonly inFlight = new Map<string, Promise<FetchedCertificates>>();
  private readonly agent: Agent;
  private readonly fetchTimeoutMs: number;
  private readonly bodyBytesMax: number;
  private readonly cacheEntriesMax: number;
  private readonly now: () => number;
  private readonly allowPrivateAddresses: boolean;

  constructor(options: CertificateFetcherOptions = {}) {
    this.fetchTimeoutMs = options.fetchTimeoutMs ?? x5uFetchTimeoutMsDefault;
    this.bodyBytesMax = options.bodyBytesMax ?? x5uBodyBytesMaxDefault;
    this.cacheEntriesMax = options.cacheEntriesMax ?? certificateCacheEntriesMaxDefault;
    this.now = options.now ?? Date.now;
    this.allowPrivateAddresses = options.allowPrivateAddresses ?? false;
    if (!(this.fetchTimeoutMs > 0 && this.bodyBytesMax > 0 && this.cacheEntriesMax > 0)) {
      throw new RangeError('fetch timeout, body size and cache size must be positive');
    }
    // Keep-alive: a carrier's repository is fetched again whenever its cache entry expires.
    this.agent = new Agent({ keepAlive: true, maxSockets: 16, ca: options.tlsCa });
  }

  /** Cached chain if fresh, else one fetch shared by every concurrent caller of the same URL. */
  async fetch(x5u: string): Promise<FetchedCertificates> {
    const cached = this.cache.get(x5u);
    if (cached !== undefined && cached.expiresAtMs > this.now()) {
      // Least-recently-used order: re-inserting moves the entry to the end.
      this.cache.delete(x5u);
      this.cache.set(x5u, cached);
      return cached;
    }
    if (cached !== undefined) this.cache.delete(x5u);
    const pending = this.inFlight.get(x5u);
    if (pending !== undefined) return pending;
    if (this.inFlight.size >= x5uFetchesInFlightMax) {
      throw new StirVerificationError('x5u-unreachable', `${x5uFetchesInFlightMax} certificate fetches already running`);
    }
    const started = this.fetchAndParse(x5u).finally(() => this.inFlight.delete(x5u));
    this.inFlight.set(x5u, started);
    return started;
  }

  get cacheSize(): number {
    return this.cache.size;
  }

  close(): void {
    this.agent.destroy();
    this.cache.clear();
  }

  private async fetchAndParse(x5u: string): Promise<FetchedCertificates> {
    const outcome = await this.fetchBody(x5u);
    const certificates = parseCertificateChain(outcome.body);
    const fetchedAtMs = this.now();
    const fetched = { x5u, certificates, fetchedAtMs, expiresAtMs: fetchedAtMs + outcome.cacheSeconds * 1000 };
    if (outcome.cacheSeconds > 0) this.remember(fetched);
    return fetched;
  }

  /**
   * One HTTPS GET under the same rules as x5u (deadline, size limit, redirects only to HTTPS, no
   * private addresses), uncached: also used for CRLs, which the revocation checker caches itself.
   */
  async fetchBody(raw: string): Promise<HttpsBody> {
    let url = parseHttpsUrl(raw, 'x5u-not-https');
    const deadlineMs = this.now() + this.fetchTimeoutMs;
    for (let redirects = 0; ; redirects++) {
      if (!this.allowPrivateAddresses) assertPublicHost(url.hostname);
      const outcome = await this.get(url, deadlineMs);
      if (!('location' in outcome)) return outcome;
      if (redirects >= x5uRedirectsMax) {
        throw new StirVerificationError('x5u-redirect-refused', `more than ${x5uRedirectsMax} redirects`);
      }
      url = parseHttpsUrl(new URL(outcome.location, url).href, 'x5u-redirect-refused');
    }
  }

  private remember(fetched: FetchedCertificates): void {
    this.cache.set(fetched.x5u, fetched);
    while (this.cache.size > this.cacheEntriesMax) {
      const oldest = this.cache.keys().next();
      if (oldest.done === true) break;
      this.cache.delete(oldest.value);
    }
    invariant(this.cache.size <= this.cacheEntriesMax, 'certificate cache over its bound');
  }

  private get(url: URL, deadlineMs: number): Promise<HttpsBody | { location: string }> {
    const remainingMs = Math.max(1, deadlineMs - this.now());
    return new Promise((resolve, reject) => {
      const fail = (error: StirVerificationError): void => {
        req.destroy();
        reject(error);
      };
      const timer = setTimeout(() => fail(new StirVerificationError('x5u-timeout',
        `no complete answer within ${this.fetchTimeoutMs} ms`)), remainingMs);
      const lookup = this.allowPrivateAddresses ? {} : { lookup: publicOnlyLookup };
      const headers = { accept: 'application/pem-certificate-chain' };
      const req = request(url, { method: 'GET', agent: this.agent, headers, ...lookup },
        (response) => {
          this.readResponse(response, url).then((outcome) => {
            clearTimeout(timer);
            resolve(outcome);
          }, (error: unknown) => {
            clearTimeout(timer);
            fail(error instanceof StirVerificationError ? error
              : new StirVerificationError('x5u-unreachable', String(error)));
          });
        });
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error instanceof StirVerificationError ? error
          : new StirVerificationError('x5u-unreachable', `${url.host}: ${error.message}`));
      });
      req.end();
    });
  }

  private async readResponse(response: IncomingMessage, url: URL): Promise<HttpsBody | { location: string }> {
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location !== undefined) {
      response.resume();
      return { location: response.headers.location };
    }
    if (status !== 200) {
      response.resume();
      throw new StirVerificationError('x5u-http-status', `${url.host} answered ${status}`);
    }
    const declared = Number(response.headers['content-length'] ?? '0');
    if (declared > this.bodyBytesMax) {
      throw new StirVerificationError('x5u-too-large', `Content-Length ${declared} over ${this.bodyBytesMax} bytes`);
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of response as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > this.bodyBytesMax) {
        throw new StirVerificationError('x5u-too-large', `body over ${this.bodyBytesMax} bytes`);
      }
      chunks.push(chunk);
    }
    return { body: Buffer.concat(chunks), cacheSeconds: cacheSecondsOf(response.headers['cache-control']) };
  }
}
