import type { PrismaClient, TrainingJob } from "../../generated/prisma/client";
import type { DeploymentsService } from "../../inference/deployments.service";
import type { Logger } from "../../logger";
import type { ModelsService } from "../../models/models.service";
import type { FileBackedBlobStore } from "../../storage/file-backed";
import type { TierClient } from "../../tier/tier-client";
import type { Viewer } from "../../users/access";
import type { TrainingEventPayloads, TrainingEventType, TrainingOptions } from "../training-contracts";
import type { JobProgress, TrainingRecord } from "./job-progress";
import type { TrainingSample } from "./training-samples";
import type { BaseModel, TrainingTier } from "./training-tier";

/** What a training worker needs from the process it runs in. */
export interface TrainingWorkerDeps {
  prisma: PrismaClient;
  store: FileBackedBlobStore;
  tier: TierClient;
  /** Loads ONNX base models on the tiers, as for embeddings. */
  deployments: DeploymentsService;
  /** Registers the trained model the way uploads are registered. */
  models: ModelsService;
  logger: Logger;
}

/** Where a running job's own events go (the job platform's log, through JobContext.emit). */
export interface TrainingEventSink {
  append<T extends TrainingEventType>(
    jobId: string,
    type: T,
    payload: TrainingEventPayloads[T],
  ): Promise<unknown>;
}

export interface TrainingWorkerSettings {
  /** Waits before retrying a trial after the tier went away; one retry per entry. */
  tierRetryDelaysMs: readonly number[];
}

export const defaultTrainingWorkerSettings: TrainingWorkerSettings = {
  tierRetryDelaysMs: [1_000, 2_000, 4_000, 8_000, 16_000],
};

/** One claimed job while it runs: everything its trials and its export share. */
export interface JobRun {
  deps: TrainingWorkerDeps;
  settings: TrainingWorkerSettings;
  tier: TrainingTier;
  record: TrainingRecord;
  events: TrainingEventSink;
  /** Aborts on cancel, takeover or shutdown. */
  signal: AbortSignal;
  progress: JobProgress;
  job: TrainingJob;
  owner: Viewer;
  options: TrainingOptions;
  labels: string[];
  samples: TrainingSample[];
  trainCounts: number[];
  base: BaseModel;
  /** The tier every call of the job goes to; another one only after this one went away. */
  address: string;
}
