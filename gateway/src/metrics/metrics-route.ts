import { timingSafeEqual } from "node:crypto";
import { Router } from "express";
import type { Logger } from "../logger";
import { bearerToken } from "../users/tokens";
import type { GatewayMetrics } from "./gateway-metrics";

/**
 * `GET /metrics` in Prometheus' text format. With TESSERA_METRICS_TOKEN set, a scraper sends it
 * as `Authorization: Bearer <token>` (Prometheus' `authorization` scrape setting); else it is open,
 * like /healthz, and should stay on a private network.
 */
export function metricsRoutes(metrics: GatewayMetrics, token: string | null, logger: Logger): Router {
  const router = Router();
  router.get("/metrics", async (request, response) => {
    if (token !== null && !sameToken(bearerToken(request.headers.authorization), token)) {
      response.status(401).set("www-authenticate", "Bearer").json({ error: "a metrics token is required" });
      return;
    }
    try {
      response.type(metrics.registry.contentType).send(await metrics.metrics());
    } catch (error) {
      logger.error({ err: error }, "collecting metrics failed");
      response.status(503).json({ error: "metrics are unavailable" });
    }
  });
  return router;
}

function sameToken(sent: string | null, expected: string): boolean {
  if (sent === null) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
