// The telephone front door of the serve process: a SIP endpoint whose INVITEs are screened by
// CallerTrust before ringing (refusals get their SIP status), and a dialog run for every answered
// call. Stopping ends the calls (BYE) and waits for their dialogs to finish.
import { join } from 'node:path';
import type { AppContext } from '../app/context.js';
import { normalizePhone } from '../core/phone.js';
import type { Logger } from '../config/logger.js';
import { jurisdictionFor } from '../roll/jurisdictions.js';
import { endpointOptionsFromConfig } from '../telephony/endpoint-config.js';
import { parseTrunk, TrunkLocator } from '../telephony/sip/trunk-locator.js';
import { SipEndpoint, type ScreenVerdict, type SipEndpointOptions } from '../telephony/endpoint.js';
import { CallerTrust } from '../trust/caller-trust.js';
import type { TrustDecision } from '../trust/trust-policy.js';
import type { CallChannel, CallFacts } from './call-channel.js';
import { cryptoDigits, runDialog, type DialogEnd, type DialogOptions } from './dialog.js';
import { DialerOutboundCaller } from './dialer-outbound-caller.js';
import { PromptSynthesizer } from './prompts.js';
import { defaultDialogTimings } from './verb.js';

/** A decision waits this long for its call to be answered (ringing, ACK), then is forgotten. */
export const decisionHoldMs = 60_000;

export interface PhoneLineOptions {
  readonly context: AppContext;
  readonly logger: Logger;
  /** Test overrides: endpoint timers and ports, fake synthesizer, short timings, scripted captcha. */
  readonly endpoint?: Partial<SipEndpointOptions>;
  readonly dialog?: Partial<Omit<DialogOptions, 'context' | 'redis' | 'logger'>>;
  readonly trust?: CallerTrust;
  readonly onDialogEnd?: (call: CallChannel, end: DialogEnd) => void;
}

/** The trust layer wants the bare number-bearing header values and the source IP (no port). */
export function incomingFacts(callId: string, facts: CallFacts): Parameters<CallerTrust['screen']>[0] {
  return {
    callId, fromNumber: facts.from, calledNumber: facts.toNumber ?? facts.to,
    identityHeaders: [...facts.identityHeaders],
    sourceAddress: facts.sourceAddress.replace(/^\[?(.*?)\]?:\d+$/, '$1'),
    ...(facts.paiNumber === undefined ? {} : { paiNumber: facts.paiNumber }),
    ...(facts.verstat === undefined ? {} : { verstat: facts.verstat }),
  };
}

export class PhoneLine {
  readonly endpoint: SipEndpoint;
  readonly trust: CallerTrust;
  private readonly decisions = new Map<string, { decision: TrustDecision; timer: NodeJS.Timeout }>();
  private readonly dialogs = new Set<Promise<DialogEnd>>();
  private readonly dialogOptions: DialogOptions;

  constructor(private readonly options: PhoneLineOptions) {
    const { context, logger } = options;
    const { config } = context;
    this.trust = options.trust
      ?? new CallerTrust({ config, redis: context.connection.redis, keys: context.keys, logger });
    const trunk = config.sipTrunk === null ? undefined : new TrunkLocator(parseTrunk(config.sipTrunk));
    this.endpoint = new SipEndpoint({
      ...endpointOptionsFromConfig(config, logger, trunk),
      screen: async ({ callId, facts }) => this.screen(callId, facts),
      ...options.endpoint,
    });
    this.dialogOptions = {
      context, redis: context.connection.redis, logger, jurisdiction: jurisdictionFor(config.stateOrProvince),
      synthesizer: new PromptSynthesizer({ cacheDir: join(config.dataDir, 'prompts') }),
      timings: defaultDialogTimings, captchaDigits: cryptoDigits, tellMeAboutText: config.tellMeAboutText,
      ...options.dialog,
    };
    this.endpoint.on('call', (call) => this.answer(call));
  }

  async start(): Promise<void> {
    await this.endpoint.start();
  }

  get port(): number {
    return this.endpoint.port;
  }

  private async screen(callId: string, facts: CallFacts): Promise<ScreenVerdict> {
    const screening = await this.trust.screen(incomingFacts(callId, facts));
    if (screening.kind === 'refused') {
      return { accept: false, status: screening.sipStatus, reason: screening.reason,
        ...(screening.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: screening.retryAfterSeconds }) };
    }
    const timer = setTimeout(() => this.decisions.delete(callId), decisionHoldMs);
    timer.unref();
    this.decisions.set(callId, { decision: screening.decision, timer });
    return { accept: true };
  }

  private answer(call: CallChannel): void {
    const held = this.decisions.get(call.callId);
    this.decisions.delete(call.callId);
    if (held !== undefined) clearTimeout(held.timer);
    // Without a screening (it cannot happen with our endpoint) the call is simply unverified.
    const decision: TrustDecision = held?.decision ?? {
      level: 'unverified', attestation: null, stir: { status: 'absent' }, via: 'none', callingNumber: null,
    };
    const dialog = runDialog(call, decision, { ...this.callBackFor(call), ...this.dialogOptions });
    this.dialogs.add(dialog);
    void dialog.then((end) => this.options.onDialogEnd?.(call, end))
      .catch((error: unknown) => this.options.logger.error({ err: error, callId: call.callId }, 'dialog end hook failed'))
      .finally(() => this.dialogs.delete(dialog));
  }

  /**
   * Call-back needs a trunk for the outbound call and a number to present: the one the voter dialed.
   * Without either, unverified callers are simply not offered it.
   */
  private callBackFor(call: CallChannel): Pick<DialogOptions, 'callBack'> {
    const presented = normalizePhone(call.facts.toNumber ?? '');
    if (this.options.context.config.sipTrunk === null || presented === null) return {};
    const { synthesizer } = this.dialogOptions;
    return { callBack: { caller: new DialerOutboundCaller({
      dialer: this.endpoint, from: presented, speak: (text) => synthesizer.synthesize(text),
    }) } };
  }

  async stop(): Promise<void> {
    await this.endpoint.close();
    await Promise.allSettled([...this.dialogs]);
    for (const { timer } of this.decisions.values()) clearTimeout(timer);
    this.decisions.clear();
    this.trust.close();
  }
}
