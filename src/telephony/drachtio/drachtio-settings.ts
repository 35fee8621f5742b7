// DrachtioLineSettings from the validated configuration (TELEPHONY=drachtio).
import type { Config } from '../../config/config.js';
import { splitHostPort } from '../endpoint-config.js';
import type { DrachtioLineSettings } from './drachtio-phone-line.js';

export function drachtioSettingsFromConfig(config: Config): DrachtioLineSettings {
  if (config.drachtio.secret === null) throw new Error('DRACHTIO_SECRET is required with TELEPHONY=drachtio');
  const freeswitch = splitHostPort(config.freeswitchEsl.address);
  const eslListen = splitHostPort(config.eslListen);
  const audioFork = splitHostPort(config.audioForkListen);
  return {
    drachtio: { host: config.drachtio.host, port: config.drachtio.port, secret: config.drachtio.secret },
    freeswitch: { host: freeswitch.host, port: freeswitch.port, password: config.freeswitchEsl.password },
    eslListen: { host: eslListen.host, port: eslListen.port },
    ...(config.eslAdvertisedAddress === null ? {} : { eslAdvertisedAddress: config.eslAdvertisedAddress }),
    mediaDir: config.mediaDir,
    maxCalls: config.maxCalls,
    audioForkListen: { host: audioFork.host, port: audioFork.port },
    ...(config.sipTrunk === null ? {} : { trunk: config.sipTrunk }),
  };
}
