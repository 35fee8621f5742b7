import { expect } from 'chai';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
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
    expect(config.maxCalls).to.equal(500);
    expect(config.auditLogJsonPath).to.match(/audit_log\.jsonl$/);
  });

  it('decodes whole utterances unless POCKETSPHINX_DECODING says streaming', () => {
    expect(loadConfig({}).pocketsphinxDecoding).to.equal('utterance');
    expect(loadConfig({ POCKETSPHINX_DECODING: ' Streaming ' }).pocketsphinxDecoding).to.equal('streaming');
  });

  it('lays a noise floor 35 dB under the speech unless POCKETSPHINX_NOISE_FLOOR_DB says otherwise or off', () => {
    expect(loadConfig({}).pocketsphinxNoiseFloorDb).to.equal(35);
    expect(loadConfig({ POCKETSPHINX_NOISE_FLOOR_DB: ' 30 ' }).pocketsphinxNoiseFloorDb).to.equal(30);
    expect(loadConfig({ POCKETSPHINX_NOISE_FLOOR_DB: 'OFF' }).pocketsphinxNoiseFloorDb).to.equal(null);
  });

  it('holds back the decodes that may lag at the machine\'s cores unless POCKETSPHINX_BACKGROUND_DECODES says', () => {
    expect(loadConfig({}).pocketsphinxBackgroundDecodes).to.equal(availableParallelism());
    expect(loadConfig({ POCKETSPHINX_BACKGROUND_DECODES: ' 3 ' }).pocketsphinxBackgroundDecodes).to.equal(3);
    expect(loadConfig({ POCKETSPHINX_BACKGROUND_DECODES: 'Cores' }).pocketsphinxBackgroundDecodes)
      .to.equal(availableParallelism());
    expect(loadConfig({ POCKETSPHINX_BACKGROUND_DECODES: 'off' }).pocketsphinxBackgroundDecodes).to.equal(null);
  });

  it('decodes answers taken whole before the hangover ends unless POCKETSPHINX_EARLY_DECODE is false', () => {
    expect(loadConfig({}).pocketsphinxEarlyDecode).to.equal(true);
    expect(loadConfig({ POCKETSPHINX_EARLY_DECODE: ' False ' }).pocketsphinxEarlyDecode).to.equal(false);
  });

  it('hears first names\' short forms by a second decode unless NAME_SHORT_FORMS is false', () => {
    expect(loadConfig({}).nameShortForms).to.equal(true);
    expect(loadConfig({ NAME_SHORT_FORMS: ' FALSE ' }).nameShortForms).to.equal(false);
  });

  it("reads SOVEREIGN_PHONES in the seed's Python-list form and as a plain list", () => {
    expect(loadConfig({ SOVEREIGN_PHONES: "['712-555-9876','712-555-7890']" }).sovereignPhones)
      .to.deep.equal(['7125559876', '7125557890']);
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
    ['MAX_CALLS', { MAX_CALLS: '0' }, /at least 1 call/],
    ['MAX_CALLS', { MAX_CALLS: 'lots' }, /whole number of calls/],
    ['WEB_LISTEN', { WEB_LISTEN: ':8080' }, /host:port/],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, /expected one of: fatal/],
    ['SAMPLE_ROLL_VOTERS', { SAMPLE_ROLL_VOTERS: '5' }, /at least 100/],
    ['POCKETSPHINX_LATTICE_WAIT_MS', { POCKETSPHINX_LATTICE_WAIT_MS: '-1' }, /0 \(never wait\) or more/],
    ['POCKETSPHINX_LATTICE_WAIT_MS', { POCKETSPHINX_LATTICE_WAIT_MS: '1.5' }, /whole number of milliseconds/],
    ['POCKETSPHINX_LATTICE_WAIT_MS', { POCKETSPHINX_LATTICE_WAIT_MS: 'soon' }, /whole number of milliseconds/],
    ['POCKETSPHINX_DECODING', { POCKETSPHINX_DECODING: 'batch' }, /utterance or streaming/],
    ['POCKETSPHINX_NOISE_FLOOR_DB', { POCKETSPHINX_NOISE_FLOOR_DB: '0' }, /off or a number of dB above 0/],
    ['POCKETSPHINX_NOISE_FLOOR_DB', { POCKETSPHINX_NOISE_FLOOR_DB: 'loud' }, /off or a number of dB above 0/],
    ['POCKETSPHINX_NOISE_FLOOR_DB', { POCKETSPHINX_NOISE_FLOOR_DB: '' }, /off or a number of dB above 0/],
    ['POCKETSPHINX_BACKGROUND_DECODES', { POCKETSPHINX_BACKGROUND_DECODES: '0' }, /cores, off or a whole number/],
    ['POCKETSPHINX_BACKGROUND_DECODES', { POCKETSPHINX_BACKGROUND_DECODES: '1.5' }, /cores, off or a whole number/],
    ['POCKETSPHINX_BACKGROUND_DECODES', { POCKETSPHINX_BACKGROUND_DECODES: 'all' }, /cores, off or a whole number/],
    ['NAME_SHORT_FORMS', { NAME_SHORT_FORMS: 'sometimes' }, /expected true or false/],
    ['POCKETSPHINX_EARLY_DECODE', { POCKETSPHINX_EARLY_DECODE: 'early' }, /expected true or false/],
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

describe('config: caller trust (issue 6)', () => {
  it('has the trust defaults: 60 s iat window, continue on failure and absence, no trusted trunks', () => {
    const config = loadConfig({});
    expect(config.stirShakenIatWindowSeconds).to.equal(60);
    expect(config.stirShakenFailurePolicy).to.equal('continue');
    expect(config.stirShakenAbsentPolicy).to.equal('continue');
    expect(config.trustedTrunks).to.deep.equal([]);
    expect(config.trustCarrierVerstat).to.equal(false);
    expect(config.rateLimitCallsPerNumberPerHour).to.equal(30);
    expect(config.rateLimitCallsPerSourcePerMinute).to.equal(600);
  });

  it('reads valid trust settings', () => {
    const config = loadConfig({
      STIR_SHAKEN_IAT_WINDOW_S: '90', STIR_SHAKEN_FAILURE_POLICY: 'Reject', STIR_SHAKEN_ABSENT_POLICY: 'reject',
      TRUSTED_TRUNKS: '203.0.113.5, 198.51.100.0/24 2001:db8::/32', TRUST_CARRIER_VERSTAT: 'true',
      RATE_LIMIT_CALLS_PER_NUMBER_PER_HOUR: '5', RATE_LIMIT_CALLS_PER_SOURCE_PER_MINUTE: '1000',
    });
    expect(config.stirShakenIatWindowSeconds).to.equal(90);
    expect(config.stirShakenFailurePolicy).to.equal('reject');
    expect(config.stirShakenAbsentPolicy).to.equal('reject');
    expect(config.trustedTrunks).to.deep.equal(['203.0.113.5', '198.51.100.0/24', '2001:db8::/32']);
    expect(config.trustCarrierVerstat).to.equal(true);
    expect(config.rateLimitCallsPerNumberPerHour).to.equal(5);
    expect(config.rateLimitCallsPerSourcePerMinute).to.equal(1000);
  });

  const invalidTrust: Array<[string, Record<string, string>, RegExp]> = [
    ['STIR_SHAKEN_IAT_WINDOW_S', { STIR_SHAKEN_IAT_WINDOW_S: '5' }, /at least 10 seconds/],
    ['STIR_SHAKEN_IAT_WINDOW_S', { STIR_SHAKEN_IAT_WINDOW_S: 'soon' }, /whole number of seconds/],
    ['STIR_SHAKEN_FAILURE_POLICY', { STIR_SHAKEN_FAILURE_POLICY: 'ignore' }, /continue \(lower trust\) or reject/],
    ['STIR_SHAKEN_ABSENT_POLICY', { STIR_SHAKEN_ABSENT_POLICY: 'drop' }, /continue \(lower trust\) or reject/],
    ['TRUSTED_TRUNKS', { TRUSTED_TRUNKS: '203.0.113.0/33' }, /"203.0.113.0\/33" is not an IP address or CIDR block/],
    ['TRUSTED_TRUNKS', { TRUSTED_TRUNKS: 'carrier.example' }, /not an IP address or CIDR block/],
    ['TRUST_CARRIER_VERSTAT', { TRUST_CARRIER_VERSTAT: 'yes' }, /expected true or false/],
    ['TRUST_CARRIER_VERSTAT', { TRUST_CARRIER_VERSTAT: 'true' }, /set TRUSTED_TRUNKS too/],
    ['RATE_LIMIT_CALLS_PER_NUMBER_PER_HOUR', { RATE_LIMIT_CALLS_PER_NUMBER_PER_HOUR: '0' }, /at least 1 call/],
    ['RATE_LIMIT_CALLS_PER_SOURCE_PER_MINUTE', { RATE_LIMIT_CALLS_PER_SOURCE_PER_MINUTE: 'lots' }, /whole number of calls/],
  ];
  for (const [variable, env, message] of invalidTrust) {
    it(`names ${variable} when it is invalid (${JSON.stringify(env)})`, () => {
      const problems = problemsOf(env);
      expect(problems.map((problem) => problem.variable)).to.include(variable);
      expect(problems.find((problem) => problem.variable === variable)?.message).to.match(message);
    });
  }
});

describe('config: delegate money (issue 3)', () => {
  it('has the money defaults: $1,000,000 per payment, 50 basis points per month', () => {
    const config = loadConfig({});
    expect(config.moneyAmountMaxCents).to.equal(100_000_000);
    expect(config.demurrageRateBasisPoints).to.equal(50);
    expect(config.demurragePeriod).to.equal('month');
  });

  it('reads valid money settings', () => {
    const config = loadConfig({ MONEY_AMOUNT_MAX_CENTS: '2500', DEMURRAGE_RATE_BASIS_POINTS: '0', DEMURRAGE_PERIOD: 'Week' });
    expect(config.moneyAmountMaxCents).to.equal(2500);
    expect(config.demurrageRateBasisPoints).to.equal(0);
    expect(config.demurragePeriod).to.equal('week');
  });

  const invalidMoney: Array<[string, Record<string, string>, RegExp]> = [
    ['MONEY_AMOUNT_MAX_CENTS', { MONEY_AMOUNT_MAX_CENTS: '10.5' }, /whole number of cents/],
    ['MONEY_AMOUNT_MAX_CENTS', { MONEY_AMOUNT_MAX_CENTS: '0' }, /at least 1 cent/],
    ['MONEY_AMOUNT_MAX_CENTS', { MONEY_AMOUNT_MAX_CENTS: '20000000000000' }, /at most/],
    ['DEMURRAGE_RATE_BASIS_POINTS', { DEMURRAGE_RATE_BASIS_POINTS: '0.5%' }, /basis points/],
    ['DEMURRAGE_RATE_BASIS_POINTS', { DEMURRAGE_RATE_BASIS_POINTS: '10001' }, /0 to 10000 basis points/],
    ['DEMURRAGE_PERIOD', { DEMURRAGE_PERIOD: 'fortnight' }, /expected one of: day, week, month/],
  ];
  for (const [variable, env, message] of invalidMoney) {
    it(`names ${variable} when it is invalid (${JSON.stringify(env)})`, () => {
      const problems = problemsOf(env);
      expect(problems.map((problem) => problem.variable)).to.deep.equal([variable]);
      expect(problems[0]?.message).to.match(message);
    });
  }
});

describe('config: text-message receipts (issue 3)', () => {
  it('has no SMS adapter by default, and reads the webhook URL and the outbox file', () => {
    expect(loadConfig({})).to.deep.include({ smsWebhookUrl: null, smsOutboxFile: null });
    const config = loadConfig({ SMS_WEBHOOK_URL: 'https://sms.example.net/hook', SMS_OUTBOX_FILE: 'var/sms.jsonl' });
    expect(config.smsWebhookUrl).to.equal('https://sms.example.net/hook');
    expect(config.smsOutboxFile).to.match(/\/var\/sms\.jsonl$/);
  });

  it('names SMS_WEBHOOK_URL when it is not an http(s) URL', () => {
    const problems = problemsOf({ SMS_WEBHOOK_URL: 'ftp://sms.example.net' });
    expect(problems.map((problem) => problem.variable)).to.deep.equal(['SMS_WEBHOOK_URL']);
    expect(problems[0]?.message).to.match(/http:\/\/ or https:\/\/ URL/);
  });
});

describe('config: the telephone dialog (issue 5)', () => {
  it('has no SIP trunk and a default "tell me about" text; reads both, and SIP_LISTEN port 0', () => {
    const defaults = loadConfig({});
    expect(defaults.sipTrunk).to.equal(null);
    expect(defaults.tellMeAboutText).to.match(/^The Delegate Network lets every voter/);
    const config = loadConfig({ SIP_TRUNK: 'trunk.example.net:5060', TELL_ME_ABOUT_TEXT: '  Call us.  ', SIP_LISTEN: '127.0.0.1:0' });
    expect(config).to.deep.include({ sipTrunk: 'trunk.example.net:5060', tellMeAboutText: 'Call us.', sipListen: '127.0.0.1:0' });
    // A bare domain is located through DNS SRV (RFC 3263); an IPv6 trunk is bracketed.
    expect(loadConfig({ SIP_TRUNK: 'trunk.example.net' }).sipTrunk).to.equal('trunk.example.net');
    expect(loadConfig({ SIP_TRUNK: '[2001:db8::1]:5080' }).sipTrunk).to.equal('[2001:db8::1]:5080');
  });

  it('names SIP_TRUNK and TELL_ME_ABOUT_TEXT when they are invalid', () => {
    expect(new Set(problemsOf({ SIP_TRUNK: 'trunk example.net' }).map((problem) => problem.variable))).to.deep.equal(new Set(['SIP_TRUNK']));
    expect(problemsOf({ SIP_TRUNK: 'sip:trunk.example.net' })[0]?.message).to.match(/not a host, host:port/);
    expect(problemsOf({ SIP_TRUNK: 'trunk.example.net:0' })[0]?.message).to.match(/1-65535/);
    expect(problemsOf({ TELL_ME_ABOUT_TEXT: 'x'.repeat(2001) })[0]?.message).to.match(/at most 2000 characters/);
  });
});
