-- CreateEnum
CREATE TYPE "ProjectionMethod" AS ENUM ('PCA', 'UMAP');

-- CreateTable
CREATE TABLE "EmbeddingMap" (
    "id" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "spaceId" UUID NOT NULL,
    "method" "ProjectionMethod" NOT NULL,
    "jobId" UUID,
    "pointCount" INTEGER NOT NULL DEFAULT 0,
    "sampleIds" UUID[],
    "coordinates" BYTEA,
    "details" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "computedAt" TIMESTAMPTZ(3),

    CONSTRAINT "EmbeddingMap_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "EmbeddingMap_jobId_key" ON "EmbeddingMap"("jobId");

-- CreateIndex
CREATE INDEX "EmbeddingMap_spaceId_idx" ON "EmbeddingMap"("spaceId");

-- CreateIndex
CREATE UNIQUE INDEX "EmbeddingMap_versionId_spaceId_method_key" ON "EmbeddingMap"("versionId", "spaceId", "method");

-- CreateIndex
CREATE INDEX "Sample_datasetId_originalPath_id_idx" ON "Sample"("datasetId", "originalPath", "id");

-- AddForeignKey
ALTER TABLE "EmbeddingMap" ADD CONSTRAINT "EmbeddingMap_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "DatasetVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmbeddingMap" ADD CONSTRAINT "EmbeddingMap_spaceId_fkey" FOREIGN KEY ("spaceId") REFERENCES "EmbeddingSpace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmbeddingMap" ADD CONSTRAINT "EmbeddingMap_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job"("id") ON DELETE SET NULL ON UPDATE CASCADE;
