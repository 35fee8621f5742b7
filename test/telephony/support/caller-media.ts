// The caller's side of the media for sipp scenarios: a tone in PCMU, then keys as RFC 4733 events,
// as RTP packets with their send times, ready for writePcap.
import { planDtmf } from '../../../src/telephony/rtp/dtmf-4733.js';
import { encodeG711 } from '../../../src/telephony/rtp/g711.js';
import { serializeRtpPacket } from '../../../src/telephony/rtp/packet.js';
import type { TimedPayload } from './pcap.js';

export const callerSsrc = 0x5eed1234;

export function tone(frequencyHz: number, durationMs: number, amplitude = 8000): Int16Array {
  const samples = new Int16Array(Math.round((durationMs / 1000) * 8000));
  for (let index = 0; index < samples.length; index += 1) {
    samples[index] = Math.round(amplitude * Math.sin((2 * Math.PI * frequencyHz * index) / 8000));
  }
  return samples;
}

export function callerMedia(options: { toneMs: number; digits: string; startDelayMs?: number }): TimedPayload[] {
  const packets: TimedPayload[] = [];
  let sequence = 1000;
  let timestamp = 160_000;
  let atMs = options.startDelayMs ?? 0;
  const audio = encodeG711(tone(440, options.toneMs), 'PCMU');
  for (let offset = 0; offset < audio.length; offset += 160) {
    packets.push({ atMs, data: rtp(0, offset === 0, sequence, timestamp, audio.subarray(offset, offset + 160)) });
    sequence += 1;
    timestamp += 160;
    atMs += 20;
  }
  for (const digit of options.digits) {
    const plan = planDtmf(digit, 100);
    plan.payloads.forEach((payload, index) => {
      packets.push({ atMs, data: rtp(101, index === 0, sequence, timestamp, payload) });
      sequence += 1;
      atMs += 20;
    });
    timestamp += 160 * (plan.payloads.length + 5);
    atMs += 200;
  }
  return packets;
}

function rtp(payloadType: number, marker: boolean, sequence: number, timestamp: number, payload: Buffer): Buffer {
  return serializeRtpPacket({
    marker, payloadType, sequence: sequence & 0xffff, timestamp: timestamp >>> 0, ssrc: callerSsrc, payload,
  });
}
