-- CreateEnum
CREATE TYPE "SceneFormat" AS ENUM ('BLENDER', 'INSTANT_NGP', 'NERFSTUDIO', 'COLMAP');

-- CreateEnum
CREATE TYPE "FrameSplit" AS ENUM ('TRAIN', 'VAL', 'TEST');

-- CreateEnum
CREATE TYPE "ReconstructionMethod" AS ENUM ('RADIANCE_FIELD', 'DEPTH_MESH', 'TEXT_TO_3D', 'IMAGE_TO_3D');

-- CreateEnum
CREATE TYPE "ReconstructionArtifactKind" AS ENUM ('MESH_GLB', 'POINT_CLOUD_PLY', 'RENDER_PNG', 'TURNTABLE_PNG', 'PREVIEW_PNG');

-- AlterEnum
ALTER TYPE "ModelType" ADD VALUE 'IMAGE_TO_3D';

-- CreateTable
CREATE TABLE "Scene" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "public" BOOLEAN NOT NULL DEFAULT false,
    "background" TEXT NOT NULL DEFAULT '#ffffff',
    "format" "SceneFormat" NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "frameCount" INTEGER NOT NULL,
    "boundsMin" DOUBLE PRECISION[],
    "boundsMax" DOUBLE PRECISION[],
    "aabbScale" DOUBLE PRECISION,
    "sizeBytes" BIGINT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Scene_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SceneFrame" (
    "id" UUID NOT NULL,
    "sceneId" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "filePath" TEXT NOT NULL,
    "split" "FrameSplit" NOT NULL,
    "sha256" TEXT NOT NULL,
    "thumbnailSha256" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "cameraModel" TEXT NOT NULL DEFAULT 'PINHOLE',
    "fx" DOUBLE PRECISION NOT NULL,
    "fy" DOUBLE PRECISION NOT NULL,
    "cx" DOUBLE PRECISION NOT NULL,
    "cy" DOUBLE PRECISION NOT NULL,
    "k1" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "k2" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "p1" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "p2" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "transform" DOUBLE PRECISION[],

    CONSTRAINT "SceneFrame_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reconstruction" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "method" "ReconstructionMethod" NOT NULL,
    "sceneId" UUID,
    "modelVersionId" UUID,
    "inputSha256" TEXT,
    "inputSampleId" UUID,
    "prompt" TEXT,
    "settings" JSONB NOT NULL,
    "metrics" JSONB,
    "vertexCount" INTEGER,
    "triangleCount" INTEGER,
    "meshBoundsMin" DOUBLE PRECISION[],
    "meshBoundsMax" DOUBLE PRECISION[],
    "checkpointSha256" TEXT,
    "checkpointStep" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Reconstruction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReconstructionArtifact" (
    "id" UUID NOT NULL,
    "reconstructionId" UUID NOT NULL,
    "kind" "ReconstructionArtifactKind" NOT NULL,
    "sha256" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "contentType" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "frame" INTEGER,
    "step" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReconstructionArtifact_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Scene_ownerId_createdAt_idx" ON "Scene"("ownerId", "createdAt");

-- CreateIndex
CREATE INDEX "SceneFrame_sha256_idx" ON "SceneFrame"("sha256");

-- CreateIndex
CREATE INDEX "SceneFrame_thumbnailSha256_idx" ON "SceneFrame"("thumbnailSha256");

-- CreateIndex
CREATE UNIQUE INDEX "SceneFrame_sceneId_index_key" ON "SceneFrame"("sceneId", "index");

-- CreateIndex
CREATE INDEX "Reconstruction_ownerId_createdAt_idx" ON "Reconstruction"("ownerId", "createdAt");

-- CreateIndex
CREATE INDEX "Reconstruction_sceneId_idx" ON "Reconstruction"("sceneId");

-- CreateIndex
CREATE INDEX "Reconstruction_inputSha256_idx" ON "Reconstruction"("inputSha256");

-- CreateIndex
CREATE INDEX "Reconstruction_checkpointSha256_idx" ON "Reconstruction"("checkpointSha256");

-- CreateIndex
CREATE INDEX "ReconstructionArtifact_reconstructionId_kind_idx" ON "ReconstructionArtifact"("reconstructionId", "kind");

-- CreateIndex
CREATE INDEX "ReconstructionArtifact_sha256_idx" ON "ReconstructionArtifact"("sha256");

-- AddForeignKey
ALTER TABLE "Scene" ADD CONSTRAINT "Scene_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SceneFrame" ADD CONSTRAINT "SceneFrame_sceneId_fkey" FOREIGN KEY ("sceneId") REFERENCES "Scene"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SceneFrame" ADD CONSTRAINT "SceneFrame_sha256_fkey" FOREIGN KEY ("sha256") REFERENCES "Blob"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SceneFrame" ADD CONSTRAINT "SceneFrame_thumbnailSha256_fkey" FOREIGN KEY ("thumbnailSha256") REFERENCES "Blob"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reconstruction" ADD CONSTRAINT "Reconstruction_id_fkey" FOREIGN KEY ("id") REFERENCES "Job"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reconstruction" ADD CONSTRAINT "Reconstruction_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reconstruction" ADD CONSTRAINT "Reconstruction_sceneId_fkey" FOREIGN KEY ("sceneId") REFERENCES "Scene"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reconstruction" ADD CONSTRAINT "Reconstruction_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reconstruction" ADD CONSTRAINT "Reconstruction_inputSha256_fkey" FOREIGN KEY ("inputSha256") REFERENCES "Blob"("sha256") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reconstruction" ADD CONSTRAINT "Reconstruction_checkpointSha256_fkey" FOREIGN KEY ("checkpointSha256") REFERENCES "Blob"("sha256") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReconstructionArtifact" ADD CONSTRAINT "ReconstructionArtifact_reconstructionId_fkey" FOREIGN KEY ("reconstructionId") REFERENCES "Reconstruction"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReconstructionArtifact" ADD CONSTRAINT "ReconstructionArtifact_sha256_fkey" FOREIGN KEY ("sha256") REFERENCES "Blob"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;
