import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "../../src/generated/prisma/client";
import { healthRoutes, type TierHealth } from "../../src/http/healthz";
import type { TierStatus } from "../../src/tier/tier-client";

/** A tier as the client sees it, with everything the admin `tiers` query shows filled in. */
function tierStatus(address: string, up: boolean, readyModels: number): TierStatus {
  return {
    address,
    up,
    lastError: up ? null : `connect ECONNREFUSED ${address}`,
    answered: 12,
    report: {
      inFlight: 3,
      queued: 2,
      models: [
        ...Array.from({ length: readyModels }, (_, i) => ({
          name: `alice.private-${i}`,
          version: "1",
          state: "ready",
          inFlight: 1,
          queued: 0,
        })),
        { name: "alice.still-loading", version: "2", state: "loading", inFlight: 0, queued: 0 },
      ],
      device: "cuda:0 (NVIDIA H100)",
      executionProviders: ["cuda", "cpu"],
      providerFallbacks: [],
      serverVersion: "1.2.3",
      receivedAt: new Date(),
    },
    sentSinceReport: 1,
    load: 4,
  };
}

const database = { $queryRaw: async () => [{ "?column?": 1 }] } as unknown as PrismaClient;

const servers: Array<ReturnType<ReturnType<typeof express>["listen"]>> = [];

/** GET /healthz on an app with only the health route, as anyone (no token) asks it. */
async function healthz(tier: TierHealth, prisma = database): Promise<{ status: number; text: string }> {
  const server = express().use(healthRoutes(prisma, tier)).listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise((resolve) => server.once("listening", resolve));
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
  return { status: response.status, text: await response.text() };
}

describe("GET /healthz, which answers anyone", () => {
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  it("shows each tier's ready flag and count of ready models, nothing the admin `tiers` query guards", async () => {
    const { status, text } = await healthz({
      ready: async () => ({ ready: true }),
      status: () => [tierStatus("10.0.0.5:8001", true, 2), tierStatus("10.0.0.6:8001", false, 0)],
    });
    expect(status).toBe(200);
    expect(JSON.parse(text)).toEqual({
      status: "ok",
      checks: { database: "ok", inference: "ok" },
      tiers: [
        { ready: true, models: 2 },
        { ready: false, models: 0 },
      ],
    });
  });

  it("answers 503 without the tier client's reason when no tier is ready (it names addresses and errors)", async () => {
    const { status, text } = await healthz({
      ready: async () => ({
        ready: false,
        reason: "no inference tier is ready: 10.0.0.5:8001 (connect ECONNREFUSED 10.0.0.5:8001)",
      }),
      status: () => [tierStatus("10.0.0.5:8001", false, 1)],
    });
    expect(status).toBe(503);
    expect(JSON.parse(text)).toEqual({
      status: "unavailable",
      checks: { database: "ok", inference: "unavailable: no inference tier is ready" },
      tiers: [{ ready: false, models: 1 }],
    });
    for (const secret of ["10.0.0.5", "ECONNREFUSED", "cuda", "private", "still-loading"]) {
      expect(text).not.toContain(secret);
    }
  });

  it("answers 503 without the driver's message when the database does not answer (it names the host)", async () => {
    const down = {
      $queryRaw: async () => {
        throw new Error("connect ECONNREFUSED db.internal.example:5432");
      },
    } as unknown as PrismaClient;
    const { status, text } = await healthz(
      { ready: async () => ({ ready: true }), status: () => [tierStatus("10.0.0.5:8001", true, 1)] },
      down,
    );
    expect(status).toBe(503);
    expect(JSON.parse(text)).toEqual({
      status: "unavailable",
      checks: { database: "unavailable: the database does not answer", inference: "ok" },
      tiers: [{ ready: true, models: 1 }],
    });
  });
});
