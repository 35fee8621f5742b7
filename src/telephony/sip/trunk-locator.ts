// Where calls we place go (RFC 3263 §4): a trunk given as an IP address is used as it is; a host name
// with a port is looked up in A/AAAA; a bare domain is looked up in SRV (`_sip._udp.<domain>`, lowest
// priority first, weighted random within a priority as RFC 2782 says), falling back to A/AAAA on port
// 5060 when it has no SRV records. Looked up per call (call-back is rare), so the DNS TTLs hold.
import { lookup as systemLookup, Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { TrunkSpec } from '../../config/sip-trunk.js';
import type { Peer } from './transport.js';

export { parseTrunk, type TrunkSpec } from '../../config/sip-trunk.js';

export const sipDefaultPort = 5060;
/** At most this many addresses are tried for one call (each waits out its own INVITE timeout). */
export const trunkTargetsMax = 4;

export interface SrvRecord {
  readonly name: string;
  readonly port: number;
  readonly priority: number;
  readonly weight: number;
}

/** The DNS a locator needs; the system resolver by default, a given server in tests. */
export interface SipDns {
  resolveSrv(name: string): Promise<SrvRecord[]>;
  /** IPv4 then IPv6 addresses of a host name. */
  addresses(host: string): Promise<string[]>;
}

export class TrunkNotFoundError extends Error {
  override name = 'TrunkNotFoundError';
}

export function systemDns(servers?: readonly string[]): SipDns {
  const resolver = new Resolver();
  if (servers !== undefined) resolver.setServers([...servers]);
  return {
    resolveSrv: async (name) => resolver.resolveSrv(name),
    addresses: async (host) => {
      if (servers === undefined) return (await systemLookup(host, { all: true, order: 'ipv4first' })).map((entry) => entry.address);
      const [v4, v6] = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
      return [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
    },
  };
}

/**
 * RFC 2782's selection: lowest priority first; within a priority, zero weights first in the list, then
 * repeatedly draw 0..sum of weights and take the first record whose running sum reaches the draw.
 */
export function orderSrv(records: readonly SrvRecord[], random: () => number = Math.random): SrvRecord[] {
  const byPriority = new Map<number, SrvRecord[]>();
  for (const record of records) byPriority.set(record.priority, [...(byPriority.get(record.priority) ?? []), record]);
  const ordered: SrvRecord[] = [];
  for (const priority of [...byPriority.keys()].sort((a, b) => a - b)) {
    const zeroFirst = (record: SrvRecord): number => (record.weight === 0 ? 0 : 1);
    const left = [...(byPriority.get(priority) ?? [])].sort((a, b) => zeroFirst(a) - zeroFirst(b));
    while (left.length > 0) {
      const total = left.reduce((sum, record) => sum + record.weight, 0);
      const draw = Math.floor(random() * (total + 1));
      let running = 0;
      const index = left.findIndex((record) => (running += record.weight) >= draw);
      ordered.push(...left.splice(index < 0 ? 0 : index, 1));
    }
  }
  return ordered;
}

function isNoData(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ENOTFOUND' || code === 'ENODATA' || code === 'NXDOMAIN';
}

export class TrunkLocator {
  constructor(readonly spec: TrunkSpec, private readonly dns: SipDns = systemDns()) {}

  /** The host part of our Request-URIs: the domain as configured (RFC 3263 keeps it; DNS picks the hop). */
  get uriHost(): string {
    const host = isIP(this.spec.host) === 6 ? `[${this.spec.host}]` : this.spec.host;
    return this.spec.port === null ? host : `${host}:${this.spec.port}`;
  }

  /** The addresses to try, best first; throws TrunkNotFoundError when DNS has none. */
  async targets(): Promise<Peer[]> {
    const { host, port, transport } = this.spec;
    if (isIP(host) !== 0) return [{ transport, address: host, port: port ?? sipDefaultPort }];
    const hops: Array<{ name: string; port: number }> = [];
    if (port !== null) hops.push({ name: host, port });
    else {
      let records: SrvRecord[] = [];
      try {
        records = await this.dns.resolveSrv(`_sip._${transport}.${host}`);
      } catch (error) {
        if (!isNoData(error)) throw new TrunkNotFoundError(`SRV lookup for ${host} failed: ${String(error)}`);
      }
      // "." as the target means the service is decidedly not available at this domain (RFC 2782).
      if (records.length === 1 && records[0]?.name === '') throw new TrunkNotFoundError(`${host} offers no SIP service`);
      for (const record of orderSrv(records)) hops.push({ name: record.name, port: record.port });
      if (hops.length === 0) hops.push({ name: host, port: sipDefaultPort });
    }
    const peers: Peer[] = [];
    for (const hop of hops) {
      if (peers.length >= trunkTargetsMax) break;
      const addresses = isIP(hop.name) !== 0 ? [hop.name]
        : await this.dns.addresses(hop.name).catch((error: unknown) => {
          if (isNoData(error)) return [];
          throw new TrunkNotFoundError(`address lookup for ${hop.name} failed: ${String(error)}`);
        });
      for (const address of addresses) peers.push({ transport, address, port: hop.port });
    }
    if (peers.length === 0) throw new TrunkNotFoundError(`no address found for the SIP trunk ${this.uriHost}`);
    return peers.slice(0, trunkTargetsMax);
  }
}

/** A trunk as the endpoint is given it: a fixed address (tests, an IP trunk) or a locator. */
export type TrunkSetting = Peer | TrunkLocator;

/** The Request-URI host and the addresses to try for one outbound call. */
export async function trunkHops(trunk: TrunkSetting): Promise<{ uriHost: string; targets: Peer[] }> {
  if (trunk instanceof TrunkLocator) return { uriHost: trunk.uriHost, targets: await trunk.targets() };
  const host = isIP(trunk.address) === 6 ? `[${trunk.address}]` : trunk.address;
  return { uriHost: `${host}:${trunk.port}`, targets: [trunk] };
}
