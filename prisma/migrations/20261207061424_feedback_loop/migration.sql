-- CreateEnum
CREATE TYPE "PredictionSource" AS ENUM ('SERVING', 'LABELING');

-- CreateEnum
CREATE TYPE "FeedbackSource" AS ENUM ('API', 'PLAYGROUND', 'LABELING');

-- CreateEnum
CREATE TYPE "LabelingStrategy" AS ENUM ('LEAST_CONFIDENCE', 'MARGIN', 'ENTROPY', 'RANDOM');

-- CreateEnum
CREATE TYPE "LabelingDiversity" AS ENUM ('NONE', 'KCENTER', 'CLUSTER');

-- AlterTable
ALTER TABLE "DatasetVersion" ADD COLUMN     "unlabeledCount" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "TrainingJob" ADD COLUMN     "report" JSONB;

-- CreateTable
CREATE TABLE "UnlabeledSample" (
    "versionId" UUID NOT NULL,
    "sampleId" UUID NOT NULL,
    "split" TEXT,
    "metadata" JSONB,

    CONSTRAINT "UnlabeledSample_pkey" PRIMARY KEY ("versionId","sampleId")
);

-- CreateTable
CREATE TABLE "QualityDismissal" (
    "id" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT,
    "dismissedById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QualityDismissal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Prediction" (
    "id" UUID NOT NULL,
    "modelVersionId" UUID NOT NULL,
    "source" "PredictionSource" NOT NULL DEFAULT 'SERVING',
    "requestedById" UUID,
    "sampleId" UUID,
    "imageSha256" TEXT,
    "labels" TEXT[],
    "scores" DOUBLE PRECISION[],
    "latencyMs" DOUBLE PRECISION NOT NULL,
    "embeddingKey" TEXT,
    "embedding" DOUBLE PRECISION[] DEFAULT ARRAY[]::DOUBLE PRECISION[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3),

    CONSTRAINT "Prediction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Feedback" (
    "id" UUID NOT NULL,
    "predictionId" UUID NOT NULL,
    "correctLabel" TEXT,
    "isCorrect" BOOLEAN NOT NULL,
    "note" TEXT,
    "source" "FeedbackSource" NOT NULL DEFAULT 'API',
    "createdById" UUID NOT NULL,
    "usedInVersionId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FeedbackAdjustment" (
    "modelVersionId" UUID NOT NULL,
    "method" TEXT NOT NULL,
    "parameters" JSONB NOT NULL,
    "feedbackCount" INTEGER NOT NULL,
    "accuracyBefore" DOUBLE PRECISION NOT NULL,
    "accuracyAfter" DOUBLE PRECISION NOT NULL,
    "active" BOOLEAN NOT NULL,
    "fittedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FeedbackAdjustment_pkey" PRIMARY KEY ("modelVersionId")
);

-- CreateTable
CREATE TABLE "LabelingBatch" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "modelVersionId" UUID NOT NULL,
    "datasetVersionId" UUID,
    "predictionsOfId" UUID,
    "strategy" "LabelingStrategy" NOT NULL,
    "diversity" "LabelingDiversity" NOT NULL,
    "size" INTEGER NOT NULL,
    "randomShare" DOUBLE PRECISION NOT NULL,
    "seed" INTEGER NOT NULL,
    "resultVersionId" UUID,
    "submittedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LabelingBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LabelingItem" (
    "id" UUID NOT NULL,
    "batchId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "sampleId" UUID,
    "predictionId" UUID,
    "uncertainty" DOUBLE PRECISION NOT NULL,
    "random" BOOLEAN NOT NULL,
    "label" TEXT,

    CONSTRAINT "LabelingItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RetrainingPolicy" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "modelId" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "name" TEXT,
    "trainingTemplate" JSONB NOT NULL,
    "triggers" JSONB NOT NULL,
    "cooldownSeconds" INTEGER NOT NULL,
    "promoteAlias" TEXT NOT NULL,
    "mustBeatChampionBy" DOUBLE PRECISION NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "nextScheduledAt" TIMESTAMPTZ(3),
    "lastEvaluatedAt" TIMESTAMPTZ(3),
    "lastFiredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RetrainingPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PolicyEvaluation" (
    "id" UUID NOT NULL,
    "policyId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dryRun" BOOLEAN NOT NULL DEFAULT false,
    "fired" BOOLEAN NOT NULL,
    "reasons" JSONB NOT NULL,
    "metrics" JSONB NOT NULL,

    CONSTRAINT "PolicyEvaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RetrainingRun" (
    "id" UUID NOT NULL,
    "policyId" UUID NOT NULL,
    "evaluationId" UUID,
    "datasetVersionId" UUID,
    "trainingJobId" UUID,
    "championVersionId" UUID,
    "challengerVersionId" UUID,
    "decision" JSONB,
    "promoted" BOOLEAN,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "RetrainingRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UnlabeledSample_sampleId_idx" ON "UnlabeledSample"("sampleId");

-- CreateIndex
CREATE UNIQUE INDEX "QualityDismissal_versionId_kind_key" ON "QualityDismissal"("versionId", "kind");

-- CreateIndex
CREATE INDEX "Prediction_modelVersionId_createdAt_idx" ON "Prediction"("modelVersionId", "createdAt");

-- CreateIndex
CREATE INDEX "Prediction_requestedById_createdAt_idx" ON "Prediction"("requestedById", "createdAt");

-- CreateIndex
CREATE INDEX "Prediction_expiresAt_idx" ON "Prediction"("expiresAt");

-- CreateIndex
CREATE INDEX "Prediction_imageSha256_idx" ON "Prediction"("imageSha256");

-- CreateIndex
CREATE UNIQUE INDEX "Feedback_predictionId_key" ON "Feedback"("predictionId");

-- CreateIndex
CREATE INDEX "Feedback_createdAt_idx" ON "Feedback"("createdAt");

-- CreateIndex
CREATE INDEX "LabelingBatch_ownerId_createdAt_idx" ON "LabelingBatch"("ownerId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "LabelingItem_batchId_position_key" ON "LabelingItem"("batchId", "position");

-- CreateIndex
CREATE INDEX "RetrainingPolicy_ownerId_createdAt_idx" ON "RetrainingPolicy"("ownerId", "createdAt");

-- CreateIndex
CREATE INDEX "PolicyEvaluation_policyId_at_idx" ON "PolicyEvaluation"("policyId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "RetrainingRun_evaluationId_key" ON "RetrainingRun"("evaluationId");

-- CreateIndex
CREATE UNIQUE INDEX "RetrainingRun_trainingJobId_key" ON "RetrainingRun"("trainingJobId");

-- CreateIndex
CREATE INDEX "RetrainingRun_policyId_createdAt_idx" ON "RetrainingRun"("policyId", "createdAt");

-- AddForeignKey
ALTER TABLE "UnlabeledSample" ADD CONSTRAINT "UnlabeledSample_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "DatasetVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UnlabeledSample" ADD CONSTRAINT "UnlabeledSample_sampleId_fkey" FOREIGN KEY ("sampleId") REFERENCES "Sample"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QualityDismissal" ADD CONSTRAINT "QualityDismissal_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "DatasetVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_sampleId_fkey" FOREIGN KEY ("sampleId") REFERENCES "Sample"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_imageSha256_fkey" FOREIGN KEY ("imageSha256") REFERENCES "Blob"("sha256") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_predictionId_fkey" FOREIGN KEY ("predictionId") REFERENCES "Prediction"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeedbackAdjustment" ADD CONSTRAINT "FeedbackAdjustment_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabelingBatch" ADD CONSTRAINT "LabelingBatch_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabelingBatch" ADD CONSTRAINT "LabelingBatch_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabelingBatch" ADD CONSTRAINT "LabelingBatch_datasetVersionId_fkey" FOREIGN KEY ("datasetVersionId") REFERENCES "DatasetVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabelingItem" ADD CONSTRAINT "LabelingItem_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "LabelingBatch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabelingItem" ADD CONSTRAINT "LabelingItem_sampleId_fkey" FOREIGN KEY ("sampleId") REFERENCES "Sample"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabelingItem" ADD CONSTRAINT "LabelingItem_predictionId_fkey" FOREIGN KEY ("predictionId") REFERENCES "Prediction"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RetrainingPolicy" ADD CONSTRAINT "RetrainingPolicy_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RetrainingPolicy" ADD CONSTRAINT "RetrainingPolicy_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RetrainingPolicy" ADD CONSTRAINT "RetrainingPolicy_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PolicyEvaluation" ADD CONSTRAINT "PolicyEvaluation_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "RetrainingPolicy"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RetrainingRun" ADD CONSTRAINT "RetrainingRun_id_fkey" FOREIGN KEY ("id") REFERENCES "Job"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RetrainingRun" ADD CONSTRAINT "RetrainingRun_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "RetrainingPolicy"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RetrainingRun" ADD CONSTRAINT "RetrainingRun_evaluationId_fkey" FOREIGN KEY ("evaluationId") REFERENCES "PolicyEvaluation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RetrainingRun" ADD CONSTRAINT "RetrainingRun_trainingJobId_fkey" FOREIGN KEY ("trainingJobId") REFERENCES "TrainingJob"("id") ON DELETE SET NULL ON UPDATE CASCADE;
