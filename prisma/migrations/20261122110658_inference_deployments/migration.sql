-- CreateEnum
CREATE TYPE "DeploymentState" AS ENUM ('LOADING', 'READY', 'FAILED', 'UNLOADING');

-- CreateTable
CREATE TABLE "Deployment" (
    "id" UUID NOT NULL,
    "modelVersionId" UUID NOT NULL,
    "alias" TEXT,
    "config" JSONB NOT NULL,
    "state" "DeploymentState" NOT NULL DEFAULT 'LOADING',
    "reason" TEXT,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Deployment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InferenceArtifact" (
    "id" UUID NOT NULL,
    "ownerId" UUID,
    "sha256" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "InferenceArtifact_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Deployment_modelVersionId_key" ON "Deployment"("modelVersionId");

-- CreateIndex
CREATE INDEX "InferenceArtifact_expiresAt_idx" ON "InferenceArtifact"("expiresAt");

-- CreateIndex
CREATE INDEX "InferenceArtifact_sha256_idx" ON "InferenceArtifact"("sha256");

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InferenceArtifact" ADD CONSTRAINT "InferenceArtifact_sha256_fkey" FOREIGN KEY ("sha256") REFERENCES "Blob"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;
