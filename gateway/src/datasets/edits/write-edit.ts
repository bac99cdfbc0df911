import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import { badInput } from "../../errors";
import { lockDataset } from "../ingest/create-version";
import type { LayoutSkip } from "../ingest/archive-layout";

type Transaction = Prisma.TransactionClient;

export interface EditedDataset {
  id: string;
  ownerId: string;
  name: string;
}

export interface Edit {
  dataset: EditedDataset;
  /** The version the edit starts from; null: the dataset's latest, read under the lock. */
  baseVersionId: string | null;
  userId: string;
  message: string;
  skipped?: readonly LayoutSkip[];
  /** Samples of the base's unlabeled pool the new version leaves out (deleted). */
  poolWithout?: readonly string[];
  /**
   * Fills the new version's memberships from the base's, in SQL. The new version row exists;
   * its counts are set from what this leaves. The base's unlabeled pool is carried over after it,
   * less the samples `fill` gave a class.
   */
  fill(tx: Transaction, versionId: string, baseVersionId: string): Promise<void>;
}

/** The lock may wait for an upload's transaction to finish. */
export const editTransactionOptions = { maxWait: 10_000, timeout: 120_000 };

/**
 * Writes an edit as a new immutable version (source EDIT, parent = its base, number = max + 1) in
 * one transaction under the dataset's advisory lock, the same one uploads take, so an edit and an
 * upload at once get consecutive numbers. The base and every older version are never touched.
 */
export function writeEdit(prisma: PrismaClient, edit: Edit) {
  return prisma.$transaction((tx) => writeEditIn(tx, edit), editTransactionOptions);
}

/** writeEdit inside a transaction the caller holds (and commits with its own rows). */
export async function writeEditIn(tx: Transaction, edit: Edit) {
  await lockDataset(tx, edit.dataset.ownerId, edit.dataset.name);
  const latest = await tx.datasetVersion.findFirst({
    where: { datasetId: edit.dataset.id },
    orderBy: { number: "desc" },
    select: { id: true, number: true },
  });
  if (!latest) throw badInput(`Dataset ${edit.dataset.id} has no version to edit yet: upload one first`);
  const baseVersionId = edit.baseVersionId ?? latest.id;
  const created = await tx.datasetVersion.create({
    data: {
      datasetId: edit.dataset.id,
      number: latest.number + 1,
      parentId: baseVersionId,
      source: "EDIT",
      message: edit.message,
      createdById: edit.userId,
      imageCount: 0,
      classCount: 0,
      skipped: (edit.skipped ?? []).map(({ path, reason }) => ({ path, reason })),
    },
    select: { id: true },
  });
  await edit.fill(tx, created.id, baseVersionId);
  await carryPool(tx, created.id, baseVersionId, edit.poolWithout ?? []);
  const [counts] = await tx.$queryRaw<Array<{ images: number; classes: number; unlabeled: number }>>`
    SELECT count(*)::int AS images, count(DISTINCT "classId")::int AS classes,
           (SELECT count(*)::int FROM "UnlabeledSample" WHERE "versionId" = ${created.id}::uuid) AS unlabeled
    FROM "VersionSample" WHERE "versionId" = ${created.id}::uuid`;
  return tx.datasetVersion.update({
    where: { id: created.id },
    data: {
      imageCount: counts?.images ?? 0,
      classCount: counts?.classes ?? 0,
      unlabeledCount: counts?.unlabeled ?? 0,
    },
  });
}

/**
 * Copies the base's unlabeled pool into the new version, leaving out `without` and every sample
 * the new version already holds under a class: a sample is never labelled and unlabeled at once.
 */
async function carryPool(
  tx: Transaction,
  versionId: string,
  baseVersionId: string,
  without: readonly string[],
): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "UnlabeledSample" ("versionId", "sampleId", split, metadata)
    SELECT ${versionId}::uuid, u."sampleId", u.split, u.metadata
    FROM "UnlabeledSample" u
    WHERE u."versionId" = ${baseVersionId}::uuid AND NOT (u."sampleId" = ANY(${[...without]}::uuid[]))
      AND NOT EXISTS (
        SELECT 1 FROM "VersionSample" vs WHERE vs."versionId" = ${versionId}::uuid AND vs."sampleId" = u."sampleId")`;
}

/**
 * Copies the base's memberships into the new version, moving the samples of `classMoves` (from
 * class id → to class id) and leaving out `without`: one INSERT … SELECT, whatever the size.
 */
export async function copyMemberships(
  tx: Transaction,
  versionId: string,
  baseVersionId: string,
  options: { classMoves?: ReadonlyMap<string, string>; without?: readonly string[] } = {},
): Promise<void> {
  const moves = [...(options.classMoves ?? new Map<string, string>())];
  const from = moves.map(([fromId]) => fromId);
  const to = moves.map(([, toId]) => toId);
  const without = [...(options.without ?? [])];
  await tx.$executeRaw`
    INSERT INTO "VersionSample" ("versionId", "sampleId", "classId", split, metadata)
    SELECT ${versionId}::uuid, vs."sampleId", COALESCE(m.to_id, vs."classId"), vs.split, vs.metadata
    FROM "VersionSample" vs
    LEFT JOIN unnest(${from}::uuid[], ${to}::uuid[]) AS m(from_id, to_id) ON m.from_id = vs."classId"
    WHERE vs."versionId" = ${baseVersionId}::uuid AND NOT (vs."sampleId" = ANY(${without}::uuid[]))`;
}

/** Sets new classes on some samples of a version already filled (relabelling), in one UPDATE. */
export async function relabelMemberships(
  tx: Transaction,
  versionId: string,
  changes: ReadonlyArray<{ sampleId: string; classId: string }>,
): Promise<void> {
  await tx.$executeRaw`
    UPDATE "VersionSample" vs SET "classId" = c.class_id
    FROM unnest(${changes.map((c) => c.sampleId)}::uuid[], ${changes.map((c) => c.classId)}::uuid[])
      AS c(sample_id, class_id)
    WHERE vs."versionId" = ${versionId}::uuid AND vs."sampleId" = c.sample_id`;
}

/**
 * Gives samples of the base's unlabeled pool a class in the new version (their split and metadata
 * come along); ids not in the pool are ignored, so one list may mix pool and labelled samples.
 */
export async function labelPoolMembers(
  tx: Transaction,
  versionId: string,
  baseVersionId: string,
  changes: ReadonlyArray<{ sampleId: string; classId: string }>,
): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "VersionSample" ("versionId", "sampleId", "classId", split, metadata)
    SELECT ${versionId}::uuid, u."sampleId", c.class_id, u.split, u.metadata
    FROM "UnlabeledSample" u
    JOIN unnest(${changes.map((c) => c.sampleId)}::uuid[], ${changes.map((c) => c.classId)}::uuid[])
      AS c(sample_id, class_id) ON c.sample_id = u."sampleId"
    WHERE u."versionId" = ${baseVersionId}::uuid`;
}

/**
 * The ids among `sampleIds` that are neither members of the version nor in its unlabeled pool, in
 * the order given (ids that are not UUIDs included).
 */
export async function sampleIdsMissingFrom(
  db: PrismaClient | Transaction,
  versionId: string,
  sampleIds: readonly string[],
): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    SELECT given.id FROM unnest(${[...sampleIds]}::text[]) WITH ORDINALITY AS given(id, position)
    WHERE NOT EXISTS (
      SELECT 1 FROM "VersionSample" vs
      WHERE vs."versionId" = ${versionId}::uuid AND vs."sampleId"::text = given.id)
      AND NOT EXISTS (
      SELECT 1 FROM "UnlabeledSample" u
      WHERE u."versionId" = ${versionId}::uuid AND u."sampleId"::text = given.id)
    ORDER BY given.position`;
  return rows.map((row) => row.id);
}
