// STIR/SHAKEN verification service (RFC 8224 §6.2, ATIS-1000074 §5.3): turns a call's Identity
// headers into passed (A/B/C), failed (with one reason code) or absent. Cheap checks run first so
// that junk costs no network fetch; every failure is a value, never an exception to the caller.
import type { KeyObject } from 'node:crypto';
import { invariant } from '../core/invariant.js';
import type { CertificateFetcher, FetchedCertificates } from './certificate-fetcher.js';
import { validateChain, type TrustAnchors, type ValidatedChain } from './certificate-chain.js';
import { selectShakenIdentity } from './identity-header.js';
import { decodePassport, passportAlgorithm, verifyPassportSignature, type Attestation, type Passport } from './passport.js';
import type { ReplayCache } from './replay-cache.js';
import { crlUrlsOf, RevocationChecker } from './revocation.js';
import { telephoneNumberOf, telephoneNumberOfClaim } from './sip-number.js';
import { StirVerificationError, type StirFailureReason } from './stir-failure.js';
import { assertAuthorizes, tnAuthListOf, type TnAuthList } from './tn-auth-list.js';

export const iatWindowSecondsDefault = 60;
/** Clocks of carriers and ours differ a little; a token from further in the future is refused. */
export const iatFutureSkewSecondsDefault = 5;

/** What the SIP edge knows about an inbound call (the trust port's input). */
export interface IncomingCallFacts {
  callId: string;
  /** The From header value as received, e.g. `"Ann" <sip:+15155550100@carrier>;tag=1`. */
  fromNumber: string;
  /** The P-Asserted-Identity value, when the trunk sent one. */
  paiNumber?: string;
  /** The Request-URI or To number that was dialled. */
  calledNumber: string;
  /** Every Identity (or compact `y`) header value, in order. */
  identityHeaders: string[];
  /** IP address the INVITE came from (the trunk or the caller's host). */
  sourceAddress: string;
  /** The carrier's own verification result (RFC 8224 verstat / ATIS-1000074), if it sent one. */
  verstat?: string;
}

export type StirResult =
  | { status: 'passed'; attest: Attestation; origid: string; callingNumber: string; x5u: string }
  | { status: 'failed'; reason: StirFailureReason; detail: string; attest?: Attestation; origid?: string }
  | { status: 'absent' };

export interface StirVerifierOptions {
  fetcher: CertificateFetcher;
  anchors: TrustAnchors;
  replay: ReplayCache;
  iatWindowSeconds?: number;
  iatFutureSkewSeconds?: number;
  now?: () => number;
}

interface TrustedSigner {
  chain: ValidatedChain;
  tnAuthList: TnAuthList;
  publicKey: KeyObject;
  /** The leaf's CRL (first HTTPS distribution point), or null when it names none. */
  crlUrl: string | null;
}

export class StirVerifier {
  /** Keyed by the fetcher's cache entry, so it is bounded by that cache and dropped with it. */
  private signers = new WeakMap<FetchedCertificates, TrustedSigner>();
  private anchors: TrustAnchors;
  private readonly revocation: RevocationChecker;
  private readonly iatWindowSeconds: number;
  private readonly iatFutureSkewSeconds: number;
  private readonly now: () => number;

  constructor(private readonly options: StirVerifierOptions) {
    this.iatWindowSeconds = options.iatWindowSeconds ?? iatWindowSecondsDefault;
    this.iatFutureSkewSeconds = options.iatFutureSkewSeconds ?? iatFutureSkewSecondsDefault;
    this.now = options.now ?? Date.now;
    this.anchors = options.anchors;
    this.revocation = new RevocationChecker(options.fetcher, this.now);
    if (!(this.iatWindowSeconds > 0 && this.iatFutureSkewSeconds >= 0)) throw new RangeError('bad iat window');
  }

  async verify(facts: IncomingCallFacts): Promise<StirResult> {
    let passport: Passport | null = null;
    try {
      const header = selectShakenIdentity(facts.identityHeaders);
      if (header === null) return { status: 'absent' };
      if (header.info === null) throw new StirVerificationError('info-missing', 'the info parameter is required');
      if (header.alg !== null && header.alg !== passportAlgorithm) {
        throw new StirVerificationError('alg-unsupported', `alg parameter ${header.alg.slice(0, 16)}`);
      }
      passport = decodePassport(header.token);
      if (passport.header.x5u !== header.info) throw new StirVerificationError('x5u-mismatch', 'x5u differs from info');
      this.assertFresh(passport.claims.iat);
      const callingNumber = this.assertNumbers(passport, facts);
      const signer = await this.trustedSigner(passport.header.x5u);
      assertAuthorizes(signer.tnAuthList, passport.claims.orig.tn);
      await this.revocation.assertNotRevoked(signer.chain.leaf, signer.chain.leafIssuer, signer.crlUrl);
      await verifyPassportSignature(header.token, signer.publicKey);
      // Last, so that a forged or broken token never occupies a replay slot.
      if (!await this.options.replay.firstUse(header.token, facts.callId)) {
        throw new StirVerificationError('replay', 'this PASSporT was already used on another call');
      }
      const { attest, origid } = passport.claims;
      invariant(callingNumber.length === 10, 'the calling number is normalized to 10 digits');
      return { status: 'passed', attest, origid, callingNumber, x5u: passport.header.x5u };
    } catch (error) {
      const claims = passport === null ? {} : { attest: passport.claims.attest, origid: passport.claims.origid };
      if (error instanceof StirVerificationError) {
        return { status: 'failed', reason: error.reason, detail: error.message, ...claims };
      }
      return { status: 'failed', reason: 'verifier-error', detail: String(error), ...claims };
    }
  }

  /**
   * New trust anchors for the next verifications (the operator changed the STI-CA list). Chains
   * validated against the old anchors are forgotten, so a removed anchor stops counting at once.
   */
  replaceAnchors(anchors: TrustAnchors): void {
    this.anchors = anchors;
    this.signers = new WeakMap();
  }

  private assertFresh(iat: number): void {
    const nowSeconds = Math.floor(this.now() / 1000);
    if (nowSeconds - iat > this.iatWindowSeconds) {
      throw new StirVerificationError('iat-stale', `iat is ${nowSeconds - iat} s old (window ${this.iatWindowSeconds} s)`);
    }
    if (iat - nowSeconds > this.iatFutureSkewSeconds) {
      throw new StirVerificationError('iat-future', `iat is ${iat - nowSeconds} s in the future`);
    }
  }

  /** orig.tn must be the caller (P-Asserted-Identity, else From); dest.tn must include the called number. */
  private assertNumbers(passport: Passport, facts: IncomingCallFacts): string {
    const orig = telephoneNumberOfClaim(passport.claims.orig.tn);
    const claimed = [telephoneNumberOf(facts.paiNumber), telephoneNumberOf(facts.fromNumber)]
      .filter((number): number is string => number !== null);
    if (orig === null || !claimed.includes(orig)) {
      throw new StirVerificationError('orig-mismatch', 'orig.tn is not the calling number');
    }
    const called = telephoneNumberOf(facts.calledNumber);
    const destinations = passport.claims.dest.tn.map(telephoneNumberOfClaim);
    if (called === null || !destinations.includes(called)) {
      throw new StirVerificationError('dest-mismatch', 'dest.tn does not include the called number');
    }
    return orig;
  }

  private async trustedSigner(x5u: string): Promise<TrustedSigner> {
    const fetched = await this.options.fetcher.fetch(x5u);
    const nowMs = this.now();
    const known = this.signers.get(fetched);
    if (known !== undefined && known.chain.validFromMs <= nowMs && nowMs <= known.chain.validUntilMs) return known;
    const chain = validateChain(fetched.certificates, this.anchors, nowMs);
    const signer = {
      chain, tnAuthList: tnAuthListOf(chain.leaf), publicKey: chain.leaf.publicKey,
      crlUrl: crlUrlsOf(chain.leaf)[0] ?? null,
    };
    this.signers.set(fetched, signer);
    return signer;
  }
}
