-- CreateEnum
CREATE TYPE "DatasetVersionSource" AS ENUM ('ZIP', 'CSV', 'EDIT', 'IMPORT');

-- CreateTable
CREATE TABLE "Dataset" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "tags" TEXT[],
    "isPublic" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetVersion" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "parentId" UUID,
    "source" "DatasetVersionSource" NOT NULL,
    "message" TEXT,
    "createdById" UUID NOT NULL,
    "imageCount" INTEGER NOT NULL,
    "classCount" INTEGER NOT NULL,
    "skipped" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DatasetVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetClass" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DatasetClass_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Sample" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "sha256" TEXT NOT NULL,
    "thumbnailSha256" TEXT,
    "originalPath" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "format" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "perceptualHash" TEXT NOT NULL,
    "blurScore" DOUBLE PRECISION NOT NULL,
    "meanLuma" DOUBLE PRECISION NOT NULL,
    "clippedDarkFraction" DOUBLE PRECISION NOT NULL,
    "clippedBrightFraction" DOUBLE PRECISION NOT NULL,
    "frameCount" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Sample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VersionSample" (
    "versionId" UUID NOT NULL,
    "sampleId" UUID NOT NULL,
    "classId" UUID NOT NULL,
    "split" TEXT,
    "metadata" JSONB,

    CONSTRAINT "VersionSample_pkey" PRIMARY KEY ("versionId","sampleId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Dataset_ownerId_name_key" ON "Dataset"("ownerId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetVersion_datasetId_number_key" ON "DatasetVersion"("datasetId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetClass_datasetId_name_key" ON "DatasetClass"("datasetId", "name");

-- CreateIndex
CREATE INDEX "Sample_datasetId_sha256_idx" ON "Sample"("datasetId", "sha256");

-- CreateIndex
CREATE INDEX "Sample_sha256_idx" ON "Sample"("sha256");

-- CreateIndex
CREATE INDEX "Sample_thumbnailSha256_idx" ON "Sample"("thumbnailSha256");

-- CreateIndex
CREATE INDEX "VersionSample_versionId_classId_idx" ON "VersionSample"("versionId", "classId");

-- CreateIndex
CREATE INDEX "VersionSample_sampleId_idx" ON "VersionSample"("sampleId");

-- AddForeignKey
ALTER TABLE "Dataset" ADD CONSTRAINT "Dataset_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetVersion" ADD CONSTRAINT "DatasetVersion_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetClass" ADD CONSTRAINT "DatasetClass_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Sample" ADD CONSTRAINT "Sample_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Sample" ADD CONSTRAINT "Sample_sha256_fkey" FOREIGN KEY ("sha256") REFERENCES "Blob"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Sample" ADD CONSTRAINT "Sample_thumbnailSha256_fkey" FOREIGN KEY ("thumbnailSha256") REFERENCES "Blob"("sha256") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VersionSample" ADD CONSTRAINT "VersionSample_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "DatasetVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VersionSample" ADD CONSTRAINT "VersionSample_sampleId_fkey" FOREIGN KEY ("sampleId") REFERENCES "Sample"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VersionSample" ADD CONSTRAINT "VersionSample_classId_fkey" FOREIGN KEY ("classId") REFERENCES "DatasetClass"("id") ON DELETE CASCADE ON UPDATE CASCADE;
