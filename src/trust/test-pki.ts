// Test PKI for STIR/SHAKEN: a root STI-CA, an intermediate, service-provider certificates with a
// TNAuthList, and signed PASSporTs / Identity header values. Used by the tests, the benchmark and
// `delegate-network pki …`, so operators can try their verifier setup. NOT for production signing:
// keys are written unencrypted.
import 'reflect-metadata'; // @peculiar/x509 resolves its services through tsyringe, which needs it.
import * as x509 from '@peculiar/x509';
import { CompactSign } from 'jose';
import { createPrivateKey, randomBytes, randomUUID, webcrypto, type KeyObject } from 'node:crypto';
import type { Attestation } from './passport.js';
import { encodeTnAuthList, tnAuthListOid } from './tn-auth-list.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ecAlgorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const dayMs = 86_400_000;
export const rootValidityDays = 3650;
export const intermediateValidityDays = 1825;
export const serviceProviderValidityDays = 365;

export interface PkiMember {
  certificatePem: string;
  privateKeyPem: string;
}

interface Issuer {
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
}

export interface CertificateDates {
  notBefore?: Date;
  notAfter?: Date;
}

function pem(label: string, der: ArrayBuffer): string {
  const body = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').trim();
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return await webcrypto.subtle.generateKey(ecAlgorithm, true, ['sign', 'verify']) as CryptoKeyPair;
}

/** Positive 128-bit serial numbers (RFC 5280 §4.1.2.2: at most 20 octets, positive). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

async function memberOf(certificate: x509.X509Certificate, privateKey: CryptoKey): Promise<PkiMember> {
  return {
    certificatePem: certificate.toString('pem') + '\n',
    privateKeyPem: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', privateKey)),
  };
}

async function loadIssuer(member: PkiMember): Promise<Issuer> {
  const der = createPrivateKey(member.privateKeyPem).export({ format: 'der', type: 'pkcs8' });
  const privateKey = await webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
  return { certificate: new x509.X509Certificate(member.certificatePem), privateKey };
}

function datesOf(dates: CertificateDates, validityDays: number): { notBefore: Date; notAfter: Date } {
  // Back-dated an hour so that a verifier with a slightly slow clock accepts a fresh certificate.
  const notBefore = dates.notBefore ?? new Date(Date.now() - 3_600_000);
  return { notBefore, notAfter: dates.notAfter ?? new Date(notBefore.getTime() + validityDays * dayMs) };
}

export async function createRootCa(options: { name?: string } & CertificateDates = {}): Promise<PkiMember> {
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(), name: options.name ?? 'CN=Delegate Network Test STI-CA Root, O=Test',
    ...datesOf(options, rootValidityDays), signingAlgorithm: ecAlgorithm, keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return await memberOf(certificate, keys.privateKey);
}

export interface IntermediateOptions extends CertificateDates {
  issuer: PkiMember;
  name?: string;
  /** pathLenConstraint: intermediates allowed below this one (0 by default: it signs leaves only). */
  pathLength?: number;
  /** false leaves keyCertSign out of keyUsage: only to test that verifiers refuse what it signs. */
  keyCertSign?: boolean;
}

export async function createIntermediateCa(options: IntermediateOptions): Promise<PkiMember> {
  const issuer = await loadIssuer(options.issuer);
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(), subject: options.name ?? 'CN=Delegate Network Test STI-CA Intermediate, O=Test',
    issuer: issuer.certificate.subject, ...datesOf(options, intermediateValidityDays),
    signingAlgorithm: ecAlgorithm, publicKey: keys.publicKey, signingKey: issuer.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, options.pathLength ?? 0, true),
      new x509.KeyUsagesExtension((options.keyCertSign === false ? 0 : x509.KeyUsageFlags.keyCertSign)
        | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.certificate.publicKey),
    ],
  });
  return await memberOf(certificate, keys.privateKey);
}

export interface ServiceProviderOptions extends CertificateDates {
  issuer: PkiMember;
  /** Service provider code for the TNAuthList (ATIS-1000080); SHAKEN certificates carry one. */
  spc?: string;
  /** Telephone numbers for a TN-based TNAuthList instead of (or besides) an SPC. */
  tns?: readonly string[];
  /** false leaves the TNAuthList out: only to test that verifiers refuse such certificates. */
  tnAuthList?: boolean;
  /** An HTTPS URL for a CRL distribution point (the issuer's CRL, see createCrl). */
  crlUrl?: string;
}

export interface ServiceProvider extends PkiMember {
  /** Leaf then intermediate: what the x5u URL serves. */
  chainPem: string;
}

export async function issueServiceProvider(options: ServiceProviderOptions): Promise<ServiceProvider> {
  const issuer = await loadIssuer(options.issuer);
  const keys = await generateKeys();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(issuer.certificate.publicKey),
  ];
  if (options.crlUrl !== undefined) extensions.push(new x509.CRLDistributionPointsExtension([options.crlUrl]));
  if (options.tnAuthList !== false) {
    const spcs = options.spc === undefined ? [] : [options.spc];
    extensions.push(new x509.Extension(tnAuthListOid, false, encodeTnAuthList({ spcs, numbers: options.tns ?? [] })));
  }
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(), subject: `CN=SHAKEN ${options.spc ?? 'TN'}, O=Test Service Provider`,
    issuer: issuer.certificate.subject, ...datesOf(options, serviceProviderValidityDays),
    signingAlgorithm: ecAlgorithm, publicKey: keys.publicKey, signingKey: issuer.privateKey, extensions,
  });
  const member = await memberOf(certificate, keys.privateKey);
  return { ...member, chainPem: member.certificatePem + options.issuer.certificatePem };
}

/** The serial number of a PEM certificate, as hex: what a CRL lists. */
export function serialNumberOf(certificatePem: string): string {
  return new x509.X509Certificate(certificatePem).serialNumber;
}

/** A CRL (PEM) signed by `issuer` that revokes the given serial numbers (hex), valid for a day. */
export async function createCrl(issuer: PkiMember, revokedSerials: readonly string[],
  options: { nextUpdate?: Date } = {}): Promise<string> {
  const signer = await loadIssuer(issuer);
  const crl = await x509.X509CrlGenerator.create({
    issuer: signer.certificate.subject, signingAlgorithm: ecAlgorithm, signingKey: signer.privateKey,
    thisUpdate: new Date(Date.now() - 60_000), nextUpdate: options.nextUpdate ?? new Date(Date.now() + dayMs),
    entries: revokedSerials.map((serial) => ({ serialNumber: serial, revocationDate: new Date(Date.now() - 60_000) })),
  });
  return crl.toString('pem') + '\n';
}

/** A self-signed TLS certificate for a local x5u server on 127.0.0.1 / localhost. */
export async function createTlsCertificate(): Promise<PkiMember> {
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(), name: 'CN=localhost', ...datesOf({}, 30), signingAlgorithm: ecAlgorithm, keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }, { type: 'ip', value: '127.0.0.1' }]),
    ],
  });
  return await memberOf(certificate, keys.privateKey);
}

export interface PassportToSign {
  orig: string;
  dest: string | readonly string[];
  attest: Attestation;
  x5u: string;
  origid?: string;
  /** Seconds since the epoch; now by default. */
  iat?: number;
}

/** RFC 8225 §9: claims and header are serialized with keys in lexicographic order, no whitespace. */
export async function signPassport(passport: PassportToSign, privateKey: KeyObject | string): Promise<string> {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const claims = {
    attest: passport.attest,
    dest: { tn: typeof passport.dest === 'string' ? [passport.dest] : [...passport.dest] },
    iat: passport.iat ?? Math.floor(Date.now() / 1000),
    orig: { tn: passport.orig },
    origid: passport.origid ?? randomUUID(),
  };
  return await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: 'ES256', ppt: 'shaken', typ: 'passport', x5u: passport.x5u })
    .sign(key);
}

/** The Identity header value (RFC 8224 §4.1 / RFC 8588 §6) for a signed PASSporT. */
export function identityHeaderValue(token: string, x5u: string): string {
  return `${token};info=<${x5u}>;alg=ES256;ppt=shaken`;
}
