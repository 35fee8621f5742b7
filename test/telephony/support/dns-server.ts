// A small authoritative DNS server over real UDP for the trunk-location tests (RFC 1035 wire format):
// answers A, AAAA and SRV queries from a table, NXDOMAIN for names it does not know, and counts queries.
import { createSocket, type Socket } from 'node:dgram';

export type DnsRecord =
  | { readonly type: 'A'; readonly address: string }
  | {
    readonly type: 'SRV'; readonly priority: number; readonly weight: number; readonly port: number;
    readonly target: string;
  };

const typeCodes = { A: 1, SRV: 33 } as const;

export class TestDnsServer {
  readonly queries: string[] = [];

  private constructor(
    private readonly socket: Socket,
    private readonly zone: ReadonlyMap<string, readonly DnsRecord[]>,
  ) {
    socket.on('message', (message, remote) => {
      const answer = this.answer(message);
      if (answer !== null) socket.send(answer, remote.port, remote.address);
    });
  }

  static async start(zone: Record<string, readonly DnsRecord[]>): Promise<TestDnsServer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const table = new Map(Object.entries(zone).map(([name, records]) => [name.toLowerCase(), records]));
    return new TestDnsServer(socket, table);
  }

  get address(): string {
    return `127.0.0.1:${this.socket.address().port}`;
  }

  close(): void {
    this.socket.close();
  }

  private answer(query: Buffer): Buffer | null {
    if (query.length < 17) return null;
    const { name, end } = readName(query, 12);
    const type = query.readUInt16BE(end);
    this.queries.push(`${name} ${type}`);
    const known = this.zone.get(name.toLowerCase());
    const records = (known ?? []).filter((record) => typeCodes[record.type] === type);
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // id
    // QR and AA set, RD copied from the query, rcode 3 (NXDOMAIN) for unknown names.
    header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | (known === undefined ? 3 : 0), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(records.length, 6);
    const question = query.subarray(12, end + 4);
    const answers = records.map((record) => {
      const rdata = record.type === 'A' ? Buffer.from(record.address.split('.').map(Number)) : Buffer.concat([
        uint16(record.priority), uint16(record.weight), uint16(record.port), encodeName(record.target),
      ]);
      const pointerToQuestion = Buffer.from([0xc0, 12]);
      return Buffer.concat([
        pointerToQuestion, uint16(typeCodes[record.type]), uint16(1), uint32(60), uint16(rdata.length), rdata,
      ]);
    });
    return Buffer.concat([header, question, ...answers]);
  }
}

function uint16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value);
  return buffer;
}

function uint32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}

function encodeName(name: string): Buffer {
  const labels = name.split('.').filter((label) => label.length > 0);
  const encoded = labels.map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label)]));
  return Buffer.concat([...encoded, Buffer.from([0])]);
}

function readName(message: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  while (at < message.length && message[at] !== 0) {
    const length = message[at] ?? 0;
    labels.push(message.subarray(at + 1, at + 1 + length).toString());
    at += 1 + length;
  }
  return { name: labels.join('.'), end: at + 1 };
}
