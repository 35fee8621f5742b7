// Configuration of the store beyond one machine: Sentinel, Cluster and replica waits, validated.
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { thrown } from '../support/thrown.js';

describe('cluster/config: REDIS_SENTINELS, REDIS_CLUSTER_NODES, REDIS_WAIT_* and JOB_LEASE_TTL_MS', () => {
  it('reads a sentinel list with its master name, and a cluster node list', () => {
    const sentinel = loadConfig({ REDIS_SENTINELS: '10.0.0.1:26379, redis-2:26380', REDIS_SENTINEL_MASTER: 'dn-main',
      REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '500' });
    expect(sentinel.redis).to.deep.equal({ kind: 'sentinel', masterName: 'dn-main',
      sentinels: [{ host: '10.0.0.1', port: 26379 }, { host: 'redis-2', port: 26380 }] });
    expect([sentinel.redisWaitReplicas, sentinel.redisWaitTimeoutMs]).to.deep.equal([1, 500]);
    const cluster = loadConfig({ REDIS_CLUSTER_NODES: 'node-1:6379 node-2:6379' });
    expect(cluster.redis).to.deep.equal({ kind: 'cluster', nodes: [{ host: 'node-1', port: 6379 }, { host: 'node-2', port: 6379 }] });
    expect(cluster.redisWaitReplicas).to.equal(0);
  });

  it('reads the job lease TTL, 15 s when unset', () => {
    expect(loadConfig({}).jobLeaseTtlMs).to.equal(15_000);
    expect(loadConfig({ JOB_LEASE_TTL_MS: '2500' }).jobLeaseTtlMs).to.equal(2_500);
  });

  for (const [lease, expected] of [['abc', /expected milliseconds/], ['1.5', /whole milliseconds/],
    ['999', /expected 1000 to 3600000 ms/], ['3600001', /expected 1000 to 3600000 ms/]] as const) {
    it(`refuses JOB_LEASE_TTL_MS=${lease} with a message that says what is expected`, async () => {
      const error = await thrown(async () => loadConfig({ JOB_LEASE_TTL_MS: lease }));
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as ConfigError).problems).to.have.length(1);
      expect((error as ConfigError).problems[0]?.variable).to.equal('JOB_LEASE_TTL_MS');
      expect((error as ConfigError).problems[0]?.message).to.match(expected);
    });
  }

  for (const [variable, env] of [
    ['REDIS_SENTINELS', { REDIS_SENTINELS: 'redis-1' }],
    ['REDIS_CLUSTER_NODES', { REDIS_CLUSTER_NODES: 'node-1:99999' }],
    ['REDIS_CLUSTER_NODES', { REDIS_CLUSTER_NODES: 'node-1:6379', REDIS_SENTINELS: 's:26379' }],
    ['REDIS_SENTINELS', { REDIS_URL: 'redis://localhost:6379', REDIS_SENTINELS: 's:26379' }],
    ['REDIS_WAIT_REPLICAS', { REDIS_WAIT_REPLICAS: '-1' }],
    ['REDIS_WAIT_TIMEOUT_MS', { REDIS_WAIT_TIMEOUT_MS: '60000' }],
  ] as const) {
    it(`names ${variable} when it is invalid (${JSON.stringify(env)})`, async () => {
      const error = await thrown(async () => loadConfig(env));
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as ConfigError).problems.map((problem) => problem.variable)).to.include(variable);
    });
  }
});
