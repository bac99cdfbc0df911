import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { buildLinearClassifier, linearClassifierSpec } from "@tessera/onnx/fixtures";
import type { StatusResponse__Output } from "@tessera/proto/generated/tessera/tier/v1/StatusResponse";
import { loadTier } from "@tessera/proto/tier";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { loadTierConfig } from "../../src/config";
import { createTierLogger } from "../../src/logger";
import { startTierServer, type RunningTier } from "../../src/server";
import { connectKServe, type KServeTestClient } from "../helpers/kserve-client";
import { loadRequest, rawFloat32 } from "../helpers/model-loads";

/**
 * Four requests make a batch; fewer wait up to 10 s for company. So requests sent in twos stay
 * in the tier until the next two arrive: load the test can see in Status without timing anything.
 */
const waitsForFour = {
  max_batch_size: 4,
  dynamic_batching: { preferred_batch_size: [4], max_queue_delay_microseconds: 10_000_000 },
};

describe("TierService.Status", () => {
  let cacheDir: string;
  let tier: RunningTier;
  let kserve: KServeTestClient;
  let status: grpc.Client & {
    Status(
      request: object,
      callback: (error: grpc.ServiceError | null, response?: StatusResponse__Output) => void,
    ): void;
  };

  const ask = () =>
    new Promise<StatusResponse__Output>((resolve, reject) =>
      status.Status({}, (error, response) => (error ? reject(error) : resolve(response!))),
    );
  const infer = (model: string) =>
    kserve.call("ModelInfer", {
      model_name: model,
      inputs: [{ name: linearClassifierSpec.input, datatype: "FP32", shape: [1, 4] }],
      raw_input_contents: [rawFloat32([1, 0, 0, 0])],
    });
  async function until(
    condition: (answer: StatusResponse__Output) => boolean,
  ): Promise<StatusResponse__Output> {
    for (;;) {
      const answer = await ask();
      if (condition(answer)) return answer;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), "tier-status-"));
    const config = {
      ...loadTierConfig({ INFERENCE_PORT: "0", INFERENCE_CACHE_DIR: cacheDir }),
      host: "127.0.0.1",
    };
    tier = await startTierServer(config, createTierLogger("silent"));
    kserve = connectKServe(tier.port);
    status = new (loadTier().TierService)(
      `127.0.0.1:${tier.port}`,
      grpc.credentials.createInsecure(),
    ) as never;
  });

  afterAll(async () => {
    status?.close();
    kserve?.close();
    await tier?.shutdown();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it("says the tier is ready and idle, on the CPU, before any model is loaded", async () => {
    expect(await ask()).toEqual({
      ready: true,
      in_flight: 0,
      queued: 0,
      models: [],
      device: "cpu",
      execution_providers: ["cpu"],
      provider_fallbacks: [],
      server_version: packageJson.version,
    });
  });

  it("counts each model version's requests in the tier while they wait, and none once answered", async () => {
    const model = buildLinearClassifier().toBytes();
    await kserve.call("RepositoryModelLoad", loadRequest("batched", waitsForFour, { 1: model }));
    await kserve.call("RepositoryModelLoad", loadRequest("idle", { max_batch_size: 4 }, { 1: model }));
    const firstTwo = [infer("batched"), infer("batched")];
    const waiting = await until((answer) => answer.in_flight === 2);
    expect(waiting).toMatchObject({ ready: true, in_flight: 2, queued: 2 });
    expect(waiting.models).toEqual([
      { name: "batched", version: "1", state: "ready", in_flight: 2, queued: 2 },
      { name: "idle", version: "1", state: "ready", in_flight: 0, queued: 0 },
    ]);

    const answers = await Promise.all([...firstTwo, infer("batched"), infer("batched")]);
    expect(answers.map((answer) => answer.model_name)).toEqual(["batched", "batched", "batched", "batched"]);
    expect(await ask()).toMatchObject({
      in_flight: 0,
      queued: 0,
      models: [
        { name: "batched", version: "1", state: "ready", in_flight: 0, queued: 0 },
        { name: "idle", version: "1", state: "ready", in_flight: 0, queued: 0 },
      ],
    });
  });

  it("says the tier is not ready once it drains", async () => {
    tier.dataPlane.stopAccepting();
    expect(await ask()).toMatchObject({ ready: false });
    tier.dataPlane.startAccepting();
  });
});
