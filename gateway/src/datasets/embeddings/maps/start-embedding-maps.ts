import type pg from "pg";
import type { PrismaClient } from "../../../generated/prisma/client";
import type { JobRunner } from "../../../jobs/job-runner";
import type { JobsService } from "../../../jobs/jobs.service";
import { embeddingMapJobHandler } from "./embedding-map-job";
import { embeddingMapJobKind } from "./embedding-map-job-kind";
import { EmbeddingMapsService } from "./embedding-maps.service";

export interface EmbeddingMapDeps {
  /** The API's client; `workerPrisma` is the job handler's own pool. */
  prisma: PrismaClient;
  workerPrisma: PrismaClient;
  pool: pg.Pool;
  jobs: JobsService;
}

/** The embedding-map service; `work` makes a runner work the kind's jobs in this process. */
export function createEmbeddingMaps(deps: EmbeddingMapDeps) {
  return {
    maps: new EmbeddingMapsService(deps.prisma, deps.pool, deps.jobs),
    work: (runner: JobRunner, concurrency: number) =>
      runner.work(
        embeddingMapJobKind,
        embeddingMapJobHandler({ prisma: deps.workerPrisma, pool: deps.pool }),
        {
          concurrency,
        },
      ),
  };
}
