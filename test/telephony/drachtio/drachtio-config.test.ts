// The production-path variables: defaults, TELEPHONY=drachtio requiring its secret, bad values named.
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import { drachtioSettingsFromConfig } from '../../../src/telephony/drachtio/drachtio-settings.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => `${p.variable}: ${p.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('config: drachtio, FreeSWITCH and ASR worker variables', () => {
  it('defaults to the embedded endpoint and in-process speech', () => {
    const config = loadConfig({});
    expect(config.telephony).to.equal('embedded');
    expect(config.asrWorkers).to.deep.equal([]);
    expect(config.drachtio).to.deep.equal({ host: '127.0.0.1', port: 9022, secret: null });
    expect(config.freeswitchEsl).to.deep.equal({ address: '127.0.0.1:8021', password: 'ClueCon' });
  });

  it('reads a drachtio setup into the line settings', () => {
    const config = loadConfig({ TELEPHONY: 'Drachtio', DRACHTIO_HOST: 'drachtio', DRACHTIO_PORT: '9023',
      DRACHTIO_SECRET: 's3cret', FREESWITCH_ESL: 'freeswitch:8021', FREESWITCH_ESL_PASSWORD: 'pw', ESL_LISTEN: '0.0.0.0:8085',
      ESL_ADVERTISED_ADDRESS: 'app', MEDIA_DIR: '/srv/media', ASR_WORKERS: 'asr-1:50051, asr-2:50051',
      AUDIO_FORK_LISTEN: '0.0.0.0:8090', SIP_TRUNK: 'trunk.example:5060', MAX_CALLS: '40' });
    expect(config.asrWorkers).to.deep.equal(['asr-1:50051', 'asr-2:50051']);
    expect(drachtioSettingsFromConfig(config)).to.deep.equal({
      drachtio: { host: 'drachtio', port: 9023, secret: 's3cret' },
      freeswitch: { host: 'freeswitch', port: 8021, password: 'pw' },
      eslListen: { host: '0.0.0.0', port: 8085 }, eslAdvertisedAddress: 'app', mediaDir: '/srv/media', maxCalls: 40,
      audioForkListen: { host: '0.0.0.0', port: 8090 }, trunk: 'trunk.example:5060',
    });
    expect(loadConfig({}).audioForkListen).to.equal('0.0.0.0:8086');
  });

  it('names each bad variable', () => {
    expect(problems({ TELEPHONY: 'asterisk' })).to.deep.equal(['TELEPHONY: expected embedded (built-in SIP endpoint) or drachtio (drachtio-server + FreeSWITCH)']);
    expect(problems({ TELEPHONY: 'drachtio' })).to.deep.equal(['DRACHTIO_SECRET: required with TELEPHONY=drachtio (the secret in drachtio.conf.xml)']);
    expect(problems({ DRACHTIO_PORT: '70000' })[0]).to.match(/^DRACHTIO_PORT: expected a port/);
    expect(problems({ FREESWITCH_ESL: 'freeswitch' })[0]).to.match(/^FREESWITCH_ESL: expected host:port/);
    expect(problems({ AUDIO_FORK_LISTEN: '8086' })[0]).to.match(/^AUDIO_FORK_LISTEN: expected host:port/);
    expect(problems({ ASR_WORKERS: 'asr-1:50051, asr-2' })).to.deep.equal(['ASR_WORKERS: "asr-2" is not host:port, e.g. asr:50051']);
  });
});
