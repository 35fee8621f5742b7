import { expect } from 'chai';
import { jurisdictionKeys } from '../../src/store/keys.js';
import { CallRateLimiter } from '../../src/trust/rate-limiter.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

const windowMs = 400;

describe('trust: call rate limits (Redis sliding windows)', () => {
  let redis: TestRedis;
  before(async () => {
    redis = await startTestRedis();
  });
  after(async () => {
    await redis.stop();
  });

  const limiter = (perNumber: number, perSource: number): CallRateLimiter => new CallRateLimiter(
    redis.client(), jurisdictionKeys('ia'), { perNumber: { limit: perNumber, windowMs }, perSource: { limit: perSource, windowMs } });

  it('trips per calling number with 486 and Retry-After, and recovers when the window slides', async () => {
    const limits = limiter(2, 100);
    const call = (i: number) => ({ callId: `n${i}`, sourceAddress: '192.0.2.1', callingNumber: '5155550100' });
    expect(await limits.admit(call(1))).to.deep.equal({ admitted: true });
    expect(await limits.admit(call(2))).to.deep.equal({ admitted: true });
    const refused = await limits.admit(call(3));
    expect(refused).to.deep.include({ admitted: false, limited: 'number', sipStatus: 486, count: 2 });
    if (refused.admitted) return;
    expect(refused.retryAfterSeconds).to.equal(1);
    expect(await limits.admit({ ...call(4), callingNumber: '5155550101' })).to.deep.equal({ admitted: true });
    await new Promise((resolve) => setTimeout(resolve, windowMs + 50));
    expect(await limits.admit(call(5))).to.deep.equal({ admitted: true });
  });

  it('trips per source address with 503 before spending the number budget', async () => {
    const limits = limiter(100, 1);
    const call = { callId: 's1', sourceAddress: '198.51.100.7', callingNumber: '5155550177' };
    expect(await limits.admit(call)).to.deep.equal({ admitted: true });
    expect(await limits.admit({ ...call, callId: 's2' })).to.deep.include({ admitted: false, limited: 'source', sipStatus: 503 });
    const numberKey = jurisdictionKeys('ia').key('rate', 'number', 'unverified', '5155550177');
    expect(await redis.client().zcard(numberKey)).to.equal(1);
  });

  it('keeps every key in the jurisdiction slot and bounded by the limit', async () => {
    const limits = limiter(3, 100);
    for (let i = 0; i < 10; i++) await limits.admit({ callId: `b${i}`, sourceAddress: '192.0.2.99', callingNumber: '5155550199' });
    const keys = await redis.client().keys('*rate*');
    for (const key of keys) expect(key.startsWith('{ia}:rate:')).to.equal(true);
    expect(await redis.client().zcard('{ia}:rate:number:unverified:5155550199')).to.equal(3);
  });

  it('keeps verified calls apart: spoofed unverified calls cannot use up the real voter\'s allowance', async () => {
    const limits = limiter(2, 100);
    const call = (i: number) => ({ callId: `v${i}`, sourceAddress: '192.0.2.5', callingNumber: '5155550155' });
    for (let i = 0; i < 2; i++) expect(await limits.admit(call(i))).to.deep.equal({ admitted: true });
    expect(await limits.admit(call(2))).to.deep.include({ admitted: false, limited: 'number' });
    expect(await limits.admit(call(3), { verified: true })).to.deep.equal({ admitted: true });
    expect(await limits.admit(call(4), { verified: true })).to.deep.equal({ admitted: true });
    expect(await limits.admit(call(5), { verified: true })).to.deep.include({ admitted: false, limited: 'number', sipStatus: 486 });
  });

  it('refuses nonsense limits', () => {
    expect(() => limiter(0, 1)).to.throw(RangeError);
  });
});
