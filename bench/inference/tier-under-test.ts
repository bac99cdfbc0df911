import { deferCleanup } from "../lib/cleanup";
import { connectKServe, type KServeTestClient } from "../../inference/test/helpers/kserve-client";
import { loadRequest } from "../../inference/test/helpers/model-loads";
import { startTierProcess, type TierProcess } from "../../inference/test/helpers/tier-process";

export interface TierUnderTest {
  tier: TierProcess;
  /** A KServe v2 client built from proto/kserve/grpc_service.proto, as any user would build one. */
  kserve: KServeTestClient;
  /** RepositoryModelLoad of one ONNX file as version 1 with a Triton JSON config. */
  load(name: string, config: object, onnx: Uint8Array): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The inference tier as its own process, exactly as `npm start` runs it, on a free port, with
 * system shared memory allowed so that co-located clients can be measured too.
 */
export async function startTierUnderTest(): Promise<TierUnderTest> {
  const tier = await startTierProcess(0, {
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    INFERENCE_ALLOW_CLIENT_SHM: "true",
  });
  const kserve = connectKServe(tier.port);
  const stop = deferCleanup(async () => {
    kserve.close();
    await tier.stop();
  });
  return {
    tier,
    kserve,
    async load(name, config, onnx) {
      await kserve.call("RepositoryModelLoad", loadRequest(name, { name, ...config }, { 1: onnx }));
    },
    stop,
  };
}
