// Why a STIR/SHAKEN verification failed, as one closed set of reason codes, and which RFC 8224
// response each reason maps to when the operator's policy rejects failed calls.

export const stirFailureReasons = [
  'header-too-large', 'header-malformed', 'info-missing', 'ppt-unsupported', 'alg-unsupported',
  'passport-compact-form', 'passport-malformed', 'passport-claims-invalid', 'x5u-mismatch',
  'iat-stale', 'iat-future', 'orig-mismatch', 'dest-mismatch',
  'x5u-not-https', 'x5u-address-refused', 'x5u-unreachable', 'x5u-timeout', 'x5u-too-large', 'x5u-redirect-refused', 'x5u-http-status',
  'certificate-unparsable', 'certificate-expired', 'certificate-not-yet-valid', 'certificate-key-unsupported',
  'chain-untrusted', 'certificate-revoked', 'crl-unavailable', 'tn-auth-list-missing', 'tn-auth-list-malformed', 'tn-auth-list-mismatch',
  'signature-invalid', 'replay',
  // Our side failed (e.g. Redis unreachable): never the caller's fault, so never a rejection.
  'verifier-error',
] as const;

export type StirFailureReason = (typeof stirFailureReasons)[number];

/** A verification step failed for a known reason; never a crash, always a decision. */
export class StirVerificationError extends Error {
  override name = 'StirVerificationError';
  constructor(readonly reason: StirFailureReason, detail: string) {
    super(`${reason}: ${detail}`);
  }
}

export type StirSipStatus = 403 | 428 | 436 | 437 | 438;

export interface StirSipReject {
  status: StirSipStatus;
  reason: string;
}

/** RFC 8224 §6.2.2: 436 when the credential cannot be fetched, 437 when it is not acceptable,
 * 438 when the header or its signature is invalid, and 403 "Stale Date" for a stale iat. */
export function sipRejectFor(reason: StirFailureReason): StirSipReject | null {
  switch (reason) {
    case 'verifier-error':
      return null;
    case 'iat-stale':
      return { status: 403, reason: 'Stale Date' };
    case 'x5u-not-https': case 'x5u-address-refused': case 'x5u-unreachable': case 'x5u-timeout': case 'x5u-too-large':
    case 'x5u-redirect-refused': case 'x5u-http-status': case 'info-missing':
      return { status: 436, reason: 'Bad Identity Info' };
    case 'certificate-unparsable': case 'certificate-expired': case 'certificate-not-yet-valid':
    case 'certificate-key-unsupported': case 'chain-untrusted': case 'certificate-revoked': case 'crl-unavailable':
    case 'tn-auth-list-missing':
    case 'tn-auth-list-malformed': case 'tn-auth-list-mismatch': case 'alg-unsupported': case 'ppt-unsupported':
      return { status: 437, reason: 'Unsupported Credential' };
    case 'header-too-large': case 'header-malformed': case 'passport-compact-form': case 'passport-malformed':
    case 'passport-claims-invalid': case 'x5u-mismatch': case 'iat-future': case 'orig-mismatch':
    case 'dest-mismatch': case 'signature-invalid': case 'replay':
      return { status: 438, reason: 'Invalid Identity Header' };
  }
}

/** RFC 8224 §6.2.2: a policy that requires Identity answers a call without one with 428. */
export const sipRejectAbsent: StirSipReject = { status: 428, reason: 'Use Identity Header' };
