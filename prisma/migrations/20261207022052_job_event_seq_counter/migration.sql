-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "lastSeq" INTEGER NOT NULL DEFAULT 0;

-- Jobs that have events continue after their last seq.
UPDATE "Job" j SET "lastSeq" = e.seq
FROM (SELECT "jobId", max(seq) AS seq FROM "JobEvent" GROUP BY "jobId") e
WHERE e."jobId" = j."id";
