// The SIP edge as small (ctx, next) middleware: each step either answers the request or passes it on.
// The endpoint composes the chain once; steps are pure functions of the context and their options.
import type { ResponseOptions } from './response.js';
import type { SipRequest } from './message.js';
import type { Peer } from './transport.js';

export interface RequestContext {
  readonly request: SipRequest;
  readonly source: Peer;
  /** null for requests without an RFC 3261 branch: they are answered statelessly. */
  readonly transactionKey: string | null;
  /** Sends a response through the request's server transaction (or statelessly). */
  respond(options: ResponseOptions): void;
}

export type Next = () => Promise<void>;
export type Middleware = (context: RequestContext, next: Next) => Promise<void>;

const chainLengthMax = 32;

export function compose(steps: readonly Middleware[]): (context: RequestContext) => Promise<void> {
  if (steps.length > chainLengthMax) throw new RangeError('middleware chain too long');
  return async (context) => {
    const run = async (index: number): Promise<void> => {
      const step = steps[index];
      if (step === undefined) return;
      let called = false;
      await step(context, async () => {
        if (called) throw new Error('next() called twice');
        called = true;
        await run(index + 1);
      });
    };
    await run(0);
  };
}
