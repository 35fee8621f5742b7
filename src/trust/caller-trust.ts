// Caller trust for one inbound call, composed from configuration: rate limits first (cheap, and a
// flood must not cause x5u fetches), then STIR/SHAKEN, then the operator's policy, logged with the
// call. This is what the SIP edge calls for each INVITE; captcha and call-back follow in the dialog.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { JurisdictionKeys } from '../store/keys.js';
import { CertificateFetcher, type CertificateFetcherOptions } from './certificate-fetcher.js';
import { loadTrustAnchors, type TrustAnchors } from './certificate-chain.js';
import { CallRateLimiter, type Admission } from './rate-limiter.js';
import { ReplayCache } from './replay-cache.js';
import { telephoneNumberOf } from './sip-number.js';
import { decideTrust, logTrustDecision, TrustedTrunks, type TrustDecision, type TrustPolicy } from './trust-policy.js';
import { iatFutureSkewSecondsDefault, StirVerifier, type IncomingCallFacts, type StirResult } from './verifier.js';

const hourMs = 3_600_000;
const minuteMs = 60_000;

export type TrustConfig = Pick<Config, 'stirShakenTrustAnchors' | 'stirShakenIatWindowSeconds'
  | 'stirShakenFailurePolicy' | 'stirShakenAbsentPolicy' | 'trustedTrunks' | 'trustCarrierVerstat'
  | 'rateLimitCallsPerNumberPerHour' | 'rateLimitCallsPerSourcePerMinute'>;

export type Screening =
  | { kind: 'admitted'; decision: TrustDecision }
  | { kind: 'refused'; sipStatus: number; reason: string; retryAfterSeconds?: number; decision?: TrustDecision };

export interface CallerTrustOptions {
  config: TrustConfig;
  redis: Redis;
  keys: JurisdictionKeys;
  logger: Logger;
  /** Overrides STIR_SHAKEN_TRUST_ANCHORS (tests, benchmarks). */
  anchors?: TrustAnchors;
  fetcher?: CertificateFetcherOptions;
  /** Overrides the hour (per number) and minute (per source) windows: tests and labs that must see a
   * limit trip and recover within seconds. The limits themselves stay the configured counts. */
  rateLimitWindowsMs?: { perNumber?: number; perSource?: number };
}

export class CallerTrust {
  readonly fetcher: CertificateFetcher;
  readonly verifier: StirVerifier | null;
  readonly limiter: CallRateLimiter;
  readonly policy: TrustPolicy;
  private readonly logger: Logger;
  /** Where the anchors came from, when they can be read again (not when a test passed them in). */
  private readonly anchorsPath: string | null;

  constructor(options: CallerTrustOptions) {
    const { config } = options;
    this.logger = options.logger;
    this.anchorsPath = options.anchors === undefined ? config.stirShakenTrustAnchors : null;
    this.fetcher = new CertificateFetcher(options.fetcher);
    const anchors = options.anchors
      ?? (config.stirShakenTrustAnchors === null ? null : loadTrustAnchors(config.stirShakenTrustAnchors));
    // Without trust anchors nothing could pass, and calling every signed call "failed" would blame
    // the carriers for our setup; so every call counts as absent and start-up warns once.
    if (anchors === null) this.logger.warn('STIR_SHAKEN_TRUST_ANCHORS is not set: STIR/SHAKEN is not verified');
    const replay = new ReplayCache(options.redis, options.keys,
      config.stirShakenIatWindowSeconds + iatFutureSkewSecondsDefault + 1);
    this.verifier = anchors === null ? null : new StirVerifier({
      fetcher: this.fetcher, anchors, replay, iatWindowSeconds: config.stirShakenIatWindowSeconds,
    });
    this.limiter = new CallRateLimiter(options.redis, options.keys, {
      perNumber: {
        limit: config.rateLimitCallsPerNumberPerHour, windowMs: options.rateLimitWindowsMs?.perNumber ?? hourMs,
      },
      perSource: {
        limit: config.rateLimitCallsPerSourcePerMinute, windowMs: options.rateLimitWindowsMs?.perSource ?? minuteMs,
      },
    });
    this.policy = {
      onFailure: config.stirShakenFailurePolicy, onAbsent: config.stirShakenAbsentPolicy,
      trustCarrierVerstat: config.trustCarrierVerstat, trustedTrunks: new TrustedTrunks(config.trustedTrunks),
    };
  }

  /**
   * Re-reads STIR_SHAKEN_TRUST_ANCHORS without a restart (serve does this on SIGHUP). A file that
   * cannot be read or holds no certificate changes nothing: the anchors in use stay, and the error is
   * logged and returned.
   */
  reloadTrustAnchors(): { reloaded: true; anchors: number } | { reloaded: false; reason: string } {
    const path = this.anchorsPath;
    if (path === null || this.verifier === null) {
      const reason = 'STIR_SHAKEN_TRUST_ANCHORS was not set at start-up; set it and restart';
      this.logger.warn(reason);
      return { reloaded: false, reason };
    }
    let anchors: TrustAnchors;
    try {
      anchors = loadTrustAnchors(path);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.error({ path, err: error }, 'trust anchors not reloaded; the ones in use stay');
      return { reloaded: false, reason };
    }
    this.verifier.replaceAnchors(anchors);
    this.logger.info({ path, anchors: anchors.certificates.length }, 'trust anchors reloaded');
    return { reloaded: true, anchors: anchors.certificates.length };
  }

  async screen(facts: IncomingCallFacts): Promise<Screening> {
    const claimed = telephoneNumberOf(facts.paiNumber) ?? telephoneNumberOf(facts.fromNumber);
    const call = { callId: facts.callId, sourceAddress: facts.sourceAddress, callingNumber: claimed };
    const source = await this.limiter.admitSource(call);
    if (!source.admitted) return this.refuseByRateLimit(facts, claimed, source);
    const stir: StirResult = this.verifier === null ? { status: 'absent' } : await this.verifier.verify(facts);
    const decision = decideTrust(facts, stir, this.policy);
    logTrustDecision(this.logger, facts, decision);
    if (decision.sipReject !== undefined) {
      return { kind: 'refused', sipStatus: decision.sipReject.status, reason: decision.sipReject.reason, decision };
    }
    const number = await this.limiter.admitNumber(call, decision.level === 'verified');
    if (!number.admitted) return { ...this.refuseByRateLimit(facts, claimed, number), decision };
    return { kind: 'admitted', decision };
  }

  private refuseByRateLimit(
    facts: IncomingCallFacts, claimed: string | null, admission: Admission & { admitted: false },
  ): Screening & { kind: 'refused' } {
    this.logger.warn({ callId: facts.callId, sourceAddress: facts.sourceAddress, callingNumber: claimed,
      limited: admission.limited, count: admission.count, retryAfterSeconds: admission.retryAfterSeconds },
    'call refused by rate limit');
    return {
      kind: 'refused', sipStatus: admission.sipStatus, retryAfterSeconds: admission.retryAfterSeconds,
      reason: admission.sipStatus === 486 ? 'Busy Here' : 'Service Unavailable',
    };
  }

  close(): void {
    this.fetcher.close();
  }
}
