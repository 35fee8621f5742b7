// Endpoint options from the validated configuration (SPEC §10): SIP_LISTEN is host:port (IPv6 in
// brackets), RTP_PORT_MIN/MAX the media range, MAX_CALLS the most calls at once (the port range may
// allow fewer: two ports a call). The trunk for outbound calls is passed separately.
import type { Config } from '../config/config.js';
import type { Logger } from '../config/logger.js';
import type { SipEndpointOptions } from './endpoint.js';
import type { TrunkSetting } from './sip/trunk-locator.js';

export function splitHostPort(value: string): { host: string; port: number } {
  const colon = value.lastIndexOf(':');
  const host = value.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const port = Number(value.slice(colon + 1));
  if (colon <= 0 || host.length === 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`"${value}" is not host:port`);
  }
  return { host, port };
}

export function endpointOptionsFromConfig(
  config: Pick<Config, 'sipListen' | 'rtpPortMin' | 'rtpPortMax' | 'maxCalls'>, logger: Logger, trunk?: TrunkSetting,
): SipEndpointOptions {
  const { host, port } = splitHostPort(config.sipListen);
  return {
    host, port, rtpPortMin: config.rtpPortMin, rtpPortMax: config.rtpPortMax, maxCalls: config.maxCalls, logger,
    ...(trunk === undefined ? {} : { trunk }),
  };
}
