import { describe, expect, it } from "vitest";
import { loadTierConfig, TierConfigError } from "../../src/config";
import {
  checkExecutionProviders,
  ExecutionProviderError,
  providersForModel,
} from "../../src/runtime/execution-providers";
import type { ExecutionProvider } from "../../src/runtime/tessera-parameters";
import { runTierUntilExit, startTierProcess } from "../helpers/tier-process";
import { connectTierStatus } from "../helpers/tier-status-client";

const noGpu = async (provider: ExecutionProvider) => {
  throw new Error(`${provider}: Failed to load shared library`);
};

describe("INFERENCE_EXECUTION_PROVIDERS", () => {
  it("defaults to the CPU and reads a comma-separated order, any case", () => {
    expect(loadTierConfig({}).executionProviders).toEqual(["cpu"]);
    expect(loadTierConfig({ INFERENCE_EXECUTION_PROVIDERS: " CUDA, cpu" }).executionProviders).toEqual([
      "cuda",
      "cpu",
    ]);
  });

  it.each([
    [
      "gpu,cpu",
      'INFERENCE_EXECUTION_PROVIDERS names "gpu"; use a comma-separated list of tensorrt, cuda, cpu in order of preference',
    ],
    [
      "cuda,cpu,cuda",
      'INFERENCE_EXECUTION_PROVIDERS names a provider twice ("cuda,cpu,cuda"); list each once',
    ],
    [
      "cuda,",
      'INFERENCE_EXECUTION_PROVIDERS names ""; use a comma-separated list of tensorrt, cuda, cpu in order of preference',
    ],
  ])("refuses %j at start", (value, message) => {
    expect(() => loadTierConfig({ INFERENCE_EXECUTION_PROVIDERS: value })).toThrow(
      new TierConfigError(message),
    );
  });
});

describe("checkExecutionProviders", () => {
  it("keeps CUDA first when its session can be created", async () => {
    expect(await checkExecutionProviders(["cuda", "cpu"], async () => {})).toEqual({
      providers: ["cuda", "cpu"],
      fallbacks: [],
      device: "cuda",
    });
  });

  it("falls back to the CPU when CUDA cannot be created and cpu is listed, saying why", async () => {
    expect(await checkExecutionProviders(["cuda", "cpu"], noGpu)).toEqual({
      providers: ["cpu"],
      fallbacks: ['"cuda" is unavailable: cuda: Failed to load shared library'],
      device: "cpu",
    });
  });

  it("fails the start when CUDA alone is asked for and cannot be created", async () => {
    await expect(checkExecutionProviders(["cuda"], noGpu)).rejects.toThrow(
      new ExecutionProviderError(
        'INFERENCE_EXECUTION_PROVIDERS asks for "cuda", which cannot be created on this host: cuda: Failed to load shared library. ' +
          'Install the CUDA libraries onnxruntime-node needs (see deploy/README.md), or add "cpu" to fall back to the CPU',
      ),
    );
  });

  it("never probes the CPU", async () => {
    const probed: string[] = [];
    await checkExecutionProviders(["cpu"], async (provider) => void probed.push(provider));
    expect(probed).toEqual([]);
  });
});

describe("providersForModel", () => {
  it.each([
    [null, ["cuda", "cpu"], ["cuda", "cpu"]],
    [["cpu"], ["cuda", "cpu"], ["cpu"]],
    [["cuda", "cpu"], ["cpu"], ["cpu"]],
    [
      ["tensorrt", "cuda", "cpu"],
      ["cuda", "cpu"],
      ["cuda", "cpu"],
    ],
    [["cpu"], ["cuda"], ["cuda"]],
  ] as Array<[ExecutionProvider[] | null, ExecutionProvider[], ExecutionProvider[]]>)(
    "a model asking %j on a tier with %j runs with %j",
    (asked, tier, expected) => {
      expect(providersForModel(asked, tier)).toEqual(expected);
    },
  );
});

/** This host's own answer: the tests below are about a tier that cannot create CUDA. */
const cudaHere = (await checkExecutionProviders(["cuda", "cpu"])).providers.includes("cuda");

describe.skipIf(cudaHere)("a tier process asked for CUDA on a host without it", () => {
  it("starts on the CPU when cpu is listed too, and reports the fallback in Status", async () => {
    const tier = await startTierProcess(0, { INFERENCE_EXECUTION_PROVIDERS: "cuda,cpu", LOG_LEVEL: "warn" });
    const status = connectTierStatus(tier.port);
    try {
      const answer = await status.ask();
      expect(answer).toMatchObject({ ready: true, device: "cpu", execution_providers: ["cpu"] });
      expect(answer.provider_fallbacks).toHaveLength(1);
      expect(answer.provider_fallbacks[0]).toMatch(/^"cuda" is unavailable: /);
      expect(tier.stdout()).toContain('execution provider \\"cuda\\" is unavailable');
    } finally {
      status.close();
      await tier.stop();
    }
  });

  it("refuses to start when cuda alone is listed, and says what to do", async () => {
    const { code, stdout } = await runTierUntilExit({
      INFERENCE_PORT: "0",
      INFERENCE_EXECUTION_PROVIDERS: "cuda",
      LOG_LEVEL: "warn",
    });
    expect(code).toBe(1);
    expect(stdout).toContain(
      'INFERENCE_EXECUTION_PROVIDERS asks for \\"cuda\\", which cannot be created on this host',
    );
    expect(stdout).toContain('or add \\"cpu\\" to fall back to the CPU');
  });
});

describe.runIf(cudaHere)("a tier process on a host with CUDA", () => {
  it("runs its models on the GPU by default and says so in Status", async () => {
    const tier = await startTierProcess(0, { INFERENCE_EXECUTION_PROVIDERS: "cuda,cpu" });
    const status = connectTierStatus(tier.port);
    try {
      expect(await status.ask()).toMatchObject({
        device: "cuda",
        execution_providers: ["cuda", "cpu"],
        provider_fallbacks: [],
      });
    } finally {
      status.close();
      await tier.stop();
    }
  });
});
