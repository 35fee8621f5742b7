// PASSporT (RFC 8225) with the SHAKEN extension (RFC 8588): decoding and claim checks. The
// signature itself is verified by jose (verifyPassportSignature); nothing here does cryptography.
import { compactVerify, errors as joseErrors } from 'jose';
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { StirVerificationError } from './stir-failure.js';

/** ATIS-1000074 §5.3.1: SHAKEN PASSporTs are signed with ES256 only. */
export const passportAlgorithm = 'ES256';

export type Attestation = 'A' | 'B' | 'C';

export interface PassportHeader {
  alg: string;
  typ: string;
  ppt: string;
  x5u: string;
}

export interface PassportClaims {
  attest: Attestation;
  dest: { tn: string[] };
  iat: number;
  orig: { tn: string };
  origid: string;
}

export interface Passport {
  header: PassportHeader;
  claims: PassportClaims;
  token: string;
}

const headerSchema = z.object({
  alg: z.string(),
  typ: z.string(),
  ppt: z.string(),
  x5u: z.string().min(1).max(2048),
});

const telephoneNumberClaim = z.string().regex(/^\+?\d{1,15}$/, 'expected a telephone number of digits');
const claimsSchema = z.object({
  attest: z.enum(['A', 'B', 'C']),
  dest: z.object({ tn: z.array(telephoneNumberClaim).min(1).max(16) }),
  iat: z.number().int().nonnegative(),
  orig: z.object({ tn: telephoneNumberClaim }),
  // RFC 8588 §4: a UUID that identifies the origination point of the call.
  origid: z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/),
});

function decodeJsonPart(part: string, what: string): unknown {
  const text = Buffer.from(part, 'base64url').toString('utf8');
  // Buffer's base64url decoder skips bad characters silently; a round trip proves the input was clean.
  if (Buffer.from(text, 'utf8').toString('base64url') !== part.replace(/=+$/, '')) {
    throw new StirVerificationError('passport-malformed', `${what} is not valid base64url of UTF-8`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new StirVerificationError('passport-malformed', `${what} is not JSON`);
  }
}

/** Decodes the token and checks the header and claims; does not verify the signature. */
export function decodePassport(token: string): Passport {
  const [headerPart, payloadPart, signaturePart, extra] = token.split('.');
  if (headerPart === undefined || payloadPart === undefined || signaturePart === undefined || extra !== undefined) {
    throw new StirVerificationError('passport-malformed', 'expected three dot-separated parts');
  }
  if (headerPart.length === 0 || payloadPart.length === 0) {
    throw new StirVerificationError('passport-compact-form', 'header or claims omitted');
  }
  const rawHeader = decodeJsonPart(headerPart, 'header');
  const header = headerSchema.safeParse(rawHeader);
  if (!header.success) throw new StirVerificationError('passport-malformed', 'header lacks alg, typ, ppt or x5u');
  // Checked before anything else so that "none", HS256 and RS256 never reach a key.
  if (header.data.alg !== passportAlgorithm) {
    throw new StirVerificationError('alg-unsupported', `alg ${header.data.alg.slice(0, 16)} is not ES256`);
  }
  if (header.data.ppt !== 'shaken') throw new StirVerificationError('ppt-unsupported', 'ppt is not shaken');
  if (header.data.typ !== 'passport') throw new StirVerificationError('passport-claims-invalid', 'typ is not passport');
  const claims = claimsSchema.safeParse(decodeJsonPart(payloadPart, 'claims'));
  if (!claims.success) {
    const path = claims.error.issues[0]?.path.join('.') ?? '?';
    throw new StirVerificationError('passport-claims-invalid', `claim ${path} missing or invalid`);
  }
  return { header: header.data, claims: claims.data, token };
}

/** Verifies the ES256 signature over header.payload with jose, which also refuses other algorithms. */
export async function verifyPassportSignature(token: string, publicKey: KeyObject): Promise<void> {
  try {
    await compactVerify(token, publicKey, { algorithms: [passportAlgorithm] });
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) {
      throw new StirVerificationError('signature-invalid', error.code);
    }
    throw error;
  }
}
