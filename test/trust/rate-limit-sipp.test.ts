// Rate limits through real SIP: sipp places calls over loopback into a PhoneLine whose windows are
// shortened to seconds (the limits are the configured counts). Over the per-number limit the call
// gets 486 Busy Here, over the per-source limit 503 Service Unavailable, both with Retry-After, as
// sipp sees them; after waiting that long, both numbers are answered again.
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { delay } from '../telephony/support/raw-sip.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { ann, john, startSipLine, type SipLine } from './sip-line.js';
import { screenCalls, type ScreenCase, type ScreenOutcome } from './sipp-screen.js';

const windowMs = 4_000;

/** A call without Identity (the absent policy continues), from one of the roll's numbers. */
const unsigned = (name: string, caller: string): ScreenCase => ({
  name, caller, headerName: 'X-Not-Identity', token: 'none', info: 'https://example.invalid/',
});

describe('trust: rate limits trip and recover through SIP (sipp)', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let sip: SipLine;
  const rtpPortMin = 42_000 + (process.pid % 50) * 40;

  before(async () => {
    redis = await startTestRedis();
    sip = await startSipLine({
      redis, rtpPortMin, rateLimitWindowsMs: { perNumber: windowMs, perSource: windowMs },
      env: { RATE_LIMIT_CALLS_PER_NUMBER_PER_HOUR: '2', RATE_LIMIT_CALLS_PER_SOURCE_PER_MINUTE: '4' },
    });
  });
  after(async () => {
    await sip.stop();
    await redis.stop();
  });

  async function place(cases: ScreenCase[]): Promise<ScreenOutcome[]> {
    const run = await screenCalls({ cases, target: `127.0.0.1:${sip.line.port}`, cwd: mkdtempSync(join(sip.dir, 'sipp-')) });
    expect(run.sipp.code, run.sipp.stderr + run.sipp.stdout.slice(-3000)).to.equal(0);
    return run.outcomes;
  }

  it('answers 486 over the number limit and 503 over the source limit, with Retry-After, then recovers', async () => {
    const tripped = await place([unsigned('ann-1', ann.phone), unsigned('ann-2', ann.phone), unsigned('ann-3', ann.phone),
      unsigned('john-1', john.phone), unsigned('john-2', john.phone)]);
    expect(tripped.map((o) => `${o.name} ${o.status} ${o.phrase}`)).to.deep.equal([
      'ann-1 200 OK', 'ann-2 200 OK', 'ann-3 486 Busy Here', 'john-1 200 OK', 'john-2 503 Service Unavailable']);
    const refused = tripped.filter((o) => o.status !== 200);
    for (const outcome of refused) {
      expect(outcome.retryAfterSeconds, outcome.name).to.be.within(1, windowMs / 1000);
      const logged = sip.logFor(outcome.callId).find((entry) => entry.msg === 'call refused by rate limit');
      expect(logged?.limited, outcome.name).to.equal(outcome.status === 486 ? 'number' : 'source');
      expect(logged?.retryAfterSeconds).to.equal(outcome.retryAfterSeconds);
    }
    // Retry-After is an upper bound: after it, every window has slid past the calls above.
    await delay(Math.max(...refused.map((o) => o.retryAfterSeconds ?? 0)) * 1000 + 200);
    const recovered = await place([unsigned('ann-again', ann.phone), unsigned('john-again', john.phone)]);
    expect(recovered.map((o) => `${o.name} ${o.status}`)).to.deep.equal(['ann-again 200', 'john-again 200']);
  });
});
