import "reflect-metadata";
import type { AddressInfo } from "node:net";
import path from "node:path";
import express from "express";
import * as grpc from "@grpc/grpc-js";
import type { StatusResponse } from "@tessera/proto/generated/tessera/tier/v1/StatusResponse";
import { loadKServe } from "@tessera/proto/kserve";
import { loadTier } from "@tessera/proto/tier";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { healthRoutes } from "../../src/http/healthz";
import { DeploymentsService } from "../../src/inference/deployments.service";
import { createLogger } from "../../src/logger";
import { LocalBlobStore } from "../../src/storage/local-blob-store";
import { rankTiers } from "../../src/tier/placement";
import { TierClient } from "../../src/tier/tier-client";
import type { Viewer } from "../../src/users/access";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { buildColourClassifier, UNIT_PREPROCESSING, uploadOnnx } from "../inference/inference-api";

const logger = createLogger({ level: "silent" });

/**
 * A gRPC server standing in for a tier that records every load and unload (of a model it holds:
 * else NOT_FOUND, as a tier answers) into a log shared by all of them, so a test sees the order in which the gateway moved a deployment. Status says
 * what it holds, or ready=false (a tier a probe finds down), or answers late (a busy tier).
 */
class RecordingTier {
  readonly server = new grpc.Server();
  address = "";
  ready = true;
  statusDelayMs = 0;
  readonly holds = new Set<string>();

  constructor(
    readonly name: string,
    private readonly log: string[],
  ) {
    const kserve = loadKServe().GRPCInferenceService.service;
    this.server.addService(kserve, {
      ServerReady: (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
        callback(null, { ready: this.ready }),
      RepositoryModelLoad: (
        call: grpc.ServerUnaryCall<{ model_name: string }, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => {
        this.log.push(`load ${call.request.model_name} on ${this.name}`);
        this.holds.add(call.request.model_name);
        callback(null, {});
      },
      RepositoryModelUnload: (
        call: grpc.ServerUnaryCall<{ model_name: string }, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => {
        if (!this.holds.delete(call.request.model_name)) {
          return callback({
            code: grpc.status.NOT_FOUND,
            details: `${call.request.model_name} is not loaded`,
          });
        }
        this.log.push(`unload ${call.request.model_name} from ${this.name}`);
        callback(null, {});
      },
    } as grpc.UntypedServiceImplementation);
    this.server.addService(loadTier().TierService.service, {
      Status: (_call: unknown, callback: grpc.sendUnaryData<StatusResponse>) => {
        const answer = () =>
          callback(null, {
            ready: this.ready,
            models: [...this.holds].map((name) => ({ name, version: "1", state: "ready" })),
            device: "cpu",
          });
        if (this.statusDelayMs > 0) setTimeout(answer, this.statusDelayMs);
        else answer();
      },
    });
  }

  async start(): Promise<void> {
    const port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    this.address = `127.0.0.1:${port}`;
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * DeploymentsService over its own TierClient and two recording tiers (models uploaded through a
 * test gateway, whose own tier is a third stand-in that nothing here deploys to).
 */
describe("moving a `replicas: 1` deployment between tiers", () => {
  const log: string[] = [];
  const tiers = [new RecordingTier("a", log), new RecordingTier("b", log)];
  const sink = new RecordingTier("gateway's own", []);
  let gateway: TestGateway;
  let admin: Viewer;
  let client: TierClient | undefined;

  beforeAll(async () => {
    await Promise.all([...tiers, sink].map((tier) => tier.start()));
    gateway = await startTestGateway({ env: { INFERENCE_URL: sink.address } });
    const user = await gateway.prisma.user.findFirstOrThrow({ where: { role: "ADMIN" } });
    admin = { id: user.id, handle: user.handle, role: "ADMIN" };
  });

  afterEach(() => {
    client?.close();
    for (const tier of tiers) {
      tier.ready = true;
      tier.statusDelayMs = 0;
    }
  });

  afterAll(async () => {
    await gateway?.stop();
    for (const tier of [...tiers, sink]) tier.server.forceShutdown();
  });

  /** A service whose client has heard both tiers ready before it returns. */
  async function deploymentsOver(tuning: { probeIntervalMs: number; probeTimeoutMs: number }) {
    client = new TierClient({ urls: tiers.map((tier) => tier.address), logger, ...tuning });
    const deployments = new DeploymentsService(
      gateway.prisma,
      new LocalBlobStore(path.join(gateway.dataDir, "blobs")),
      client,
      logger,
      10_000,
      { maxPreprocessingSize: 4096 },
    );
    expect(await client.ready()).toEqual({ ready: true });
    return { client, deployments };
  }

  /** Uploads and deploys `slug` on one tier; the tier it chose first, and the one that stands in. */
  async function deployOnce(deployments: DeploymentsService, slug: string) {
    const version = await uploadOnnx(gateway, slug, buildColourClassifier());
    const deployed = await deployments.deploy(admin, version.id, {
      replicas: 1,
      preprocessing: UNIT_PREPROCESSING,
    });
    expect(deployed.state).toBe("READY");
    const name = `admin.${slug}`;
    const [ranked, standIn] = rankTiers(
      name,
      tiers.map((tier) => tier.address),
    ).map((address) => tiers.find((tier) => tier.address === address)!) as [RecordingTier, RecordingTier];
    const moves = () => log.filter((entry) => entry.split(" ")[1] === name);
    return { name, ranked, standIn, moves };
  }

  it("loads it on the stand-in before unloading anything, and leaves the down tier's copy alone", async () => {
    const { deployments } = await deploymentsOver({ probeIntervalMs: 100, probeTimeoutMs: 2_000 });
    const { name, ranked, standIn, moves } = await deployOnce(deployments, "moved-in-order");
    expect(moves()).toEqual([`load ${name} on ${ranked.name}`]);

    // Alive, but its Status says not ready: a failed probe marks it down.
    ranked.ready = false;
    await until(() => standIn.holds.has(name), "the stand-in loading the model");
    expect(moves()).toEqual([`load ${name} on ${ranked.name}`, `load ${name} on ${standIn.name}`]);
    expect(ranked.holds.has(name)).toBe(true);

    ranked.ready = true;
    await until(() => !standIn.holds.has(name), "the stand-in unloading the model");
    const after = moves().slice(2);
    // Loaded on the returning tier again before the stand-in lets go, and never unloaded from it.
    expect(after.at(-1)).toBe(`unload ${name} from ${standIn.name}`);
    expect(after.slice(0, -1).length).toBeGreaterThan(0);
    expect(new Set(after.slice(0, -1))).toEqual(new Set([`load ${name} on ${ranked.name}`]));
    expect(ranked.holds.has(name)).toBe(true);
  });

  it("keeps it on a tier whose Status is merely slow when anyone asks GET /healthz", async () => {
    const { client: tiersClient, deployments } = await deploymentsOver({
      probeIntervalMs: 600_000,
      probeTimeoutMs: 300,
    });
    const downs: string[] = [];
    tiersClient.onTierDown((address) => downs.push(address));
    const { name, ranked, moves } = await deployOnce(deployments, "kept-when-slow");

    const app = express().use(healthRoutes(gateway.prisma, tiersClient));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      ranked.statusDelayMs = 1_000;
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { tiers: Array<{ ready: boolean }> };
      expect(body.tiers.map((tier) => tier.ready)).toEqual([true, true]);
    } finally {
      server.close();
    }
    expect(downs).toEqual([]);
    expect(tiersClient.isUp(ranked.address)).toBe(true);
    expect(moves()).toEqual([`load ${name} on ${ranked.name}`]);
    expect(ranked.holds.has(name)).toBe(true);
  });
});
