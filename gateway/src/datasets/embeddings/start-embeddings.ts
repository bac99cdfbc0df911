import type pg from "pg";
import type { PrismaClient } from "../../generated/prisma/client";
import type { DeploymentsService } from "../../inference/deployments.service";
import type { JobRunner } from "../../jobs/job-runner";
import type { JobsService } from "../../jobs/jobs.service";
import type { Logger } from "../../logger";
import type { BlobStore } from "../../storage/blob-store";
import type { TierClient } from "../../tier/tier-client";
import { VectorStore } from "../../vectors/vector-store";
import { embedJobHandler } from "./embed-job";
import { embeddingJobKind } from "./embedding-job-kind";
import { EmbeddingsService } from "./embeddings.service";
import { SimilarityService } from "./similarity.service";
import { TierEmbedder } from "./tier-embedder";

export interface EmbeddingDeps {
  /** The API's client (statuses, similarity); `workerPrisma` is the job handler's own pool. */
  prisma: PrismaClient;
  workerPrisma: PrismaClient;
  /** For vectors: Prisma cannot read or write pgvector columns. */
  pool: pg.Pool;
  store: BlobStore;
  jobs: JobsService;
  tier: TierClient;
  deployments: DeploymentsService;
  logger: Logger;
  onSucceeded?: (versionId: string) => Promise<unknown>;
}

/** The embedding services; `work` makes a runner work the kind's jobs in this process. */
export function createEmbeddings(deps: EmbeddingDeps) {
  const vectors = new VectorStore(deps.pool);
  const embedder = new TierEmbedder(deps.tier, deps.deployments);
  return {
    embeddings: new EmbeddingsService(deps.prisma, deps.jobs, deps.logger),
    similarity: new SimilarityService(deps.prisma, vectors, embedder),
    work: (runner: JobRunner, concurrency: number) =>
      runner.work(
        embeddingJobKind,
        embedJobHandler({
          ...deps,
          prisma: deps.workerPrisma,
          vectors,
          embedder,
          logger: deps.logger.child({ job: embeddingJobKind.name }),
        }),
        { concurrency },
      ),
  };
}
