import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobStatus } from "../../src/generated/prisma/client";
import { QuotasService } from "../../src/quotas/quotas.service";
import { createTestDatabase, type TestDatabase } from "../support/database";

let database: TestDatabase;
let quotas: QuotasService;

beforeAll(async () => {
  database = await createTestDatabase();
  quotas = new QuotasService(database.prisma, {
    storedBytes: null,
    concurrentJobs: 2,
    expensivePerMinute: null,
  });
});
afterAll(async () => {
  await database?.close();
});

const newUser = async (handle: string, role: "ADMIN" | "MEMBER" = "MEMBER") =>
  (await database.prisma.user.create({ data: { handle, role } })).id;

async function addJob(ownerId: string, status: JobStatus, parentId: string | null = null): Promise<string> {
  const job = await database.prisma.job.create({
    data: { kind: "test-kind", payload: {}, ownerId, status, parentId, maxAttempts: 1 },
  });
  return job.id;
}

/** What the enqueueing transaction sees: admitted, or the refusal's code and extensions. */
const admit = (ownerId: string) =>
  database.prisma
    .$transaction((tx) => quotas.admitJob(tx, ownerId))
    .then(
      () => "admitted",
      (error: { code?: string; details?: unknown }) => ({ code: error.code, details: error.details }),
    );

describe("the concurrent-jobs quota", () => {
  it("admits while fewer than the limit are queued or running, and refuses at the limit", async () => {
    const user = await newUser("jobs-boundary");
    await addJob(user, "SUCCEEDED");
    await addJob(user, "FAILED");
    await addJob(user, "CANCELLED");
    const parent = await addJob(user, "QUEUED");
    // A job's children run under their parent's slot.
    await addJob(user, "RUNNING", parent);
    expect(await admit(user)).toBe("admitted");
    await addJob(user, "RUNNING");
    expect(await admit(user)).toEqual({
      code: "QUOTA_EXCEEDED",
      details: { quota: "concurrentJobs", limit: 2, used: 2 },
    });
    expect(
      (await quotas.usage({ id: user, handle: "jobs-boundary", role: "MEMBER" }, user)).concurrentJobs,
    ).toBe(2);
  });

  it("follows an admin's override (0: unlimited) and exempts admins", async () => {
    const user = await newUser("jobs-override");
    await addJob(user, "QUEUED");
    await addJob(user, "QUEUED");
    const admin = { id: await newUser("jobs-admin", "ADMIN"), handle: "jobs-admin", role: "ADMIN" as const };
    await quotas.setUserQuota(admin, user, { maxConcurrentJobs: 0 });
    expect(await admit(user)).toBe("admitted");
    await quotas.setUserQuota(admin, user, { maxConcurrentJobs: 3 });
    expect(await admit(user)).toBe("admitted");
    await addJob(user, "QUEUED");
    expect(await admit(user)).toMatchObject({ code: "QUOTA_EXCEEDED", details: { limit: 3, used: 3 } });
    await addJob(admin.id, "QUEUED");
    await addJob(admin.id, "QUEUED");
    expect(await admit(admin.id)).toBe("admitted");
  });
});
