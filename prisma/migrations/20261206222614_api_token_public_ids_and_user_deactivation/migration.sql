-- AlterTable
-- Tokens issued before `tsr_<publicId>_<secret>` keep working through "tokenHash" (sha256 of the
-- whole token). They get a public id of their own, and the prefix cut from their secret goes.
ALTER TABLE "ApiToken" DROP COLUMN "prefix",
ADD COLUMN     "publicId" TEXT,
ADD COLUMN     "secretHash" TEXT,
ALTER COLUMN "tokenHash" DROP NOT NULL;

UPDATE "ApiToken" SET "publicId" = substr(replace(gen_random_uuid()::text, '-', ''), 1, 12);

ALTER TABLE "ApiToken" ALTER COLUMN "publicId" SET NOT NULL;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "deactivatedAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_publicId_key" ON "ApiToken"("publicId");
