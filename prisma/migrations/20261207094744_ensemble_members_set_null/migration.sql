-- DropForeignKey
ALTER TABLE "EnsembleMember" DROP CONSTRAINT "EnsembleMember_aliasModelId_fkey";

-- DropForeignKey
ALTER TABLE "EnsembleMember" DROP CONSTRAINT "EnsembleMember_memberVersionId_fkey";

-- AddForeignKey
ALTER TABLE "EnsembleMember" ADD CONSTRAINT "EnsembleMember_memberVersionId_fkey" FOREIGN KEY ("memberVersionId") REFERENCES "ModelVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnsembleMember" ADD CONSTRAINT "EnsembleMember_aliasModelId_fkey" FOREIGN KEY ("aliasModelId") REFERENCES "Model"("id") ON DELETE SET NULL ON UPDATE CASCADE;
