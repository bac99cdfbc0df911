import { loadTraining } from "@tessera/proto/training";
import type { BaseModel } from "@tessera/proto/generated/tessera/training/v1/BaseModel";
import type { ExportModelRequest } from "@tessera/proto/generated/tessera/training/v1/ExportModelRequest";
import type { TrainEvent__Output } from "@tessera/proto/generated/tessera/training/v1/TrainEvent";
import type { TrainRequest } from "@tessera/proto/generated/tessera/training/v1/TrainRequest";
import type { TrainingImage } from "@tessera/proto/generated/tessera/training/v1/TrainingImage";
import { AppError } from "../../errors";
import type { TierClient } from "../../tier/tier-client";

export type { BaseModel, TrainRequest, TrainingImage };

/** Hashes per MissingImages call: a request well under a megabyte however large the dataset. */
const MISSING_IMAGES_BATCH = 5_000;

/**
 * The tier's TrainingService as one job uses it: every call on the tier `tier` names, because
 * staged images and loaded base models live on that tier only.
 */
export class TrainingTier {
  constructor(private readonly client: TierClient) {}

  /** The tier to stage on and train on next. */
  pickTier(): string {
    return this.client.pickTier();
  }

  async missingImages(tier: string, sha256s: readonly string[], signal: AbortSignal): Promise<string[]> {
    const method = loadTraining().TrainingService.service.MissingImages;
    const missing: string[] = [];
    for (let start = 0; start < sha256s.length; start += MISSING_IMAGES_BATCH) {
      const response = await this.client.unary(
        method,
        { sha256: sha256s.slice(start, start + MISSING_IMAGES_BATCH) },
        { tier, signal },
      );
      missing.push(...response.sha256);
    }
    return missing;
  }

  /** One PutImages call; each yielded batch is one message. Resolves to how many the tier stored. */
  async putImages(
    tier: string,
    batches: AsyncIterable<TrainingImage[]>,
    signal: AbortSignal,
  ): Promise<number> {
    const method = loadTraining().TrainingService.service.PutImages;
    async function* messages() {
      for await (const images of batches) yield { images };
    }
    const response = await this.client.clientStream(method, messages(), { tier, signal });
    return response.stored;
  }

  train(tier: string, request: TrainRequest, signal: AbortSignal): AsyncGenerator<TrainEvent__Output> {
    const method = loadTraining().TrainingService.service.Train;
    return this.client.serverStream(method, request, { tier, signal });
  }

  /** The exported ONNX model, whole. */
  async exportModel(tier: string, request: ExportModelRequest, signal: AbortSignal): Promise<Buffer> {
    const method = loadTraining().TrainingService.service.ExportModel;
    const chunks: Buffer[] = [];
    for await (const chunk of this.client.serverStream(method, request, { tier, signal })) {
      chunks.push(chunk.data);
    }
    return Buffer.concat(chunks);
  }
}

/** The gRPC status the tier answered with ("UNAVAILABLE", "FAILED_PRECONDITION", …), if it was a tier error. */
export function tierStatus(error: unknown): string | null {
  if (!(error instanceof AppError)) return null;
  const status = error.details.tierStatus;
  return typeof status === "string" ? status : null;
}

/** The tier could not be reached or went away mid-call: the same request may succeed later. */
export function isTierGone(error: unknown): boolean {
  return tierStatus(error) === "UNAVAILABLE";
}

/** The tier refused the request itself: sending it again cannot succeed. */
export function isRefusedByTier(error: unknown): boolean {
  const status = tierStatus(error);
  return status === "INVALID_ARGUMENT" || status === "FAILED_PRECONDITION" || status === "OUT_OF_RANGE";
}
