import { Prisma } from "../generated/prisma/client";
import type { QuotaDefaults } from "./quota-config";

/** Anything that runs raw SQL: the client, or a transaction holding a per-user lock. */
export type SqlRunner = Pick<Prisma.TransactionClient, "$queryRaw">;

/** The limits that apply to one user, each null for unlimited. */
export interface QuotaLimits {
  storedBytes: number | null;
  concurrentJobs: number | null;
  expensivePerMinute: number | null;
}

/** An admin's values for one user (UserQuota): null → the default, 0 → unlimited for this user. */
export interface QuotaOverrides {
  maxStoredBytes: number | null;
  maxConcurrentJobs: number | null;
  maxExpensiveRequestsPerMinute: number | null;
  updatedAt: Date | null;
}

export interface UserLimits {
  /** Admins are exempt: every limit is null for them. */
  exempt: boolean;
  limits: QuotaLimits;
  overrides: QuotaOverrides;
}

const UNLIMITED: QuotaLimits = { storedBytes: null, concurrentJobs: null, expensivePerMinute: null };

/** One statement: the user's role and their UserQuota row, if any. Null when the user does not exist. */
export async function userLimits(
  db: SqlRunner,
  defaults: QuotaDefaults,
  userId: string,
): Promise<UserLimits | null> {
  const rows = await db.$queryRaw<
    Array<{
      role: string;
      maxStoredBytes: bigint | null;
      maxConcurrentJobs: number | null;
      maxExpensiveRequestsPerMinute: number | null;
      updatedAt: Date | null;
    }>
  >`
    SELECT u."role"::text AS role, q."maxStoredBytes", q."maxConcurrentJobs", q."maxExpensiveRequestsPerMinute", q."updatedAt"
    FROM "User" u LEFT JOIN "UserQuota" q ON q."userId" = u."id"
    WHERE u."id" = ${userId}::uuid`;
  const row = rows[0];
  if (!row) return null;
  const overrides: QuotaOverrides = {
    maxStoredBytes: row.maxStoredBytes === null ? null : Number(row.maxStoredBytes),
    maxConcurrentJobs: row.maxConcurrentJobs,
    maxExpensiveRequestsPerMinute: row.maxExpensiveRequestsPerMinute,
    updatedAt: row.updatedAt,
  };
  if (row.role === "ADMIN") return { exempt: true, limits: UNLIMITED, overrides };
  return {
    exempt: false,
    overrides,
    limits: {
      storedBytes: effective(overrides.maxStoredBytes, defaults.storedBytes),
      concurrentJobs: effective(overrides.maxConcurrentJobs, defaults.concurrentJobs),
      expensivePerMinute: effective(overrides.maxExpensiveRequestsPerMinute, defaults.expensivePerMinute),
    },
  };
}

const effective = (override: number | null, fallback: number | null): number | null =>
  override === null ? fallback : override === 0 ? null : override;

/**
 * Serialises one user's admissions of one kind across every replica until the transaction ends:
 * two commits that would each fit but not together cannot both read the usage before the other
 * wrote. Taken before any blob bucket lock (blobs/blob-references.ts), never after, so the two
 * kinds of lock cannot deadlock.
 */
export async function lockUserQuota(
  tx: SqlRunner,
  kind: "stored-bytes" | "jobs",
  userId: string,
): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`quota:${kind}:${userId}`}, 0))::text`;
}
