import { Prisma } from "../generated/prisma/client";

/*
 * A DataLoader batch answers one result per key, in the keys' order. These put the rows one
 * statement found into that order.
 */

/** The row each key names, else null (of rows sharing a key, the last). */
export function byKey<T>(
  keys: readonly string[],
  rows: readonly T[],
  keyOf: (row: T) => string,
): Array<T | null> {
  const found = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => found.get(key) ?? null);
}

/** The rows each key names, in the rows' order ([] for none). */
export function groupBy<T>(keys: readonly string[], rows: readonly T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k) ?? []);
}

/**
 * Keys of the same signature (the same page window, say) are loaded together, by one `load` per
 * signature, all at once; `load` answers its group's keys in their order.
 */
export async function loadInGroups<K, V>(
  keys: readonly K[],
  signatureOf: (key: K) => string,
  load: (group: K[]) => Promise<V[]>,
): Promise<V[]> {
  const groups = new Map<string, K[]>();
  for (const key of keys) {
    const signature = signatureOf(key);
    groups.set(signature, [...(groups.get(signature) ?? []), key]);
  }
  const results = new Map<K, V>();
  await Promise.all(
    [...groups.values()].map(async (group) => {
      const found = await load(group);
      group.forEach((key, index) => results.set(key, found[index]!));
    }),
  );
  return keys.map((key) => results.get(key)!);
}

/** `${id}::uuid, …`, the ids of an `IN (…)` list. */
export const uuidList = (ids: readonly string[]) => Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`));
