-- CreateEnum
CREATE TYPE "EmbeddingMethod" AS ENUM ('FEATURE', 'ML', 'HYBRID');

-- CreateEnum
CREATE TYPE "EmbeddingRunState" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- AlterTable
ALTER TABLE "DatasetVersion" ADD COLUMN     "quality" JSONB;

-- CreateTable
CREATE TABLE "EmbeddingSpace" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "method" "EmbeddingMethod" NOT NULL,
    "modelVersionId" UUID,
    "dimension" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmbeddingSpace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Embedding" (
    "spaceId" UUID NOT NULL,
    "sampleId" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "embedding" vector NOT NULL,
    "quality" DOUBLE PRECISION,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Embedding_pkey" PRIMARY KEY ("spaceId","sampleId")
);

-- CreateTable
CREATE TABLE "EmbeddingRun" (
    "id" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "spaceId" UUID NOT NULL,
    "state" "EmbeddingRunState" NOT NULL DEFAULT 'QUEUED',
    "total" INTEGER NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "qualityThreshold" DOUBLE PRECISION,
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "EmbeddingRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingPair" (
    "id" UUID NOT NULL,
    "sessionId" TEXT NOT NULL,
    "originalSha256" TEXT NOT NULL,
    "transformedSha256" TEXT NOT NULL,
    "instruction" TEXT NOT NULL,
    "userEmail" TEXT NOT NULL DEFAULT 'anonymous',
    "createdById" UUID,
    "metadata" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingPair_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "EmbeddingSpace_key_key" ON "EmbeddingSpace"("key");

-- CreateIndex
CREATE INDEX "Embedding_spaceId_datasetId_idx" ON "Embedding"("spaceId", "datasetId");

-- CreateIndex
CREATE INDEX "Embedding_sampleId_idx" ON "Embedding"("sampleId");

-- CreateIndex
CREATE UNIQUE INDEX "EmbeddingRun_versionId_spaceId_key" ON "EmbeddingRun"("versionId", "spaceId");

-- CreateIndex
CREATE INDEX "TrainingPair_userEmail_idx" ON "TrainingPair"("userEmail");

-- CreateIndex
CREATE INDEX "TrainingPair_instruction_idx" ON "TrainingPair"("instruction");

-- CreateIndex
CREATE INDEX "TrainingPair_createdAt_idx" ON "TrainingPair"("createdAt");

-- AddForeignKey
ALTER TABLE "EmbeddingSpace" ADD CONSTRAINT "EmbeddingSpace_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Embedding" ADD CONSTRAINT "Embedding_spaceId_fkey" FOREIGN KEY ("spaceId") REFERENCES "EmbeddingSpace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Embedding" ADD CONSTRAINT "Embedding_sampleId_fkey" FOREIGN KEY ("sampleId") REFERENCES "Sample"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Embedding" ADD CONSTRAINT "Embedding_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmbeddingRun" ADD CONSTRAINT "EmbeddingRun_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "DatasetVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmbeddingRun" ADD CONSTRAINT "EmbeddingRun_spaceId_fkey" FOREIGN KEY ("spaceId") REFERENCES "EmbeddingSpace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingPair" ADD CONSTRAINT "TrainingPair_originalSha256_fkey" FOREIGN KEY ("originalSha256") REFERENCES "Blob"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingPair" ADD CONSTRAINT "TrainingPair_transformedSha256_fkey" FOREIGN KEY ("transformedSha256") REFERENCES "Blob"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;
