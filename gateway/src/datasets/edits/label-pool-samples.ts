import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import type { BlobReferences } from "../../blobs/blob-references";
import type { BlobStore } from "../../storage/blob-store";
import { badInput, notFound } from "../../errors";
import { isUuid } from "../../graphql/ids";
import { checkLength, limits } from "../../limits";
import { toDatasetVersion } from "../datasets.loader";
import type { DatasetVersion } from "../datasets.types";
import { classIdsByName, insertSamples } from "../ingest/create-version";
import { blobVersionImages, type BlobSampleInput } from "./blob-samples";
import { checkClassName } from "./class-names";
import {
  copyMemberships,
  editTransactionOptions,
  labelPoolMembers,
  relabelMemberships,
  sampleIdsMissingFrom,
  writeEditIn,
} from "./write-edit";

type Transaction = Prisma.TransactionClient;

export type { BlobSampleInput } from "./blob-samples";

/** A sample of the base version (in its unlabeled pool or already labelled) and the class it gets. */
export interface PoolLabel {
  sampleId: string;
  className: string;
}

export interface LabelPoolSamplesInput {
  baseVersionId: string;
  /** Pool samples get a class; labelled samples get another one. Each sample at most once. */
  labels: readonly PoolLabel[];
  /** Images already in the blob store that join as new samples (with a class, or into the pool). */
  additions?: readonly BlobSampleInput[];
  /** The new version's message (1 to 10,000 characters). */
  message: string;
  /** Who made the version (a User id). */
  createdById: string;
}

/** What `additions` need: the images are read from the store and referenced like uploaded ones. */
export interface LabelPoolDeps {
  store: BlobStore;
  references: BlobReferences;
}

/**
 * Makes a new version (source EDIT, parent = the base) of the base's samples in which `labels`
 * move pool samples into classes (or relabel labelled ones) and `additions` join as new samples;
 * the rest of the pool is carried over. The caller has checked that its user may change the
 * dataset. Opens its own transaction; labelPoolSamplesIn writes inside yours.
 *
 * Bad input is BAD_USER_INPUT and stores nothing: nothing to do, a sample listed twice or not in
 * the base, a class name that is empty, over 100 characters or `_unlabeled`, an addition whose
 * sha256 names no stored image (or not a JPEG/PNG/WebP/GIF). An unknown base is NOT_FOUND.
 */
export async function labelPoolSamples(
  prisma: PrismaClient,
  input: LabelPoolSamplesInput,
  deps?: LabelPoolDeps,
): Promise<DatasetVersion> {
  const write = await prepare(prisma, input, deps);
  return prisma.$transaction(write, editTransactionOptions);
}

/**
 * labelPoolSamples inside the caller's transaction, so the version commits (or not) with the
 * caller's own rows (feedback, a batch's result). Images new to the datasets are decoded inside
 * it too, before anything is written: keep such additions few, or call labelPoolSamples.
 */
export async function labelPoolSamplesIn(
  tx: Transaction,
  input: LabelPoolSamplesInput,
  deps?: LabelPoolDeps,
): Promise<DatasetVersion> {
  return (await prepare(tx, input, deps))(tx);
}

/**
 * Checks the input and measures the additions; returns the write, for whichever transaction.
 * Exported for callers that must decode images before opening their own transaction.
 */
export async function prepare(
  db: PrismaClient | Transaction,
  input: LabelPoolSamplesInput,
  deps: LabelPoolDeps | undefined,
): Promise<(tx: Transaction) => Promise<DatasetVersion>> {
  const additions = (input.additions ?? []).map((addition) => ({
    ...addition,
    className: addition.className === null ? null : checkClassName(addition.className, "additions.className"),
  }));
  if (input.labels.length === 0 && additions.length === 0) {
    throw badInput("Give at least one label or addition: both lists are empty", { field: "labels" });
  }
  const message = checkLength("message", input.message.trim(), limits.descriptionLength);
  if (!message) throw badInput("Say what changed: `message` is empty", { field: "message" });
  const labels = input.labels.map((label) => ({
    sampleId: label.sampleId,
    className: checkClassName(label.className, "labels.className"),
  }));
  assertEachOnce(labels.map((label) => label.sampleId));
  if (additions.length > 0 && !deps) throw new Error("labelPoolSamples needs the blob store for additions");
  const base = isUuid(input.baseVersionId)
    ? await db.datasetVersion.findUnique({ where: { id: input.baseVersionId }, include: { dataset: true } })
    : null;
  if (!base) throw notFound(`Dataset version ${input.baseVersionId}`);
  if (labels.length > 0)
    await assertInVersion(
      db,
      base.id,
      labels.map((label) => label.sampleId),
    );
  const images = additions.length > 0 ? await blobVersionImages(db, deps!.store, additions) : [];
  return async (tx: Transaction) => {
    const row = await writeEditIn(tx, {
      dataset: base.dataset,
      baseVersionId: base.id,
      userId: input.createdById,
      message,
      fill: async (tx, versionId, baseVersionId) => {
        const names = [...new Set(labels.map((label) => label.className))];
        const classIds = names.length > 0 ? await classIdsByName(tx, base.datasetId, names) : new Map();
        const changes = labels.map((label) => ({
          sampleId: label.sampleId,
          classId: classIds.get(label.className)!,
        }));
        if (images.length > 0) {
          await deps!.references.record(
            tx,
            images.map((image) => ({ sha256: image.image.sha256, sizeBytes: image.sizeBytes })),
            { ownerId: base.dataset.ownerId },
          );
        }
        await copyMemberships(tx, versionId, baseVersionId);
        if (changes.length > 0) {
          await relabelMemberships(tx, versionId, changes);
          await labelPoolMembers(tx, versionId, baseVersionId, changes);
        }
        if (images.length > 0) await insertSamples(tx, base.datasetId, versionId, images);
      },
    });
    return toDatasetVersion(row);
  };
}

/** BAD_USER_INPUT naming the ids that are in neither the version's classes nor its pool. */
export async function assertInVersion(
  db: PrismaClient | Transaction,
  versionId: string,
  sampleIds: readonly string[],
): Promise<void> {
  const missing = await sampleIdsMissingFrom(db, versionId, sampleIds);
  if (missing.length > 0) {
    throw badInput(`These samples are not in version ${versionId}: ${missing.join(", ")}`, {
      sampleIds: missing,
    });
  }
}

/** BAD_USER_INPUT naming the sample ids given more than once. */
export function assertEachOnce(sampleIds: readonly string[]): void {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const id of sampleIds) (seen.has(id) ? repeated : seen).add(id);
  if (repeated.size > 0) {
    throw badInput(`Each sample may be relabelled once per edit; repeated: ${[...repeated].join(", ")}`, {
      sampleIds: [...repeated],
    });
  }
}
