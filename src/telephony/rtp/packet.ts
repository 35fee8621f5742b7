// RTP fixed header (RFC 3550 §5.1). CSRCs and a header extension are skipped, padding is removed.

export interface RtpPacket {
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequence: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly payload: Buffer;
}

const fixedHeaderBytes = 12;

/** null for anything that is not RTP version 2 with a consistent length. */
export function parseRtpPacket(data: Buffer): RtpPacket | null {
  if (data.length < fixedHeaderBytes) return null;
  const first = data[0] ?? 0;
  if (first >> 6 !== 2) return null;
  const second = data[1] ?? 0;
  const csrcCount = first & 0x0f;
  let offset = fixedHeaderBytes + csrcCount * 4;
  if ((first & 0x10) !== 0) {
    if (data.length < offset + 4) return null;
    offset += 4 + data.readUInt16BE(offset + 2) * 4;
  }
  let end = data.length;
  if ((first & 0x20) !== 0) {
    const padding = data[data.length - 1] ?? 0;
    if (padding === 0) return null;
    end -= padding;
  }
  if (offset > end) return null;
  return {
    marker: (second & 0x80) !== 0,
    payloadType: second & 0x7f,
    sequence: data.readUInt16BE(2),
    timestamp: data.readUInt32BE(4),
    ssrc: data.readUInt32BE(8),
    payload: data.subarray(offset, end),
  };
}

export function serializeRtpPacket(packet: RtpPacket): Buffer {
  const data = Buffer.alloc(fixedHeaderBytes + packet.payload.length);
  data[0] = 0x80;
  data[1] = (packet.marker ? 0x80 : 0) | (packet.payloadType & 0x7f);
  data.writeUInt16BE(packet.sequence & 0xffff, 2);
  data.writeUInt32BE(packet.timestamp >>> 0, 4);
  data.writeUInt32BE(packet.ssrc >>> 0, 8);
  packet.payload.copy(data, fixedHeaderBytes);
  return data;
}

/** Signed distance from `b` to `a` in 16-bit sequence space (RFC 3550 wrap-around). */
export function sequenceDistance(a: number, b: number): number {
  const difference = (a - b) & 0xffff;
  return difference >= 0x8000 ? difference - 0x10000 : difference;
}
