import * as ort from "onnxruntime-node";
import { OnnxGraphBuilder } from "@tessera/onnx";
import type { ExecutionProvider } from "./tessera-parameters";

/** What the tier's models may run on, decided once at start (INFERENCE_EXECUTION_PROVIDERS). */
export interface TierProviders {
  /** Providers that were created at start, in the configured order of preference. */
  providers: ExecutionProvider[];
  /** One line per configured provider that could not be created, with onnxruntime's reason. */
  fallbacks: string[];
  /** Where models run when nothing else is asked: the first usable provider's device. */
  device: "cpu" | "cuda";
}

export class ExecutionProviderError extends Error {
  override name = "ExecutionProviderError";
}

/** Creates a session of a one-node model on `provider` alone; rejects with onnxruntime's reason. */
export type ProviderProbe = (provider: ExecutionProvider) => Promise<void>;

/**
 * Creates a tiny session on each configured accelerator provider. One that cannot be created (no
 * CUDA libraries, no GPU) is dropped when "cpu" is configured too, and the start fails otherwise:
 * an operator who asked for the GPU alone wants to hear at start that it is not there, not to find
 * the models slow later.
 */
export async function checkExecutionProviders(
  configured: readonly ExecutionProvider[],
  probe: ProviderProbe = createProbeSession,
): Promise<TierProviders> {
  const providers: ExecutionProvider[] = [];
  const fallbacks: string[] = [];
  for (const provider of configured) {
    if (provider === "cpu") {
      providers.push(provider);
      continue;
    }
    try {
      await probe(provider);
      providers.push(provider);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (!configured.includes("cpu")) {
        throw new ExecutionProviderError(
          `INFERENCE_EXECUTION_PROVIDERS asks for "${provider}", which cannot be created on this host: ${reason}. ` +
            `Install the CUDA libraries onnxruntime-node needs (see deploy/README.md), or add "cpu" to fall back to the CPU`,
        );
      }
      fallbacks.push(`"${provider}" is unavailable: ${reason}`);
    }
  }
  const first = providers[0];
  return { providers, fallbacks, device: first === "cuda" || first === "tensorrt" ? "cuda" : "cpu" };
}

/**
 * The providers a model runs with: its configuration's order restricted to what the tier has, else
 * the tier's own order (a configuration that names none, or only providers the tier lacks).
 */
export function providersForModel(
  asked: readonly ExecutionProvider[] | null,
  tier: readonly ExecutionProvider[],
): ExecutionProvider[] {
  const usable = (asked ?? []).filter((provider) => tier.includes(provider));
  return usable.length > 0 ? usable : [...tier];
}

let probeModel: Uint8Array | undefined;

async function createProbeSession(provider: ExecutionProvider): Promise<void> {
  probeModel ??= new OnnxGraphBuilder({ graphName: "provider-probe" })
    .addInput("x", "float32", [1])
    .addNode({ op: "Identity", inputs: ["x"], outputs: ["y"] })
    .addOutput("y", "float32", [1])
    .toBytes();
  const session = await ort.InferenceSession.create(probeModel, {
    executionProviders: [provider],
    logSeverityLevel: 4,
  });
  await session.release();
}
