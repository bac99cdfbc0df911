import type { PrismaClient, TrainingJob } from "../../generated/prisma/client";
import type { DeploymentsService } from "../../inference/deployments.service";
import type { JobQueue } from "../../jobs/job-queue";
import type { Logger } from "../../logger";
import type { ModelsService } from "../../models/models.service";
import type { FileBackedBlobStore } from "../../storage/file-backed";
import type { TierClient } from "../../tier/tier-client";
import type { Viewer } from "../../users/access";
import type { TrainingOptions } from "../training-contracts";
import type { JobProgress } from "./job-progress";
import type { JobRecord, TrainingEventSink } from "./job-record";
import type { TrainingSample } from "./training-samples";
import type { BaseModel, TrainingTier } from "./training-tier";

/** What a training worker needs from the process it runs in. */
export interface TrainingWorkerDeps {
  prisma: PrismaClient;
  store: FileBackedBlobStore;
  jobs: JobQueue;
  tier: TierClient;
  /** Loads ONNX base models on the tiers, as for embeddings. */
  deployments: DeploymentsService;
  /** Registers the trained model the way uploads are registered. */
  models: ModelsService;
  events: TrainingEventSink;
  logger: Logger;
}

export interface TrainingWorkerSettings {
  /** Jobs this process trains at once; 0 → none (the sweep does not run either). */
  workers: number;
  /** How often a running job's row is read for a cancel request. */
  pollMs: number;
  /** How often a running job's heartbeat is refreshed. */
  heartbeatMs: number;
  /** A RUNNING job whose heartbeat is older than this has lost its worker and is resumed. */
  staleAfterMs: number;
  /** How often this process looks for such jobs. */
  sweepIntervalMs: number;
  /** Waits before retrying a trial after the tier went away; one retry per entry. */
  tierRetryDelaysMs: readonly number[];
}

export const defaultTrainingWorkerSettings: TrainingWorkerSettings = {
  workers: 1,
  pollMs: 1_000,
  heartbeatMs: 3_000,
  staleAfterMs: 30_000,
  sweepIntervalMs: 10_000,
  tierRetryDelaysMs: [1_000, 2_000, 4_000, 8_000, 16_000],
};

/** One claimed job while it runs: everything its trials and its export share. */
export interface JobRun {
  deps: TrainingWorkerDeps;
  settings: TrainingWorkerSettings;
  tier: TrainingTier;
  record: JobRecord;
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
