// The operator's trust policy (SPEC §2): turns the STIR/SHAKEN result, the carrier's verstat and
// the call-back outcome into the call's trust level. Pure functions; the SIP edge acts on sipReject
// and the dialog offers call-back when the level is "unverified".
import { BlockList, isIP } from 'node:net';
import { invariant } from '../core/invariant.js';
import type { Logger } from 'pino';
import type { Attestation } from './passport.js';
import { telephoneNumberOf } from './sip-number.js';
import { sipRejectAbsent, sipRejectFor, type StirFailureReason, type StirSipReject } from './stir-failure.js';
import type { IncomingCallFacts, StirResult } from './verifier.js';

export type PolicyOnFailure = 'continue' | 'reject';

export interface TrustPolicy {
  /** A failed verification: continue at the lower trust level, or refuse with the RFC 8224 code. */
  onFailure: PolicyOnFailure;
  /** A call without Identity: continue, or refuse with 428 Use Identity Header. */
  onAbsent: PolicyOnFailure;
  /** Whether a carrier's "TN-Validation-Passed" verstat from a trusted trunk counts as attestation A. */
  trustCarrierVerstat: boolean;
  trustedTrunks: TrustedTrunks;
}

export interface TrustDecision {
  level: 'verified' | 'unverified';
  attestation: Attestation | null;
  stir: { status: 'passed' | 'failed' | 'absent'; reason?: StirFailureReason; attest?: Attestation; origid?: string };
  via: 'stir-shaken' | 'carrier-verstat' | 'call-back' | 'none';
  sipReject?: StirSipReject;
  /** 10 digits: the verified number, else the claimed one (P-Asserted-Identity, else From). */
  callingNumber: string | null;
}

export const trustedTrunksMax = 256;

/** IP addresses and CIDR blocks of the carrier trunks whose verstat the operator accepts. */
export class TrustedTrunks {
  private readonly list = new BlockList();

  constructor(readonly entries: readonly string[]) {
    if (entries.length > trustedTrunksMax) throw new RangeError(`more than ${trustedTrunksMax} trusted trunks`);
    for (const entry of entries) {
      const [address = '', prefix] = entry.split('/');
      const family = isIP(address);
      if (family === 0) throw new RangeError(`trusted trunk ${entry} is not an IP address or CIDR block`);
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, Number(prefix), type);
    }
  }

  includes(address: string): boolean {
    // IPv4 peers on a dual-stack socket appear as ::ffff:a.b.c.d.
    const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    const family = isIP(plain);
    if (family === 0) return false;
    return this.list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/** verstat values (ATIS-1000074 / 3GPP TS 24.229): only a passed validation with attestation A counts. */
export function verstatPassed(verstat: string | undefined): boolean {
  if (verstat === undefined) return false;
  return /^tn-validation-passed(-a)?$/i.test(verstat.trim());
}

function claimedNumber(facts: IncomingCallFacts): string | null {
  return telephoneNumberOf(facts.paiNumber) ?? telephoneNumberOf(facts.fromNumber);
}

function stirSummary(stir: StirResult): TrustDecision['stir'] {
  if (stir.status === 'passed') return { status: 'passed', attest: stir.attest, origid: stir.origid };
  if (stir.status === 'absent') return { status: 'absent' };
  const summary: TrustDecision['stir'] = { status: 'failed', reason: stir.reason };
  if (stir.attest !== undefined) summary.attest = stir.attest;
  if (stir.origid !== undefined) summary.origid = stir.origid;
  return summary;
}

export function decideTrust(facts: IncomingCallFacts, stir: StirResult, policy: TrustPolicy): TrustDecision {
  const decision = decideTrustUnchecked(facts, stir, policy);
  // Verified always means "this number, proven like attestation A": the core relies on it.
  invariant(decision.level === 'unverified' || (decision.attestation === 'A' && decision.callingNumber !== null),
    'a verified decision needs attestation A and a calling number');
  invariant(decision.sipReject === undefined || decision.level === 'unverified', 'a refused call is never verified');
  return decision;
}

function decideTrustUnchecked(facts: IncomingCallFacts, stir: StirResult, policy: TrustPolicy): TrustDecision {
  const summary = stirSummary(stir);
  if (stir.status === 'passed') {
    const verified = stir.attest === 'A';
    return {
      level: verified ? 'verified' : 'unverified', attestation: stir.attest, stir: summary,
      via: verified ? 'stir-shaken' : 'none', callingNumber: stir.callingNumber,
    };
  }
  const callingNumber = claimedNumber(facts);
  // A carrier that verified the call itself often strips the Identity header and sends verstat;
  // it only counts when the header is absent, so our own failed verification is never overruled.
  if (stir.status === 'absent' && policy.trustCarrierVerstat && verstatPassed(facts.verstat)
    && policy.trustedTrunks.includes(facts.sourceAddress) && callingNumber !== null) {
    return { level: 'verified', attestation: 'A', stir: summary, via: 'carrier-verstat', callingNumber };
  }
  const decision: TrustDecision = { level: 'unverified', attestation: null, stir: summary, via: 'none', callingNumber };
  if (stir.status === 'absent' && policy.onAbsent === 'reject') decision.sipReject = sipRejectAbsent;
  if (stir.status === 'failed' && policy.onFailure === 'reject') {
    const reject = sipRejectFor(stir.reason);
    if (reject !== null) decision.sipReject = reject;
  }
  return decision;
}

/** Logged with the call (SPEC §2: "written to the call's log"). */
export function logTrustDecision(logger: Logger, facts: IncomingCallFacts, decision: TrustDecision): void {
  const fields = {
    callId: facts.callId, sourceAddress: facts.sourceAddress, callingNumber: decision.callingNumber,
    // Not "level": that is pino's own field, and overwriting it would hide the severity.
    trustLevel: decision.level, attestation: decision.attestation, via: decision.via, stir: decision.stir,
    sipReject: decision.sipReject ?? null,
  };
  if (decision.sipReject !== undefined) logger.warn(fields, 'call refused by trust policy');
  else if (decision.stir.status === 'failed') logger.warn(fields, 'STIR/SHAKEN verification failed; continuing');
  else logger.info(fields, 'call trust decided');
}
