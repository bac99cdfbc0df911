import type { Prisma, PrismaClient, RetrainingPolicy as PolicyRow } from "../../generated/prisma/client";
import type { BlobReferences } from "../../blobs/blob-references";
import { editTransactionOptions } from "../../datasets/edits/write-edit";
import { labelPoolSamplesIn } from "../../datasets/edits/label-pool-samples";
import { PermanentJobError } from "../../jobs/job-kind";
import { limits } from "../../limits";
import type { BlobStore } from "../../storage/blob-store";
import { planCorrections, planMessage, type BaseMember, type CorrectionCandidate } from "./correction-plan";

type Transaction = Prisma.TransactionClient;

export interface RunVersionDeps {
  prisma: PrismaClient;
  store: BlobStore;
  references: BlobReferences;
}

/**
 * Step (a) of a run: the dataset's latest version plus the accepted corrections, nothing else, as
 * a new version; or the latest version itself when the corrections change nothing. One transaction
 * makes the version, marks the feedback used by it and records it on the run, under the run row's
 * lock: a resumed (or duplicated) run finds the version recorded and makes no second one, and a
 * correction is never taken by two runs.
 */
export async function runDatasetVersion(
  deps: RunVersionDeps,
  runId: string,
  policy: PolicyRow,
  createdById: string,
): Promise<string> {
  return deps.prisma.$transaction(async (tx) => {
    const [run] = await tx.$queryRaw<Array<{ datasetVersionId: string | null }>>`
      SELECT "datasetVersionId"::text AS "datasetVersionId" FROM "RetrainingRun" WHERE id = ${runId}::uuid FOR UPDATE`;
    if (!run)
      throw new PermanentJobError("The retraining policy was deleted, and its run with it", "DELETED");
    if (run.datasetVersionId) return run.datasetVersionId;
    const base = await tx.datasetVersion.findFirst({
      where: { datasetId: policy.datasetId },
      orderBy: { number: "desc" },
      select: { id: true },
    });
    if (!base) throw new PermanentJobError("The policy's dataset has no version any more", "DELETED");
    const candidates = await stored(deps.store, await lockUnusedCorrections(tx, policy.modelId));
    const plan = planCorrections(candidates, await baseMembers(tx, base.id, candidates));
    let versionId = base.id;
    if (plan.labels.length > 0 || plan.additions.length > 0) {
      const version = await labelPoolSamplesIn(
        tx,
        {
          baseVersionId: base.id,
          labels: plan.labels.map(({ sampleId, label }) => ({ sampleId, className: label })),
          additions: plan.additions.map(({ sha256, label }) => ({ sha256, className: label })),
          message: planMessage(policy.name, plan),
          createdById,
        },
        { store: deps.store, references: deps.references },
      );
      versionId = version.id;
    }
    if (plan.feedbackIds.length > 0) {
      await tx.feedback.updateMany({
        where: { id: { in: plan.feedbackIds } },
        data: { usedInVersionId: versionId },
      });
    }
    await tx.retrainingRun.update({ where: { id: runId }, data: { datasetVersionId: versionId } });
    return versionId;
  }, editTransactionOptions);
}

/**
 * The model's unused corrections, oldest first, locked: a second run (of another policy on the
 * same model) waits here and then finds them used. At most one edit's worth (each sample is a bind
 * parameter); the rest wait for the next run.
 */
async function lockUnusedCorrections(tx: Transaction, modelId: string): Promise<CorrectionCandidate[]> {
  return tx.$queryRaw<CorrectionCandidate[]>`
    SELECT f.id::text AS "feedbackId", f."correctLabel" AS label, p."sampleId"::text AS "sampleId",
           coalesce(p."imageSha256", s.sha256) AS sha256
    FROM "Feedback" f
    JOIN "Prediction" p ON p.id = f."predictionId"
    JOIN "ModelVersion" v ON v.id = p."modelVersionId"
    LEFT JOIN "Sample" s ON s.id = p."sampleId"
    WHERE v."modelId" = ${modelId}::uuid AND f."correctLabel" IS NOT NULL AND f."usedInVersionId" IS NULL
      AND (p."sampleId" IS NOT NULL OR p."imageSha256" IS NOT NULL)
    ORDER BY f."createdAt", f.id
    LIMIT ${limits.datasetItemsPerRequest}
    FOR UPDATE OF f`;
}

/** Leaves out corrections whose image the store no longer has (they stay unused). */
async function stored(store: BlobStore, candidates: CorrectionCandidate[]): Promise<CorrectionCandidate[]> {
  const present = new Map<string, boolean>();
  for (const sha256 of new Set(candidates.map((c) => c.sha256).filter((sha): sha is string => !!sha))) {
    present.set(sha256, (await store.stat(sha256)) !== null);
  }
  return candidates.filter((candidate) => candidate.sha256 && present.get(candidate.sha256));
}

/** The base's samples (labelled or pooled) that the corrections name by id or by content. */
async function baseMembers(
  tx: Transaction,
  baseVersionId: string,
  candidates: readonly CorrectionCandidate[],
): Promise<BaseMember[]> {
  const ids = candidates.map((c) => c.sampleId).filter((id): id is string => !!id);
  const hashes = candidates.map((c) => c.sha256).filter((sha): sha is string => !!sha);
  return tx.$queryRaw<BaseMember[]>`
    SELECT vs."sampleId"::text AS "sampleId", s.sha256, c.name AS label
    FROM "VersionSample" vs JOIN "Sample" s ON s.id = vs."sampleId" JOIN "DatasetClass" c ON c.id = vs."classId"
    WHERE vs."versionId" = ${baseVersionId}::uuid AND (vs."sampleId" = ANY(${ids}::uuid[]) OR s.sha256 = ANY(${hashes}::text[]))
    UNION ALL
    SELECT u."sampleId"::text AS "sampleId", s.sha256, NULL AS label
    FROM "UnlabeledSample" u JOIN "Sample" s ON s.id = u."sampleId"
    WHERE u."versionId" = ${baseVersionId}::uuid AND (u."sampleId" = ANY(${ids}::uuid[]) OR s.sha256 = ANY(${hashes}::text[]))`;
}
