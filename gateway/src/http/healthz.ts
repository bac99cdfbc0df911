import { Router } from "express";
import type { PrismaClient } from "../generated/prisma/client";
import type { TierStatus } from "../tier/tier-client";

export interface TierHealth {
  ready(): Promise<{ ready: boolean; reason?: string }>;
  /** Each tier as last seen; read after `ready()`, which asks them all afresh. */
  status?(): TierStatus[];
}

/**
 * One tier in /healthz. Model names stay out (the endpoint answers anyone, and names reveal
 * private models): the count of ready versions is here, the names in the admin `tiers` query.
 */
export interface TierHealthEntry {
  address: string;
  ready: boolean;
  lastError: string | null;
  load: { inFlight: number; queued: number; estimate: number };
  models: number;
  device: string | null;
}

/**
 * 200 once the database answers and at least one inference tier is ready; 503 with the reason
 * otherwise. `tiers` lists every tier either way.
 */
export function healthRoutes(prisma: PrismaClient, tier: TierHealth): Router {
  const router = Router();
  router.get("/healthz", async (_req, res) => {
    const checks: Record<string, string> = {};
    try {
      await prisma.$queryRaw`SELECT 1`;
      checks.database = "ok";
    } catch (error) {
      checks.database = `unavailable: ${(error as Error).message}`;
    }
    const tierState = await tier.ready().catch((error: Error) => ({ ready: false, reason: error.message }));
    checks.inference = tierState.ready ? "ok" : `unavailable: ${tierState.reason ?? "not ready"}`;
    const healthy = Object.values(checks).every((value) => value === "ok");
    const tiers = tier.status?.().map(healthEntry) ?? [];
    res.status(healthy ? 200 : 503).json({ status: healthy ? "ok" : "unavailable", checks, tiers });
  });
  return router;
}

function healthEntry(status: TierStatus): TierHealthEntry {
  return {
    address: status.address,
    ready: status.up,
    lastError: status.lastError,
    load: {
      inFlight: status.report?.inFlight ?? 0,
      queued: status.report?.queued ?? 0,
      estimate: status.load,
    },
    models: status.report?.models.filter((model) => model.state === "ready").length ?? 0,
    device: status.report?.device ?? null,
  };
}
