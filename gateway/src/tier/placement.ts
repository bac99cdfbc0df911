import { createHash } from "node:crypto";

/**
 * Rendezvous (highest random weight) hashing: every key ranks the tier addresses in its own order,
 * the same on every gateway replica, so replicas agree on where a deployment lives without talking
 * to each other; a tier that leaves moves only the keys it held, and they move back when it returns.
 */
export function rankTiers(key: string, addresses: readonly string[]): string[] {
  return addresses
    .map((address) => ({ address, weight: rendezvousWeight(key, address) }))
    .sort((a, b) => b.weight - a.weight || (a.address < b.address ? -1 : 1))
    .map((entry) => entry.address);
}

/** The first 48 bits of SHA-256 over key and address: exact in a double, compared numerically. */
export function rendezvousWeight(key: string, address: string): number {
  return createHash("sha256").update(key).update("\u0000").update(address).digest().readUIntBE(0, 6);
}

export interface Placement {
  /** The tiers the deployment is loaded on, best-ranked first. */
  tiers: string[];
  /** What the deployment asked for: null → every tier. */
  replicas: number | null;
  /** Said when the deployment is on fewer or more tiers than it asked for, and why. */
  note: string | null;
}

/**
 * The tiers a deployment with `replicas` is loaded on: null → every tier; N → the N best-ranked
 * tiers that are up, a down tier being replaced by the next one up for as long as it is down.
 * With fewer tiers up than N, down ones fill the rest (they load it when they return).
 */
export function placeDeployment(
  key: string,
  addresses: readonly string[],
  isUp: (address: string) => boolean,
  replicas: number | null,
): Placement {
  if (replicas === null) return { tiers: [...addresses], replicas, note: null };
  if (replicas >= addresses.length) {
    const note =
      replicas > addresses.length
        ? `replicas ${replicas} asks for more tiers than the ${addresses.length} configured (INFERENCE_URL); the deployment is on all of them`
        : null;
    return { tiers: rankTiers(key, addresses), replicas, note };
  }
  const ranked = rankTiers(key, addresses);
  const up = ranked.filter(isUp);
  const tiers = [...up, ...ranked.filter((address) => !isUp(address))].slice(0, replicas);
  const note =
    up.length < replicas
      ? `only ${up.length} of the ${replicas} tiers it is placed on ${up.length === 1 ? "is" : "are"} up; it loads on the others when they return`
      : null;
  return { tiers, replicas, note };
}
