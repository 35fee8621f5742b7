// Validates a SHAKEN certificate chain to the operator's STI-CA trust anchors. Signature checks
// are Node's (OpenSSL's) X509Certificate.verify; this file only decides which certificate must
// have signed which, and that each is in date and allowed to sign.
import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { invariant } from '../core/invariant.js';
import { assertMayIssue } from './ca-constraints.js';
import { certificatesPerChainMax } from './certificate-fetcher.js';
import { StirVerificationError } from './stir-failure.js';

export const trustAnchorsMax = 500;

export interface ValidatedChain {
  leaf: X509Certificate;
  /** The certificate that signed the leaf (an intermediate, or the anchor): it also signs the leaf's CRL. */
  leafIssuer: X509Certificate;
  /** The chain is usable until the earliest notAfter of its certificates (ms since the epoch). */
  validUntilMs: number;
  validFromMs: number;
  anchorSubject: string;
}

export class TrustAnchors {
  private readonly bySubject = new Map<string, X509Certificate[]>();

  constructor(readonly certificates: readonly X509Certificate[]) {
    if (certificates.length > trustAnchorsMax) throw new RangeError(`more than ${trustAnchorsMax} trust anchors`);
    for (const certificate of certificates) {
      const list = this.bySubject.get(certificate.subject) ?? [];
      list.push(certificate);
      this.bySubject.set(certificate.subject, list);
    }
  }

  /** Anchors whose subject matches the certificate's issuer and whose key verifies its signature. */
  issuerOf(certificate: X509Certificate): X509Certificate | null {
    for (const anchor of this.bySubject.get(certificate.issuer) ?? []) {
      if (certificate.checkIssued(anchor) && certificate.verify(anchor.publicKey)) return anchor;
    }
    return null;
  }

}

function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** STIR_SHAKEN_TRUST_ANCHORS: a PEM file, or a directory of *.pem / *.crt files. */
export function loadTrustAnchors(path: string): TrustAnchors {
  const files = statSync(path).isDirectory()
    ? readdirSync(path).filter((name) => /\.(pem|crt|cer)$/i.test(name)).sort().map((name) => join(path, name))
    : [path];
  const certificates = files.flatMap((file) => pemBlocks(readFileSync(file, 'utf8')).map((pem) => new X509Certificate(pem)));
  if (certificates.length === 0) throw new RangeError(`no PEM certificates in ${path}`);
  return new TrustAnchors(certificates);
}

function assertInDate(certificate: X509Certificate, nowMs: number): void {
  if (Date.parse(certificate.validFrom) > nowMs) {
    throw new StirVerificationError('certificate-not-yet-valid', `${certificate.subject} valid from ${certificate.validFrom}`);
  }
  if (Date.parse(certificate.validTo) < nowMs) {
    throw new StirVerificationError('certificate-expired', `${certificate.subject} expired ${certificate.validTo}`);
  }
}

/** The leaf's key must be P-256: ES256 is the only SHAKEN algorithm (ATIS-1000074 §5.3.1). */
function assertSigningKey(leaf: X509Certificate): void {
  const details = leaf.publicKey.asymmetricKeyDetails;
  if (leaf.publicKey.asymmetricKeyType !== 'ec' || details?.namedCurve !== 'prime256v1') {
    throw new StirVerificationError('certificate-key-unsupported', 'the signing certificate key is not P-256');
  }
}

/**
 * Walks leaf → intermediates (from x5u, in any order) → an anchor. Each step needs the issuer's
 * name, its signature, CA status, validity, keyCertSign (if it has a keyUsage) and a path length
 * constraint that allows the intermediates below it; the walk is bounded by the chain length limit.
 */
export function validateChain(
  certificates: readonly X509Certificate[], anchors: TrustAnchors, nowMs: number,
): ValidatedChain {
  invariant(certificates.length <= certificatesPerChainMax, 'the fetcher bounds the chain length');
  const [leaf, ...intermediates] = certificates;
  if (leaf === undefined) throw new StirVerificationError('certificate-unparsable', 'empty certificate chain');
  if (leaf.ca) throw new StirVerificationError('chain-untrusted', 'the signing certificate is a CA certificate');
  assertSigningKey(leaf);
  let current = leaf;
  let validFromMs = Date.parse(leaf.validFrom);
  let validUntilMs = Date.parse(leaf.validTo);
  let leafIssuer: X509Certificate | null = null;
  // depth counts the intermediate CA certificates walked so far: those below the next issuer.
  for (let depth = 0; depth <= certificatesPerChainMax; depth++) {
    assertInDate(current, nowMs);
    const anchor = anchors.issuerOf(current);
    if (anchor !== null) {
      assertInDate(anchor, nowMs);
      assertMayIssue(anchor, depth);
      leafIssuer ??= anchor;
      validFromMs = Math.max(validFromMs, Date.parse(anchor.validFrom));
      validUntilMs = Math.min(validUntilMs, Date.parse(anchor.validTo));
      return { leaf, leafIssuer, validFromMs, validUntilMs, anchorSubject: anchor.subject };
    }
    const issuer = intermediates.find((candidate) => candidate !== current && candidate.ca
      && current.checkIssued(candidate) && current.verify(candidate.publicKey));
    if (issuer === undefined) {
      throw new StirVerificationError('chain-untrusted', `no trusted issuer for ${current.issuer.replace(/\n/g, ', ')}`);
    }
    assertMayIssue(issuer, depth);
    leafIssuer ??= issuer;
    current = issuer;
    validFromMs = Math.max(validFromMs, Date.parse(current.validFrom));
    validUntilMs = Math.min(validUntilMs, Date.parse(current.validTo));
  }
  throw new StirVerificationError('chain-untrusted', `chain longer than ${certificatesPerChainMax}`);
}
