import type { Prisma, PrismaClient, RetrainingPolicy as PolicyRow } from "../../generated/prisma/client";
import type { BlobReferences } from "../../blobs/blob-references";
import { blobVersionImages } from "../../datasets/edits/blob-samples";
import { editTransactionOptions } from "../../datasets/edits/write-edit";
import { prepare as prepareLabelPoolSamples } from "../../datasets/edits/label-pool-samples";
import { AppError, ErrorCode } from "../../errors";
import { PermanentJobError, TransientJobError } from "../../jobs/job-kind";
import { limits } from "../../limits";
import type { BlobStore } from "../../storage/blob-store";
import type { Viewer } from "../../users/access";
import {
  planChanges,
  planCorrections,
  planMessage,
  screenLabels,
  withoutRefusedImages,
  type BaseMember,
  type CorrectionCandidate,
  type CorrectionPlan,
  type SkippedCorrection,
} from "./correction-plan";
import { newestUsableFeedback } from "./usable-corrections";

type Transaction = Prisma.TransactionClient;
type Write = (tx: Transaction) => Promise<{ id: string }>;

/** Tries before a run whose corrections keep being taken by another run gives up for a while. */
const ATTEMPTS = 3;

export interface RunVersionDeps {
  prisma: PrismaClient;
  store: BlobStore;
  references: BlobReferences;
}

/** What the run did with the corrections, stored as `corrections` in its decision. */
export interface CorrectionsSummary {
  taken: number;
  relabelled: number;
  added: number;
  unchanged: number;
  /** Left out for good (a label no class can have, an image the dataset checks refuse). */
  skipped: SkippedCorrection[];
  /** True when more waited than one run takes (limits.retraining.correctionsPerRun). */
  capped: boolean;
}

interface Prepared {
  baseId: string;
  plan: CorrectionPlan;
  skipped: SkippedCorrection[];
  capped: boolean;
  write: Write | null;
}

/**
 * Step (a) of a run: the dataset's latest version plus the usable corrections (the newest
 * limits.retraining.correctionsPerRun), nothing else, as a new version; or the latest version
 * itself when they change nothing. Everything slow happens first, outside any transaction:
 * reading the corrections, screening their labels and decoding their new images. Then one
 * transaction, under the run row's lock, makes the version, marks the feedback used by it and
 * records version and summary on the run: a resumed (or duplicated) run finds the version
 * recorded and makes no second one, and a correction is never taken by two runs (a run that finds
 * one taken meanwhile, or a newer version, prepares again). A correction that cannot be used is
 * listed with its reason in the summary, which also keeps later runs from trying it again.
 */
export async function runDatasetVersion(
  deps: RunVersionDeps,
  runId: string,
  policy: PolicyRow,
  owner: Viewer,
): Promise<string> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const prepared = await prepare(deps, policy, owner);
    const versionId = await deps.prisma.$transaction(
      (tx) => commit(tx, runId, policy, prepared),
      editTransactionOptions,
    );
    if (versionId) return versionId;
  }
  throw new TransientJobError(
    "Other runs kept taking the same corrections or editing the dataset; the run tries again later",
    "BUSY",
  );
}

async function prepare(deps: RunVersionDeps, policy: PolicyRow, owner: Viewer): Promise<Prepared> {
  const base = await latestVersion(deps.prisma, policy.datasetId);
  const cap = limits.retraining.correctionsPerRun;
  const newest = await newestUsableFeedback(deps.prisma, policy.modelId, owner, cap);
  const labelled = screenLabels(newest);
  const members = await baseMembers(deps.prisma, base, labelled.kept);
  let candidates = labelled.kept;
  let plan = planCorrections(candidates, members);
  let write: Write | null = null;
  const skipped = [...labelled.skipped];
  if (planChanges(plan)) {
    try {
      write = await prepareLabelPoolSamples(deps.prisma, editOf(base, policy, plan, owner.id), deps);
    } catch (error) {
      if (!isImageRefusal(error)) throw error;
      // Some new image fails the dataset checks: find each one, then prepare without them.
      const refused = await refusedImages(
        deps,
        plan.additions.map((addition) => addition.sha256),
      );
      if (refused.size === 0) throw error;
      const screened = withoutRefusedImages(candidates, members, refused);
      candidates = screened.kept;
      skipped.push(...screened.skipped);
      plan = planCorrections(candidates, members);
      if (planChanges(plan)) {
        write = await prepareLabelPoolSamples(deps.prisma, editOf(base, policy, plan, owner.id), deps);
      }
    }
  }
  return { baseId: base, plan, skipped, capped: newest.length === cap, write };
}

/** The run's version, or null when the prepared plan went stale (prepare again). */
async function commit(
  tx: Transaction,
  runId: string,
  policy: PolicyRow,
  prepared: Prepared,
): Promise<string | null> {
  const [run] = await tx.$queryRaw<Array<{ datasetVersionId: string | null }>>`
    SELECT "datasetVersionId"::text AS "datasetVersionId" FROM "RetrainingRun" WHERE id = ${runId}::uuid FOR UPDATE`;
  if (!run) throw new PermanentJobError("The retraining policy was deleted, and its run with it", "DELETED");
  if (run.datasetVersionId) return run.datasetVersionId;
  if ((await latestVersion(tx, policy.datasetId)) !== prepared.baseId) return null;
  const { plan } = prepared;
  const free = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id::text FROM "Feedback"
    WHERE id = ANY(${plan.feedbackIds}::uuid[]) AND "usedInVersionId" IS NULL
    FOR UPDATE`;
  if (free.length !== plan.feedbackIds.length) return null;
  const versionId = prepared.write ? (await prepared.write(tx)).id : prepared.baseId;
  if (plan.feedbackIds.length > 0) {
    await tx.feedback.updateMany({
      where: { id: { in: plan.feedbackIds } },
      data: { usedInVersionId: versionId },
    });
  }
  const corrections: CorrectionsSummary = {
    taken: plan.feedbackIds.length,
    relabelled: plan.labels.length,
    added: plan.additions.length,
    unchanged: plan.unchanged,
    skipped: prepared.skipped,
    capped: prepared.capped,
  };
  await tx.retrainingRun.update({
    where: { id: runId },
    data: { datasetVersionId: versionId, decision: { corrections } as unknown as Prisma.InputJsonValue },
  });
  return versionId;
}

async function latestVersion(db: PrismaClient | Transaction, datasetId: string): Promise<string> {
  const latest = await db.datasetVersion.findFirst({
    where: { datasetId },
    orderBy: { number: "desc" },
    select: { id: true },
  });
  if (!latest) throw new PermanentJobError("The policy's dataset has no version any more", "DELETED");
  return latest.id;
}

function editOf(baseVersionId: string, policy: PolicyRow, plan: CorrectionPlan, createdById: string) {
  return {
    baseVersionId,
    labels: plan.labels.map(({ sampleId, label }) => ({ sampleId, className: label })),
    additions: plan.additions.map(({ sha256, label }) => ({ sha256, className: label })),
    message: planMessage(policy.name, plan),
    createdById,
  };
}

/** The dataset checks' refusal of one stored image (gone, not an image, too large, …). */
function isImageRefusal(error: unknown): error is AppError {
  return (
    error instanceof AppError &&
    error.code === ErrorCode.BAD_USER_INPUT &&
    typeof error.details.sha256 === "string"
  );
}

/** Each image checked on its own: sha256 → why the dataset checks refuse it. */
async function refusedImages(deps: RunVersionDeps, hashes: readonly string[]): Promise<Map<string, string>> {
  const refused = new Map<string, string>();
  for (const sha256 of new Set(hashes)) {
    try {
      await blobVersionImages(deps.prisma, deps.store, [{ sha256, className: null }]);
    } catch (error) {
      if (!isImageRefusal(error)) throw error;
      refused.set(sha256, error.message);
    }
  }
  return refused;
}

/** The base's samples (labelled or pooled) that the corrections name by id or by content. */
async function baseMembers(
  prisma: PrismaClient,
  baseVersionId: string,
  candidates: readonly CorrectionCandidate[],
): Promise<BaseMember[]> {
  const ids = candidates.map((c) => c.sampleId).filter((id): id is string => !!id);
  const hashes = candidates.map((c) => c.sha256).filter((sha): sha is string => !!sha);
  return prisma.$queryRaw<BaseMember[]>`
    SELECT vs."sampleId"::text AS "sampleId", s.sha256, c.name AS label
    FROM "VersionSample" vs JOIN "Sample" s ON s.id = vs."sampleId" JOIN "DatasetClass" c ON c.id = vs."classId"
    WHERE vs."versionId" = ${baseVersionId}::uuid AND (vs."sampleId" = ANY(${ids}::uuid[]) OR s.sha256 = ANY(${hashes}::text[]))
    UNION ALL
    SELECT u."sampleId"::text AS "sampleId", s.sha256, NULL AS label
    FROM "UnlabeledSample" u JOIN "Sample" s ON s.id = u."sampleId"
    WHERE u."versionId" = ${baseVersionId}::uuid AND (u."sampleId" = ANY(${ids}::uuid[]) OR s.sha256 = ANY(${hashes}::text[]))`;
}
