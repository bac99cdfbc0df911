-- CreateEnum
CREATE TYPE "EnsembleBlend" AS ENUM ('CONFIDENCE_WEIGHTED', 'MAX', 'AVERAGE', 'VOTE');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "Framework" ADD VALUE 'ENSEMBLE';
ALTER TYPE "Framework" ADD VALUE 'REMOTE';

-- AlterTable
ALTER TABLE "ModelVersion" ADD COLUMN     "ensembleBlend" "EnsembleBlend",
ADD COLUMN     "importedPackage" JSONB,
ADD COLUMN     "memberTimeoutMs" INTEGER;

-- CreateTable
CREATE TABLE "EnsembleMember" (
    "id" UUID NOT NULL,
    "ensembleId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "isFallback" BOOLEAN NOT NULL DEFAULT false,
    "weight" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "memberVersionId" UUID,
    "aliasModelId" UUID,
    "alias" TEXT,

    CONSTRAINT "EnsembleMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RemoteEndpoint" (
    "modelVersionId" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "remoteModel" TEXT NOT NULL,
    "secretCiphertext" BYTEA,
    "timeoutMs" INTEGER NOT NULL,
    "perMinute" INTEGER,
    "perHour" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RemoteEndpoint_pkey" PRIMARY KEY ("modelVersionId")
);

-- CreateTable
CREATE TABLE "ServingStat" (
    "id" UUID NOT NULL,
    "modelVersionId" UUID NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "requests" INTEGER NOT NULL,
    "errors" JSONB NOT NULL,
    "cacheHits" INTEGER NOT NULL,
    "cacheMisses" INTEGER NOT NULL,
    "fallbacks" INTEGER NOT NULL,
    "degraded" INTEGER NOT NULL,
    "servedBy" JSONB NOT NULL,
    "latency" JSONB NOT NULL,
    "batchSizes" JSONB NOT NULL,

    CONSTRAINT "ServingStat_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EnsembleMember_memberVersionId_idx" ON "EnsembleMember"("memberVersionId");

-- CreateIndex
CREATE INDEX "EnsembleMember_aliasModelId_idx" ON "EnsembleMember"("aliasModelId");

-- CreateIndex
CREATE UNIQUE INDEX "EnsembleMember_ensembleId_position_key" ON "EnsembleMember"("ensembleId", "position");

-- CreateIndex
CREATE INDEX "ServingStat_modelVersionId_minute_idx" ON "ServingStat"("modelVersionId", "minute");

-- CreateIndex
CREATE INDEX "ServingStat_minute_idx" ON "ServingStat"("minute");

-- AddForeignKey
ALTER TABLE "EnsembleMember" ADD CONSTRAINT "EnsembleMember_ensembleId_fkey" FOREIGN KEY ("ensembleId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnsembleMember" ADD CONSTRAINT "EnsembleMember_memberVersionId_fkey" FOREIGN KEY ("memberVersionId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnsembleMember" ADD CONSTRAINT "EnsembleMember_aliasModelId_fkey" FOREIGN KEY ("aliasModelId") REFERENCES "Model"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RemoteEndpoint" ADD CONSTRAINT "RemoteEndpoint_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServingStat" ADD CONSTRAINT "ServingStat_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;
