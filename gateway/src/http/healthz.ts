import { Router } from "express";
import type { PrismaClient } from "../generated/prisma/client";

export interface TierHealth {
  ready(): Promise<{ ready: boolean; reason?: string }>;
}

/** 200 once the database and the inference tier answer; 503 with the reason otherwise. */
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
    res.status(healthy ? 200 : 503).json({ status: healthy ? "ok" : "unavailable", checks });
  });
  return router;
}
