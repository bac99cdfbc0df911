-- CreateIndex
CREATE INDEX "Feedback_usedInVersionId_idx" ON "Feedback"("usedInVersionId");

-- CreateIndex
CREATE INDEX "LabelingItem_sampleId_idx" ON "LabelingItem"("sampleId");

-- CreateIndex
CREATE INDEX "LabelingItem_predictionId_idx" ON "LabelingItem"("predictionId");

-- CreateIndex
CREATE INDEX "Prediction_sampleId_idx" ON "Prediction"("sampleId");
