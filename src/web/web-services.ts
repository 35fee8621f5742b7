// What the web's routes share: the app context (use cases and stores), the caches in front of the
// expensive reads, the sign-in store, metrics, and the cookie policy.
import type { AppContext } from '../app/context.js';
import { PropertyService } from '../app/property-service.js';
import type { Caller } from '../core/caller.js';
import { LogVerifier } from './log-verification.js';
import { createMetrics, type WebMetrics } from './metrics.js';
import { SignInStore, type WebSession } from './sign-in-store.js';
import { TallyCache } from './tally-cache.js';
import { VoterSearch } from './voter-search.js';

/** Rehashing the whole log on every page view would cost seconds at millions of entries. */
export const verifyCacheMsDefault = 30_000;

export interface WebOptions {
  /** Secure cookies (default). Off only for plain-http deployments other than localhost. */
  cookieSecure: boolean;
  /** How long a server-side chain verification is reused (0 in tests that tamper with the log). */
  verifyCacheMs?: number;
}

export interface WebServices {
  context: AppContext;
  tallies: TallyCache;
  search: VoterSearch;
  verifier: LogVerifier;
  signIn: SignInStore;
  properties: PropertyService;
  metrics: WebMetrics;
  cookieSecure: boolean;
}

export function createWebServices(context: AppContext, options: WebOptions): WebServices {
  const { config } = context;
  return {
    context,
    tallies: new TallyCache(context),
    search: new VoterSearch(context.roll),
    verifier: new LogVerifier(context.auditLog, options.verifyCacheMs ?? verifyCacheMsDefault),
    signIn: new SignInStore(context.connection.redis, context.keys),
    properties: new PropertyService(context.ledger, context.committer, context.roll,
      { sovereignPhones: config.sovereignPhones, amountMaxCents: config.moneyAmountMaxCents }),
    metrics: createMetrics(context),
    cookieSecure: options.cookieSecure,
  };
}

/** The signed-in voter as a Caller of the web channel: the session was proven by a verified call. */
export async function webCaller(services: WebServices, session: WebSession): Promise<Caller> {
  return services.context.callers.byVoterId(session.voterId, 'web');
}
