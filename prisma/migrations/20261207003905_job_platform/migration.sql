-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "Job" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "payloadVersion" INTEGER NOT NULL DEFAULT 1,
    "payload" JSONB NOT NULL,
    "ownerId" UUID NOT NULL,
    "parentId" UUID,
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "phase" TEXT,
    "done" INTEGER,
    "total" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "result" JSONB,
    "queueJobId" UUID,
    "workerId" TEXT,
    "heartbeatAt" TIMESTAMPTZ(3),
    "runAfter" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobEvent" (
    "jobId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobEvent_pkey" PRIMARY KEY ("jobId","seq")
);

-- CreateIndex
CREATE INDEX "Job_ownerId_createdAt_idx" ON "Job"("ownerId", "createdAt");

-- CreateIndex
CREATE INDEX "Job_kind_createdAt_idx" ON "Job"("kind", "createdAt");

-- CreateIndex
CREATE INDEX "Job_status_heartbeatAt_idx" ON "Job"("status", "heartbeatAt");

-- CreateIndex
CREATE INDEX "Job_parentId_idx" ON "Job"("parentId");

-- AlterTable
ALTER TABLE "EmbeddingRun" ADD COLUMN     "jobId" UUID;

-- Every training job and embedding run becomes a Job of the same id, with its lifecycle.
INSERT INTO "Job" ("id", "kind", "payloadVersion", "payload", "ownerId", "status", "progress", "phase",
    "attempts", "maxAttempts", "cancelRequested", "errorCode", "errorMessage", "result", "queueJobId",
    "workerId", "heartbeatAt", "createdAt", "startedAt", "finishedAt", "updatedAt")
SELECT t."id", 'train-model', 1, jsonb_build_object('trainingJobId', t."id"), t."ownerId",
    t."status"::text::"JobStatus", t."progress", NULL, t."attempts", greatest(t."attempts", 3),
    t."cancelRequested",
    CASE WHEN t."status" = 'FAILED' THEN 'FAILED' WHEN t."status" = 'CANCELLED' THEN 'CANCELLED' END,
    t."error",
    (SELECT jsonb_build_object('resultModelVersionId', v."id") FROM "ModelVersion" v WHERE v."trainingJobId" = t."id" LIMIT 1),
    t."queueJobId", t."workerId", t."heartbeatAt", t."createdAt", t."startedAt", t."finishedAt",
    coalesce(t."finishedAt", t."startedAt", t."createdAt")
FROM "TrainingJob" t;

INSERT INTO "Job" ("id", "kind", "payloadVersion", "payload", "ownerId", "status", "progress", "done",
    "total", "attempts", "maxAttempts", "errorCode", "errorMessage", "createdAt", "startedAt", "finishedAt",
    "updatedAt")
SELECT r."id", 'embed-dataset-version', 1, jsonb_build_object('runId', r."id", 'datasetVersionId', r."versionId"), d."ownerId",
    r."state"::text::"JobStatus",
    CASE WHEN r."state" = 'SUCCEEDED' THEN 1 WHEN r."total" > 0 THEN least(1, (r."done" + r."failed")::float8 / r."total") ELSE 0 END,
    r."done", r."total", CASE WHEN r."state" = 'QUEUED' THEN 0 ELSE 1 END, 6,
    CASE WHEN r."state" = 'FAILED' THEN 'FAILED' END, r."error", r."createdAt",
    CASE WHEN r."state" <> 'QUEUED' THEN r."createdAt" END,
    CASE WHEN r."state" IN ('SUCCEEDED', 'FAILED') THEN r."updatedAt" END, r."updatedAt"
FROM "EmbeddingRun" r
JOIN "DatasetVersion" v ON v."id" = r."versionId"
JOIN "Dataset" d ON d."id" = v."datasetId";

-- Training events keep their seq: progress details move under "detail", endings become "state".
INSERT INTO "JobEvent" ("jobId", "seq", "type", "payload", "createdAt")
SELECT e."jobId", e."seq",
    CASE WHEN e."type" IN ('completed', 'failed') THEN 'state' ELSE e."type" END,
    CASE e."type"
      WHEN 'progress' THEN jsonb_build_object(
        'status', e."payload"->'status', 'fraction', e."payload"->'progress', 'phase', e."payload"->'phase',
        'done', NULL, 'total', NULL,
        'detail', e."payload" - 'status' - 'progress')
      WHEN 'completed' THEN jsonb_build_object('status', 'SUCCEEDED', 'error', NULL,
        'result', jsonb_build_object('resultModelVersionId', e."payload"->'resultModelVersionId',
          'evaluation', e."payload"->'evaluation'))
      WHEN 'failed' THEN jsonb_build_object('status', e."payload"->'status',
        'error', jsonb_build_object('code', e."payload"->'status', 'message', e."payload"->'reason'), 'result', NULL)
      ELSE e."payload"
    END,
    e."createdAt"
FROM "TrainingEvent" e;

UPDATE "EmbeddingRun" SET "jobId" = "id";

-- DropForeignKey
ALTER TABLE "TrainingEvent" DROP CONSTRAINT "TrainingEvent_jobId_fkey";

-- DropIndex
DROP INDEX "TrainingJob_status_idx";

-- AlterTable
ALTER TABLE "EmbeddingRun" DROP COLUMN "error",
DROP COLUMN "state";

-- AlterTable
ALTER TABLE "TrainingJob" DROP COLUMN "attempts",
DROP COLUMN "cancelRequested",
DROP COLUMN "error",
DROP COLUMN "finishedAt",
DROP COLUMN "heartbeatAt",
DROP COLUMN "progress",
DROP COLUMN "queueJobId",
DROP COLUMN "startedAt",
DROP COLUMN "status",
DROP COLUMN "workerId";

-- DropTable
DROP TABLE "TrainingEvent";

-- DropEnum
DROP TYPE "EmbeddingRunState";

-- CreateIndex
CREATE UNIQUE INDEX "EmbeddingRun_jobId_key" ON "EmbeddingRun"("jobId");

-- AddForeignKey
ALTER TABLE "EmbeddingRun" ADD CONSTRAINT "EmbeddingRun_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingJob" ADD CONSTRAINT "TrainingJob_id_fkey" FOREIGN KEY ("id") REFERENCES "Job"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Job"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JobEvent" ADD CONSTRAINT "JobEvent_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job"("id") ON DELETE CASCADE ON UPDATE CASCADE;
