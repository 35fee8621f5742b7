import { expect } from 'chai';
import { startTestRedis, type TestRedis } from '../support/redis.js';

describe('store/redis-server', () => {
  let redis: TestRedis;
  before(async () => {
    redis = await startTestRedis();
  });
  after(async () => {
    await redis.stop();
  });

  it('runs with AOF appendfsync always on a unix socket', async () => {
    const client = redis.client();
    expect(await client.config('GET', 'appendfsync')).to.deep.equal(['appendfsync', 'always']);
    expect(await client.config('GET', 'appendonly')).to.deep.equal(['appendonly', 'yes']);
    expect(await client.config('GET', 'port')).to.deep.equal(['port', '0']);
  });

  it('keeps an acknowledged write across kill -9 and restart', async () => {
    const client = redis.client();
    await client.set('survives', 'yes');
    client.disconnect();
    await redis.server.kill9();
    expect(redis.server.running).to.equal(false);
    await redis.server.start();
    const again = redis.client();
    expect(await again.get('survives')).to.equal('yes');
  });
});
