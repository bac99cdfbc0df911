import type pg from "pg";
import type { PrismaClient } from "../../generated/prisma/client";
import type { DeploymentsService } from "../../inference/deployments.service";
import type { JobQueue } from "../../jobs/job-queue";
import type { Logger } from "../../logger";
import type { BlobStore } from "../../storage/blob-store";
import type { TierClient } from "../../tier/tier-client";
import { VectorStore } from "../../vectors/vector-store";
import { embedJobHandler } from "./embed-job";
import { EmbeddingProgress } from "./embedding-progress";
import { EMBED_JOB, EmbeddingsService } from "./embeddings.service";
import { SimilarityService } from "./similarity.service";
import { TierEmbedder } from "./tier-embedder";

export interface EmbeddingDeps {
  prisma: PrismaClient;
  /** For vectors: Prisma cannot read or write pgvector columns. */
  pool: pg.Pool;
  store: BlobStore;
  jobs: JobQueue;
  tier: TierClient;
  deployments: DeploymentsService;
  logger: Logger;
  onSucceeded?: (versionId: string) => Promise<unknown>;
}

/** The embedding services, with this process working the queue's embedding jobs. */
export async function startEmbeddings(deps: EmbeddingDeps) {
  const vectors = new VectorStore(deps.pool);
  const embedder = new TierEmbedder(deps.tier, deps.deployments);
  const progress = new EmbeddingProgress();
  await deps.jobs.work(
    EMBED_JOB,
    embedJobHandler({ ...deps, vectors, embedder, progress, logger: deps.logger.child({ job: EMBED_JOB }) }),
  );
  return {
    embeddings: new EmbeddingsService(deps.prisma, deps.jobs, progress),
    similarity: new SimilarityService(deps.prisma, vectors, embedder),
  };
}
