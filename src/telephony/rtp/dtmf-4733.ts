// RFC 4733 telephone-events (DTMF): the receiver reports each key once, at its first end packet (the
// sender repeats the end packet three times; repeats share the event's timestamp). If every end
// packet is lost, the key is reported when the next event starts. The sender side builds the packets
// for one key: start with the marker bit, updates every 20 ms, then three end packets.

export const dtmfEventCodes = '0123456789*#ABCD';
const endBit = 0x80;
const samplesPerFrame = 160;
const endPacketRepeats = 3;

export interface TelephoneEvent {
  readonly event: number;
  readonly end: boolean;
  readonly volume: number;
  readonly duration: number;
}

export function parseTelephoneEvent(payload: Buffer): TelephoneEvent | null {
  if (payload.length < 4) return null;
  return {
    event: payload[0] ?? 0,
    end: ((payload[1] ?? 0) & endBit) !== 0,
    volume: (payload[1] ?? 0) & 0x3f,
    duration: payload.readUInt16BE(2),
  };
}

export function serializeTelephoneEvent(event: TelephoneEvent): Buffer {
  const payload = Buffer.alloc(4);
  payload[0] = event.event;
  payload[1] = (event.end ? endBit : 0) | (event.volume & 0x3f);
  payload.writeUInt16BE(Math.min(event.duration, 0xffff), 2);
  return payload;
}

export class DtmfReceiver {
  private currentTimestamp: number | null = null;
  private currentEvent: number | null = null;
  private reported = true;

  constructor(private readonly onDigit: (digit: string) => void) {}

  receive(timestamp: number, payload: Buffer): void {
    const event = parseTelephoneEvent(payload);
    if (event === null || event.event >= dtmfEventCodes.length) return;
    if (timestamp !== this.currentTimestamp) {
      // A new event: report the previous one if its end packets never came.
      this.flush();
      this.currentTimestamp = timestamp;
      this.currentEvent = event.event;
      this.reported = false;
    }
    if (event.end) this.flush();
  }

  private flush(): void {
    if (!this.reported && this.currentEvent !== null) {
      this.reported = true;
      this.onDigit(dtmfEventCodes[this.currentEvent] ?? '');
    }
  }
}

export interface DtmfSendPlan {
  readonly event: number;
  /** One payload per 20 ms frame, all sent with the same RTP timestamp (the event's start). */
  readonly payloads: readonly Buffer[];
}

/** The packets that send one key for `durationMs` (rounded up to whole 20 ms frames, at least two). */
export function planDtmf(digit: string, durationMs: number, volume = 10): DtmfSendPlan {
  const event = dtmfEventCodes.indexOf(digit.toUpperCase());
  if (event < 0 || digit.length !== 1) throw new RangeError(`"${digit}" is not a DTMF key`);
  const frames = Math.max(2, Math.ceil(durationMs / 20));
  const payloads: Buffer[] = [];
  for (let frame = 1; frame < frames; frame += 1) {
    payloads.push(serializeTelephoneEvent({ event, end: false, volume, duration: frame * samplesPerFrame }));
  }
  for (let repeat = 0; repeat < endPacketRepeats; repeat += 1) {
    payloads.push(serializeTelephoneEvent({ event, end: true, volume, duration: frames * samplesPerFrame }));
  }
  return { event, payloads };
}
