// Path length constraints (RFC 5280 §4.2.1.9): how many intermediate CA certificates may follow a CA
// down the chain. Node's X509Certificate reports only the cA flag (and its checkIssued already
// refuses an issuer whose keyUsage lacks keyCertSign), so basicConstraints is decoded here with
// @peculiar/asn1-x509 (no hand-written DER).
import { AsnConvert } from '@peculiar/asn1-schema';
import { BasicConstraints, Certificate, id_ce_basicConstraints } from '@peculiar/asn1-x509';
import type { X509Certificate } from 'node:crypto';
import { StirVerificationError } from './stir-failure.js';

/** The pathLenConstraint of a CA certificate; null when it sets none (no limit). */
export function pathLengthOf(certificate: X509Certificate): number | null {
  try {
    const parsed = AsnConvert.parse(certificate.raw, Certificate);
    const basic = parsed.tbsCertificate.extensions?.find((extension) => extension.extnID === id_ce_basicConstraints);
    if (basic === undefined) return null;
    return AsnConvert.parse(basic.extnValue.buffer, BasicConstraints).pathLenConstraint ?? null;
  } catch {
    throw new StirVerificationError('certificate-unparsable', `${certificate.subject} has an undecodable basicConstraints`);
  }
}

/** A CA may issue the chain below it only if its path length allows the intermediates under it. */
export function assertMayIssue(ca: X509Certificate, intermediatesBelow: number): void {
  const pathLength = pathLengthOf(ca);
  if (pathLength !== null && intermediatesBelow > pathLength) {
    throw new StirVerificationError('chain-untrusted', `${ca.subject.replace(/\n/g, ', ')} allows ${pathLength} `
      + `intermediate(s) below it, the chain has ${intermediatesBelow}`);
  }
}
