// Starts a real SipEndpoint on 127.0.0.1 with a free SIP port and its own RTP port range, so suites
// (and other engineers' processes) never collide.
import { pino } from 'pino';
import { SipEndpoint, type SipEndpointOptions } from '../../../src/telephony/endpoint.js';

let nextRangeStart = 30_000 + (process.pid % 200) * 100;

export function quietLogger(): SipEndpointOptions['logger'] {
  return pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

export async function startEndpoint(overrides: Partial<SipEndpointOptions> = {}): Promise<SipEndpoint> {
  const rtpPortMin = nextRangeStart;
  nextRangeStart = nextRangeStart >= 50_000 ? 30_000 : nextRangeStart + 100;
  const endpoint = new SipEndpoint({
    host: '127.0.0.1', port: 0, rtpPortMin, rtpPortMax: rtpPortMin + 99, logger: quietLogger(),
    timers: { t1Ms: 100, t2Ms: 400, t4Ms: 500 }, ...overrides,
  });
  await endpoint.start();
  return endpoint;
}
