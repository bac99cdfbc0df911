import { Router } from "express";
import type { PrismaClient } from "../generated/prisma/client";
import type { Logger } from "../logger";
import type { TierStatus } from "../tier/tier-client";

export interface TierHealth {
  ready(): Promise<{ ready: boolean; reason?: string }>;
  /** Each tier as last seen; read after `ready()`, which asks them all afresh. */
  status?(): TierStatus[];
}

/**
 * One tier in /healthz, in configuration order. The endpoint answers anyone (through the proxy
 * too), so what the admin `tiers` query guards stays out: addresses, errors (they name addresses),
 * load, device and model names; the count of ready versions is here.
 */
export interface TierHealthEntry {
  ready: boolean;
  models: number;
}

/**
 * 200 once the database answers and at least one inference tier is ready; 503 otherwise. `tiers`
 * lists every tier either way.
 */
export function healthRoutes(prisma: PrismaClient, tier: TierHealth, logger?: Logger): Router {
  const router = Router();
  router.get("/healthz", async (_req, res) => {
    const checks: Record<string, string> = {};
    try {
      await prisma.$queryRaw`SELECT 1`;
      checks.database = "ok";
    } catch (error) {
      // The driver's message can name the database host: it goes to the log, not to anyone asking.
      logger?.warn({ err: error }, "health check: the database did not answer");
      checks.database = "unavailable: the database does not answer";
    }
    // The tier client's reason names each tier's address and error: the admin `tiers` query shows them.
    const tierState = await tier.ready().catch(() => ({ ready: false }));
    checks.inference = tierState.ready ? "ok" : "unavailable: no inference tier is ready";
    const healthy = Object.values(checks).every((value) => value === "ok");
    const tiers = tier.status?.().map(healthEntry) ?? [];
    res.status(healthy ? 200 : 503).json({ status: healthy ? "ok" : "unavailable", checks, tiers });
  });
  return router;
}

function healthEntry(status: TierStatus): TierHealthEntry {
  return {
    ready: status.up,
    models: status.report?.models.filter((model) => model.state === "ready").length ?? 0,
  };
}
