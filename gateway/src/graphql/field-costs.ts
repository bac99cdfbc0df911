import type { GraphQLField } from "graphql";
import type { RateLimits } from "../config";

/** The buckets of graphql/rate-limits.ts, one per kind of expensive work. */
export type RateLimitClass = keyof RateLimits;

/**
 * What one execution of a field costs, kept next to the field with type-graphql's
 * `@Extensions(fieldCost.…)`: `complexity` in the operation's cost estimate (1 ≈ reading a row),
 * and the bucket each execution spends a token from.
 */
interface FieldCost {
  complexity: number;
  rateLimit?: RateLimitClass;
  /** Spends a slot of the user's expensive-operations rate (quotas/, shared by every replica). */
  expensive?: boolean;
  /** Streams files into the blob store: refused up front when the user is at their stored-bytes limit. */
  storesBytes?: boolean;
}

export const fieldCost = {
  /** Writes a few rows in one transaction. */
  write: { complexity: 10 },
  /** Rewrites many rows or files at once: a dataset version's samples, a model's files. */
  bulkWrite: { complexity: 100 },
  /** Sums over everything one user owns (their usage: stored bytes across every kind of object, jobs, the rate). */
  userAggregate: { complexity: 100 },
  /** One call to the inference tier: the request waits for a model to run. */
  inference: { complexity: 100, rateLimit: "inference" },
  /** Streams files into the blob store: every field that takes an `Upload` and is not a tier call. */
  upload: { complexity: 500, rateLimit: "uploads", expensive: true, storesBytes: true },
  /** Loads models on the tier or queues long work on it (embedding a dataset, an import). */
  tierJob: { complexity: 1000, expensive: true },
  trainingStart: { complexity: 1000, rateLimit: "trainingStarts", expensive: true },
} as const satisfies Record<string, FieldCost>;

/** The cost a field declares, or null for an ordinary read. */
export function costOf(field: Pick<GraphQLField<unknown, unknown>, "extensions">): FieldCost | null {
  const { complexity, rateLimit, expensive, storesBytes } = field.extensions as Partial<FieldCost>;
  return typeof complexity === "number" ? { complexity, rateLimit, expensive, storesBytes } : null;
}
