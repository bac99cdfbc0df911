import type pg from "pg";
import type { PrismaClient } from "../../generated/prisma/client";
import type { BlobReferences } from "../../blobs/blob-references";
import { TierEmbedder } from "../../datasets/embeddings/tier-embedder";
import type { DeploymentsService } from "../../inference/deployments.service";
import type { JobsService } from "../../jobs/jobs.service";
import type { BlobStore } from "../../storage/blob-store";
import type { TierClient } from "../../tier/tier-client";
import { VectorStore } from "../../vectors/vector-store";
import { AdjustmentRefits } from "../predictions/adjustment-refits";
import { LabelingService } from "./labeling.service";
import { PoolEmbeddings } from "./pool-embeddings";
import { PoolScorer } from "./pool-scoring";
import { SubmitLabels } from "./submit-labels";

export interface LabelingDeps {
  prisma: PrismaClient;
  store: BlobStore;
  references: BlobReferences;
  tier: TierClient;
  deployments: DeploymentsService;
  /** For vectors: Prisma cannot write pgvector columns. */
  pool: pg.Pool;
  jobs: JobsService;
}

/** The labelling batches service with its parts: the tier scorer, the pool's vectors, submitting. */
export function createLabeling(deps: LabelingDeps): LabelingService {
  const { prisma, store, tier, deployments } = deps;
  return new LabelingService(
    prisma,
    store,
    new PoolScorer(prisma, store, tier, deployments),
    new PoolEmbeddings(prisma, store, new TierEmbedder(tier, deployments), new VectorStore(deps.pool)),
    new SubmitLabels(prisma, { store, references: deps.references }, new AdjustmentRefits(deps.jobs)),
  );
}
