import type { PrismaClient } from "../generated/prisma/client";
import { badInput, forbidden, notFound, type AppError } from "../errors";
import { isUuid } from "../graphql/ids";
import { requireViewer, type Viewer } from "../users/access";
import { expensiveRateState, spendExpensive, type RateState } from "./expensive-rate";
import { QUOTA_BOUNDS, type QuotaDefaults } from "./quota-config";
import { expensiveRateLimited, quotaExceeded } from "./quota-errors";
import {
  lockUserQuota,
  userLimits,
  type QuotaLimits,
  type QuotaOverrides,
  type SqlRunner,
} from "./quota-limits";
import { storedBytesOf, storedBytesWith, type BlobToStore } from "./stored-bytes";

/** What one GraphQL operation asks of the quotas, from its root fields' costs (graphql/field-costs.ts). */
export interface ExpensiveWork {
  /** Root fields that are expensive (aliases counted): each spends one slot of the rate. */
  requests: number;
  /** Whether any of them streams files into the blob store. */
  storesBytes: boolean;
}

export interface UserUsage {
  exempt: boolean;
  limits: QuotaLimits;
  storedBytes: number;
  concurrentJobs: number;
  expensive: RateState;
}

export interface QuotaInput {
  maxStoredBytes?: number | null;
  maxConcurrentJobs?: number | null;
  maxExpensiveRequestsPerMinute?: number | null;
}

export interface UserQuotaView extends QuotaOverrides {
  userId: string;
}

/** Jobs that hold a slot: started at the top (not a parent's child), not finished yet. */
const countJobs = async (db: SqlRunner, userId: string): Promise<number> => {
  const rows = await db.$queryRaw<Array<{ jobs: number }>>`
    SELECT count(*)::int AS jobs FROM "Job"
    WHERE "ownerId" = ${userId}::uuid AND "parentId" IS NULL AND "status" IN ('QUEUED', 'RUNNING')`;
  return rows[0]?.jobs ?? 0;
};

const handleOf = async (db: SqlRunner, userId: string): Promise<string> => {
  const rows = await db.$queryRaw<Array<{ handle: string }>>`
    SELECT "handle" FROM "User" WHERE "id" = ${userId}::uuid`;
  return rows[0]?.handle ?? userId;
};

/**
 * Per-user limits kept in PostgreSQL, so every replica enforces the same ones: stored bytes and
 * concurrent jobs are admitted under a per-user transaction lock at the point that writes them;
 * the rate of expensive operations is one GCRA row per user, spent by the operation guard.
 */
export class QuotasService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly defaults: QuotaDefaults,
  ) {}

  /**
   * Before an operation runs (the operation guard): refuses an upload when the user is already at
   * their stored-bytes limit — before a byte of it is read — and spends the rate. Null: admitted.
   */
  async admitOperation(viewer: Viewer, work: ExpensiveWork): Promise<AppError | null> {
    if (work.requests === 0 || viewer.role === "ADMIN") return null;
    const limits = (await userLimits(this.prisma, this.defaults, viewer.id))?.limits;
    if (!limits) return null;
    if (work.storesBytes && limits.storedBytes !== null) {
      const used = await storedBytesOf(this.prisma, viewer.id);
      // At the limit, even an upload of bytes already stored (which would add none) is refused:
      // telling the two apart takes reading the whole body, which this check exists to avoid.
      if (used >= limits.storedBytes) {
        return quotaExceeded(
          "storedBytes",
          `You store ${used} bytes; your limit is ${limits.storedBytes}: while you are at it, no upload ` +
            "is read, not even of files already stored; delete something before uploading more",
          { limit: limits.storedBytes, used },
        );
      }
    }
    const perMinute = limits.expensivePerMinute;
    if (perMinute === null) return null;
    if (work.requests > perMinute) {
      return badInput(
        `The operation makes ${work.requests} expensive calls; your limit is ${perMinute} per minute`,
      );
    }
    const outcome = await spendExpensive(this.prisma, viewer.id, work.requests, perMinute);
    return outcome.admitted ? null : expensiveRateLimited(perMinute, outcome.retryAfterSeconds);
  }

  /**
   * In the transaction that records `blobs` for rows owned by `ownerId` (BlobReferences.record):
   * throws QUOTA_EXCEEDED when they would take the owner past their limit, so the transaction
   * rolls back and the caller releases the files. The lock holds until commit: a second upload of
   * the same user, on any replica, counts this one's rows.
   */
  async admitBlobs(tx: SqlRunner, ownerId: string, blobs: readonly BlobToStore[]): Promise<void> {
    if (blobs.length === 0) return;
    const limit = (await userLimits(tx, this.defaults, ownerId))?.limits.storedBytes ?? null;
    if (limit === null) return;
    await lockUserQuota(tx, "stored-bytes", ownerId);
    const { used, adding } = await storedBytesWith(tx, ownerId, blobs);
    if (used + adding > limit) {
      // The owner of the objects pays, who may not be the caller (an admin adding samples to a
      // member's dataset): the message names them.
      const owner = await handleOf(tx, ownerId);
      throw quotaExceeded(
        "storedBytes",
        `Storing this would bring the stored bytes of ${owner} (the owner) to ${used + adding} ` +
          `(${adding} new); their limit is ${limit}`,
        { limit, used },
      );
    }
  }

  /**
   * In the transaction that queues a job the user started (JobsService.enqueue): throws
   * QUOTA_EXCEEDED when they already have their limit of jobs queued or running.
   */
  async admitJob(tx: SqlRunner, ownerId: string): Promise<void> {
    const limit = (await userLimits(tx, this.defaults, ownerId))?.limits.concurrentJobs ?? null;
    if (limit === null) return;
    await lockUserQuota(tx, "jobs", ownerId);
    const used = await countJobs(tx, ownerId);
    if (used >= limit) {
      throw quotaExceeded(
        "concurrentJobs",
        `You have ${used} jobs queued or running; your limit is ${limit}: wait for one to finish or cancel one`,
        { limit, used },
      );
    }
  }

  /** The user's usage and limits: to the user themselves and to admins; FORBIDDEN to anyone else. */
  async usage(viewer: Viewer | null, userId: string): Promise<UserUsage> {
    const caller = requireViewer(viewer);
    if (caller.id !== userId && caller.role !== "ADMIN") {
      throw forbidden("Only the user themselves and admins can see a user's usage");
    }
    const limits = await userLimits(this.prisma, this.defaults, userId);
    if (!limits) throw notFound(`User ${userId}`);
    const [storedBytes, concurrentJobs, expensive] = await Promise.all([
      storedBytesOf(this.prisma, userId),
      countJobs(this.prisma, userId),
      expensiveRateState(this.prisma, userId, limits.limits.expensivePerMinute),
    ]);
    return { exempt: limits.exempt, limits: limits.limits, storedBytes, concurrentJobs, expensive };
  }

  /**
   * Admins only. Replaces the user's three values at once: a value left out or null falls back to
   * the default (TESSERA_QUOTA_*), 0 makes that limit unlimited for this user.
   */
  async setUserQuota(viewer: Viewer | null, userId: string, input: QuotaInput): Promise<UserQuotaView> {
    const caller = requireViewer(viewer);
    if (caller.role !== "ADMIN") throw forbidden("Only admins can set a user's quota");
    const values = {
      maxStoredBytes: bounded(input.maxStoredBytes, "maxStoredBytes", QUOTA_BOUNDS.storedBytes),
      maxConcurrentJobs: bounded(input.maxConcurrentJobs, "maxConcurrentJobs", QUOTA_BOUNDS.concurrentJobs),
      maxExpensiveRequestsPerMinute: bounded(
        input.maxExpensiveRequestsPerMinute,
        "maxExpensiveRequestsPerMinute",
        QUOTA_BOUNDS.expensivePerMinute,
      ),
    };
    const user = isUuid(userId) ? await this.prisma.user.findUnique({ where: { id: userId } }) : null;
    if (!user) throw notFound(`User ${userId}`);
    if (Object.values(values).every((value) => value === null)) {
      await this.prisma.userQuota.deleteMany({ where: { userId } });
      return { userId, ...values, updatedAt: null };
    }
    const data = {
      ...values,
      maxStoredBytes: values.maxStoredBytes === null ? null : BigInt(values.maxStoredBytes),
    };
    const row = await this.prisma.userQuota.upsert({
      where: { userId },
      create: { userId, ...data },
      update: data,
    });
    return { userId, ...values, updatedAt: row.updatedAt };
  }
}

/** An integer from 0 (unlimited) to `max`, or null (the default); BAD_USER_INPUT naming the field otherwise. */
function bounded(value: number | null | undefined, field: string, max: number): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw badInput(
      `${field} must be an integer from 0 (unlimited) to ${max}, or null for the default; got ${value}`,
      {
        field,
      },
    );
  }
  return value;
}
