// The RTP session against a plain UDP socket standing in for the caller: 20 ms pacing without drift,
// sequence and timestamp continuity, symmetric RTP, DTMF both ways, inbound audio, port release.
import { expect } from 'chai';
import { createSocket, type Socket } from 'node:dgram';
import { pino } from 'pino';
import { RtpPortsExhaustedError } from '../../src/telephony/errors.js';
import { planDtmf, parseTelephoneEvent } from '../../src/telephony/rtp/dtmf-4733.js';
import { encodeG711 } from '../../src/telephony/rtp/g711.js';
import { parseRtpPacket, serializeRtpPacket, type RtpPacket } from '../../src/telephony/rtp/packet.js';
import { RtpPortPool } from '../../src/telephony/rtp/port-pool.js';
import { RtpSession } from '../../src/telephony/rtp/session.js';
import { tone } from './support/caller-media.js';
import { delay } from './support/raw-sip.js';

const rangeStart = 52_000 + (process.pid % 100) * 20;

async function peer(): Promise<{ socket: Socket; port: number; packets: Array<{ packet: RtpPacket; at: number }> }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const packets: Array<{ packet: RtpPacket; at: number }> = [];
  socket.on('message', (data) => {
    const packet = parseRtpPacket(data);
    if (packet !== null) packets.push({ packet, at: performance.now() });
  });
  return { socket, port: socket.address().port, packets };
}

describe('RtpSession', function () {
  this.timeout(10_000);
  const pool = new RtpPortPool('127.0.0.1', rangeStart, rangeStart + 9);

  it('allocates even ports only, reuses released ones and reports exhaustion', async () => {
    const taken = await Promise.all(Array.from({ length: pool.capacity }, () => pool.allocate()));
    expect(taken.every((binding) => binding.port % 2 === 0)).to.equal(true);
    expect(new Set(taken.map((binding) => binding.port)).size).to.equal(5);
    let error: unknown = null;
    try {
      await pool.allocate();
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(RtpPortsExhaustedError);
    for (const binding of taken) binding.release();
    expect(pool.used).to.equal(0);
    (await pool.allocate()).release();
  });

  it('paces 20 ms frames without drift, plays audio, latches to the sender and receives keys and audio', async () => {
    const caller = await peer();
    const decoy = await peer();
    const digits: string[] = [];
    const session = new RtpSession({
      binding: await pool.allocate(),
      // The SDP points at the decoy; the caller's packets come from elsewhere (NAT), so we must follow them.
      media: { codec: 'PCMU', payloadType: 0, telephoneEventPayloadType: 101, remoteAddress: '127.0.0.1', remotePort: decoy.port, sending: true },
      logger: pino({ level: 'silent' }), mediaTimeoutMs: 5000,
      onDigit: (digit) => digits.push(digit), onMediaTimeout: () => undefined,
    });
    const frames: Int16Array[] = [];
    session.onAudio((frame) => frames.push(frame));
    try {
      await delay(100);
      expect(decoy.packets.length).to.be.greaterThan(2);
      const send = (packet: RtpPacket): void => caller.socket.send(serializeRtpPacket(packet), session.localPort, '127.0.0.1');
      const audio = encodeG711(tone(400, 200), 'PCMU');
      for (let index = 0; index < 10; index += 1) {
        const payload = audio.subarray(index * 160, index * 160 + 160);
        send({ marker: false, payloadType: 0, sequence: 500 + index, timestamp: index * 160, ssrc: 7, payload });
      }
      for (const payload of planDtmf('3', 60).payloads) send({ marker: false, payloadType: 101, sequence: 600, timestamp: 9999, ssrc: 7, payload });
      const played = session.play(tone(1000, 1000));
      const started = performance.now();
      expect(await played).to.equal('completed');
      const elapsed = performance.now() - started;
      expect(elapsed).to.be.within(900, 1300); // 50 frames of 20 ms (the pacer catches up after a short stall)
      expect(digits).to.deep.equal(['3']);
      expect(frames.length).to.be.within(8, 10); // the tone, through the jitter buffer
      expect(Math.max(...frames.flatMap((frame) => [...frame]))).to.be.greaterThan(4000);
      const sent = caller.packets.map((item) => item.packet);
      expect(sent.length).to.be.greaterThan(45);
      // Sequence numbers are continuous; timestamps advance one frame, or more across a stall the session
      // skipped (a loaded machine), and exactly as many frames as it says it skipped.
      let skippedByTimestamp = 0;
      for (let index = 1; index < sent.length; index += 1) {
        expect((sent[index]?.sequence ?? 0) - (sent[index - 1]?.sequence ?? 0) & 0xffff).to.equal(1);
        const step = (sent[index]?.timestamp ?? 0) - (sent[index - 1]?.timestamp ?? 0) >>> 0;
        expect(step % 160).to.equal(0);
        skippedByTimestamp += step / 160 - 1;
      }
      expect(skippedByTimestamp).to.equal(session.stats.framesSkipped);
      // No drift: packet n leaves at first + n·20 ms, give or take timer jitter, not accumulated lateness.
      const first = caller.packets[0]?.at ?? 0;
      const last = caller.packets[caller.packets.length - 1];
      expect(((last?.at ?? 0) - first) / (caller.packets.length - 1)).to.be.within(18.5, 21.5);
      await session.sendDigits('9');
      await delay(50); // the last end packet has been sent; let loopback deliver it
      const events = caller.packets.filter((item) => item.packet.payloadType === 101)
        .map((item) => parseTelephoneEvent(item.packet.payload));
      expect(events.filter((event) => event?.end === true)).to.have.length(3);
      expect(events.every((event) => event?.event === 9)).to.equal(true);
      expect(session.stats.digitsReceived).to.equal(1);
    } finally {
      session.close();
      caller.socket.close();
      decoy.socket.close();
    }
    expect(pool.used).to.equal(0);
  });

  it('a stalled event loop is counted (late and skipped frames), resynced without a burst, and no inbound audio is lost', async () => {
    const caller = await peer();
    const session = new RtpSession({
      binding: await pool.allocate(),
      media: { codec: 'PCMU', payloadType: 0, telephoneEventPayloadType: 101, remoteAddress: '127.0.0.1', remotePort: caller.port, sending: true },
      logger: pino({ level: 'silent' }), mediaTimeoutMs: 5000,
      onDigit: () => undefined, onMediaTimeout: () => undefined,
    });
    const frames: Int16Array[] = [];
    session.onAudio((frame) => frames.push(frame));
    try {
      await delay(100);
      const audio = encodeG711(tone(400, 400), 'PCMU');
      for (let index = 0; index < 20; index += 1) {
        caller.socket.send(serializeRtpPacket({
          marker: false, payloadType: 0, sequence: 100 + index, timestamp: index * 160, ssrc: 7,
          payload: audio.subarray(index * 160, index * 160 + 160),
        }), session.localPort, '127.0.0.1');
      }
      await delay(30);
      const before = { sent: session.stats.packetsSent, skipped: session.stats.framesSkipped };
      expect(before.skipped).to.equal(0);
      const stallUntil = performance.now() + 300; // 15 frame periods with the event loop blocked
      while (performance.now() < stallUntil) { /* stall */ }
      await delay(5);
      const stats = session.stats;
      expect(stats.framesSkipped).to.be.at.least(8);
      // After the stall: one frame, not a burst of everything that was due.
      expect(stats.packetsSent - before.sent).to.be.at.most(2);
      // The inbound audio due during the stall reached the listeners at once (the recognizer hears it all).
      expect(frames.length).to.be.at.least(12);
      await delay(400);
      expect(frames.length).to.equal(20);
    } finally {
      session.close();
      caller.socket.close();
    }
  });

  it('reports a media timeout when nothing arrives', async () => {
    let timedOut = false;
    const session = new RtpSession({
      binding: await pool.allocate(),
      media: { codec: 'PCMA', payloadType: 8, telephoneEventPayloadType: null, remoteAddress: '127.0.0.1', remotePort: 9, sending: false },
      logger: pino({ level: 'silent' }), mediaTimeoutMs: 200,
      onDigit: () => undefined, onMediaTimeout: () => { timedOut = true; },
    });
    await delay(400);
    session.close();
    expect(timedOut).to.equal(true);
    expect(session.stats.packetsSent).to.equal(0); // not sending: the far end offered recvonly/inactive
  });
});
