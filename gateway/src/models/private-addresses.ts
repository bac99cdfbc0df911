import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/**
 * Addresses that reach the gateway's own host or network rather than the internet: loopback,
 * private ranges, link-local (cloud metadata services live at 169.254.169.254), carrier-grade NAT,
 * multicast and reserved blocks. BlockList also matches IPv4-mapped IPv6 (`::ffff:127.0.0.1`).
 */
const internalRanges = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  internalRanges.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  internalRanges.addSubnet(network, prefix, "ipv6");
}

/** True for an IP literal on a loopback, private, link-local or reserved network. */
export function isInternalAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "");
  const family = isIP(bare);
  if (family === 0) return false;
  return internalRanges.check(bare, family === 4 ? "ipv4" : "ipv6");
}

/**
 * Whether a host name or literal points into an internal network. A name that does not resolve
 * counts as public: it cannot be reached anyway, and the connect-time check still applies.
 */
export async function hostIsInternal(hostname: string): Promise<boolean> {
  const bare = hostname.replace(/^\[|\]$/g, "");
  if (isIP(bare)) return isInternalAddress(bare);
  if (bare === "localhost" || bare.endsWith(".localhost")) return true;
  try {
    const addresses = await lookup(bare, { all: true });
    return addresses.some(({ address }) => isInternalAddress(address));
  } catch {
    return false;
  }
}
