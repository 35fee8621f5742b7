// SIP_TRUNK as written by the operator: a bare domain (located through DNS SRV, RFC 3263), host:port, or
// [IPv6]:port. Parsing only; the telephony layer does the DNS.

export interface TrunkSpec {
  readonly host: string;
  /** null: a bare domain, located through SRV. */
  readonly port: number | null;
  readonly transport: 'udp' | 'tcp';
}

/** `host`, `host:port`, `[v6]:port` → a trunk spec (UDP). */
export function parseTrunk(value: string): TrunkSpec {
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(value);
  const plain = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(value);
  const match = bracketed ?? plain;
  if (match === null) throw new RangeError(`"${value}" is not a host, host:port or [IPv6]:port`);
  const port = match[2] === undefined ? null : Number(match[2]);
  if (port !== null && (port < 1 || port > 65535)) throw new RangeError(`"${value}": port must be 1-65535`);
  return { host: match[1] ?? '', port, transport: 'udp' };
}
