import { expect } from 'chai';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, readEnvironment } from '../../src/config/config.js';

function problemsOf(env: Record<string, string>): Array<{ variable: string; message: string }> {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('has working defaults: iowa, embedded redis, N = 65536', () => {
    const config = loadConfig({});
    expect(config.jurisdiction).to.equal('ia');
    expect(config.redis.kind).to.equal('embedded');
    expect(config.activationsToReward).to.equal(65_536);
    expect(config.sovereignPhones).to.deep.equal([]);
    expect(config.auditLogJsonPath).to.match(/audit_log\.jsonl$/);
  });

  it("reads SOVEREIGN_PHONES in the seed's Python-list form and as a plain list", () => {
    expect(loadConfig({ SOVEREIGN_PHONES: "['712-123-9876','712-125-7890']" }).sovereignPhones)
      .to.deep.equal(['7121239876', '7121257890']);
    expect(loadConfig({ SOVEREIGN_PHONES: '+1 (515) 555-0100, 3195550101' }).sovereignPhones)
      .to.deep.equal(['5155550100', '3195550101']);
  });

  const invalid: Array<[string, Record<string, string>, RegExp]> = [
    ['STATE_OR_PROVINCE', { STATE_OR_PROVINCE: 'atlantis' }, /expected one of: iowa/],
    ['VOTING_DISTRICT', { VOTING_DISTRICT: 'fourth' }, /congressional district number/],
    ['SOVEREIGN_PHONES', { SOVEREIGN_PHONES: '712-123-98' }, /"712-123-98" is not a 10-digit phone number/],
    ['NUMBER_OF_ACTIVATIONS_TO_REWARD', { NUMBER_OF_ACTIVATIONS_TO_REWARD: 'many' }, /whole number/],
    ['NUMBER_OF_ACTIVATIONS_TO_REWARD', { NUMBER_OF_ACTIVATIONS_TO_REWARD: '0' }, /at least 1/],
    ['NUMBER_OF_ACTIVATIONS_TO_REWARD', { NUMBER_OF_ACTIVATIONS_TO_REWARD: '2.5' }, /whole number/],
    ['REDIS_URL', { REDIS_URL: 'http://localhost:6379' }, /redis:\/\//],
    ['REDIS_SOCKET', { REDIS_URL: 'redis://localhost:6379', REDIS_SOCKET: '/tmp/r.sock' }, /not both/],
    ['SIP_LISTEN', { SIP_LISTEN: 'everywhere' }, /host:port/],
    ['SIP_LISTEN', { SIP_LISTEN: '0.0.0.0:99999' }, /1-65535/],
    ['RTP_PORT_MIN', { RTP_PORT_MIN: '80' }, /1024 to 65535/],
    ['RTP_PORT_MAX', { RTP_PORT_MIN: '30000', RTP_PORT_MAX: '20000' }, /greater than RTP_PORT_MIN/],
    ['WEB_LISTEN', { WEB_LISTEN: ':8080' }, /host:port/],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, /expected one of: fatal/],
    ['SAMPLE_ROLL_VOTERS', { SAMPLE_ROLL_VOTERS: '5' }, /at least 100/],
  ];
  for (const [variable, env, message] of invalid) {
    it(`names ${variable} when it is invalid (${JSON.stringify(env)})`, () => {
      const problems = problemsOf(env);
      expect(problems.map((problem) => problem.variable)).to.include(variable);
      expect(problems.find((problem) => problem.variable === variable)?.message).to.match(message);
    });
  }

  it('lists every invalid variable at once, and the message names them', () => {
    const problems = problemsOf({ LOG_LEVEL: 'loud', VOTING_DISTRICT: 'x' });
    expect(problems.map((problem) => problem.variable).sort()).to.deep.equal(['LOG_LEVEL', 'VOTING_DISTRICT']);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).to.throw(/LOG_LEVEL: expected one of/);
  });

  it('reads .env, lets the environment win, and treats empty values as unset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dn-config-'));
    try {
      const path = join(dir, '.env');
      writeFileSync(path, 'VOTING_DISTRICT=4\nLOG_LEVEL=debug\nREDIS_URL=\n');
      const env = readEnvironment({ LOG_LEVEL: 'warn' }, path);
      const config = loadConfig(env);
      expect(config.votingDistrict).to.equal('4');
      expect(config.logLevel).to.equal('warn');
      expect(config.redis.kind).to.equal('embedded');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
