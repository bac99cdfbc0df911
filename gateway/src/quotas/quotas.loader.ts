import type { UserUsage } from "./quotas.service";

/**
 * Each request's usage per user, read once however many fields ask for it (aliases of `usage`,
 * `me` and `users` naming the same user): one read is four statements, one of them a UNION over
 * every kind of object the user owns. The viewer is the request's, so a refusal is kept too.
 */
export function createQuotaLoaders() {
  return { usageByUser: new Map<string, Promise<UserUsage>>() };
}
