// Keeps x5u fetches off private networks. The x5u URL comes from an unauthenticated caller's
// INVITE, so without this guard anyone could make the server send HTTPS requests to its own LAN,
// cloud metadata endpoints or loopback services (server-side request forgery).
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { StirVerificationError } from './stir-failure.js';

const privateRanges = new BlockList();
for (const [network, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8],
  ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  privateRanges.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
  privateRanges.addSubnet(network, prefix, 'ipv6');
}

/** Loopback, private, link-local, shared, multicast and reserved addresses; IPv4-mapped IPv6 too. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
  const plain = mapped ?? bare;
  const family = isIP(plain);
  if (family === 0) return false;
  return privateRanges.check(plain, family === 4 ? 'ipv4' : 'ipv6');
}

export function assertPublicHost(hostname: string): void {
  if (isPrivateAddress(hostname)) {
    throw new StirVerificationError('x5u-address-refused', `${hostname} is a private or loopback address`);
  }
}

/** A dns.lookup for https.request that drops private answers, so a public name cannot point inward. */
export const publicOnlyLookup = ((hostname: string, options: { all?: boolean; family?: number },
  callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void): void => {
  const family = options.family === undefined ? {} : { family: options.family };
  const allOptions: LookupAllOptions = { all: true, ...family };
  dnsLookup(hostname, allOptions, (error, addresses) => {
    if (error !== null) {
      callback(error, '');
      return;
    }
    const allowed = addresses.filter((entry) => !isPrivateAddress(entry.address));
    const first = allowed[0];
    if (first === undefined) {
      callback(new StirVerificationError('x5u-address-refused', `${hostname} resolves only to private addresses`), '');
      return;
    }
    if (options.all === true) callback(null, allowed);
    else callback(null, first.address, first.family);
  });
}) as unknown as LookupFunction;
