// Writes RTP packets into a classic pcap file (Ethernet / IPv4 / UDP), the format sipp's
// play_pcap_audio replays. sipp rewrites addresses and ports, so the ones written here are placeholders.
import { writeFileSync } from 'node:fs';

export interface TimedPayload {
  readonly atMs: number;
  readonly data: Buffer;
}

export function writePcap(path: string, packets: readonly TimedPayload[]): void {
  const globalHeader = Buffer.alloc(24);
  globalHeader.writeUInt32LE(0xa1b2c3d4, 0);
  globalHeader.writeUInt16LE(2, 4);
  globalHeader.writeUInt16LE(4, 6);
  globalHeader.writeUInt32LE(65535, 16);
  globalHeader.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
  const records = packets.map((packet) => record(packet));
  writeFileSync(path, Buffer.concat([globalHeader, ...records]));
}

function record(packet: TimedPayload): Buffer {
  const udpLength = 8 + packet.data.length;
  const ipLength = 20 + udpLength;
  const frame = Buffer.alloc(14 + ipLength);
  frame.writeUInt16BE(0x0800, 12);
  const ip = 14;
  frame[ip] = 0x45;
  frame.writeUInt16BE(ipLength, ip + 2);
  frame[ip + 8] = 64;
  frame[ip + 9] = 17;
  Buffer.from([127, 0, 0, 1]).copy(frame, ip + 12);
  Buffer.from([127, 0, 0, 1]).copy(frame, ip + 16);
  frame.writeUInt16BE(ipChecksum(frame.subarray(ip, ip + 20)), ip + 10);
  const udp = ip + 20;
  frame.writeUInt16BE(6000, udp);
  frame.writeUInt16BE(6002, udp + 2);
  frame.writeUInt16BE(udpLength, udp + 4);
  packet.data.copy(frame, udp + 8);
  const header = Buffer.alloc(16);
  header.writeUInt32LE(Math.floor(packet.atMs / 1000), 0);
  header.writeUInt32LE(Math.round((packet.atMs % 1000) * 1000), 4);
  header.writeUInt32LE(frame.length, 8);
  header.writeUInt32LE(frame.length, 12);
  return Buffer.concat([header, frame]);
}

function ipChecksum(header: Buffer): number {
  let sum = 0;
  for (let offset = 0; offset < header.length; offset += 2) sum += header.readUInt16BE(offset);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}
