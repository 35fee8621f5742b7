// The caller's side of the media for sipp scenarios: a tone in PCMU, then keys as RFC 4733 events,
// or a whole script of speech, silence and keys, as RTP packets with their send times, ready for
// writePcap.
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

/** One step of a caller's script: audio said (8 kHz PCM), a pause of silence, or keys pressed. */
export type CallerStep =
  | { readonly say: Int16Array }
  | { readonly pauseMs: number }
  | { readonly keys: string };

/**
 * The script as one continuous RTP stream: speech and pauses are PCMU frames every 20 ms (silence is
 * sent, not skipped, as a phone does without VAD), keys are RFC 4733 events with their own timestamps.
 */
export function callerScript(steps: readonly CallerStep[]): TimedPayload[] {
  const packets: TimedPayload[] = [];
  let sequence = 2000;
  let timestamp = 320_000;
  let atMs = 0;
  const sendAudio = (samples: Int16Array): void => {
    const audio = encodeG711(samples, 'PCMU');
    for (let offset = 0; offset < audio.length; offset += 160) {
      const frame = Buffer.alloc(160, 0xff); // μ-law silence pads the last frame
      audio.subarray(offset, offset + 160).copy(frame);
      packets.push({ atMs, data: rtp(0, packets.length === 0, sequence, timestamp, frame) });
      sequence += 1;
      timestamp += 160;
      atMs += 20;
    }
  };
  for (const step of steps) {
    if ('say' in step) sendAudio(step.say);
    else if ('pauseMs' in step) sendAudio(new Int16Array(Math.round(step.pauseMs * 8)));
    else {
      for (const digit of step.keys) {
        const plan = planDtmf(digit, 100);
        plan.payloads.forEach((payload, index) => {
          packets.push({ atMs, data: rtp(101, index === 0, sequence, timestamp, payload) });
          sequence += 1;
          atMs += 20;
        });
        timestamp += 160 * plan.payloads.length;
        sendAudio(new Int16Array(8 * 200)); // 200 ms between keys
      }
    }
  }
  return packets;
}
