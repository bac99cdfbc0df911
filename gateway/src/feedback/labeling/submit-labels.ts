import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import { badInput, conflict } from "../../errors";
import { checkCount, limits } from "../../limits";
import type { Viewer } from "../../users/access";
import { toDatasetVersion } from "../../datasets/datasets.loader";
import type { DatasetVersion } from "../../datasets/datasets.types";
import { labelPoolSamplesIn, type LabelPoolDeps } from "../../datasets/edits/label-pool-samples";
import { editTransactionOptions } from "../../datasets/edits/write-edit";
import type { AdjustmentRefits } from "../predictions/adjustment-refits";
import { correctableLabels, namedLabels, verdictOf } from "../predictions/model-labels";
import type { LabelingBatch, LabelInput } from "./labeling.types";
import {
  assertStillPooled,
  checkedLabels,
  namingItems,
  type ItemPrediction,
  type ItemRow,
} from "./submit-checks";

type Transaction = Prisma.TransactionClient;

/**
 * The labels of a batch → one new version of its dataset, in one transaction with everything
 * else: pool samples move into their classes, a prediction pool's images join as new samples,
 * every item with a prediction gets its Feedback row (source LABELING, already used in that
 * version; see verdictOf for a label the model does not have), and the batch records the version.
 * The version builds on the dataset's newest version, whatever was made while the batch was
 * being labelled: a pool sample no longer in that version's pool is a CONFLICT naming its item.
 * An item whose logged image turns out not to be a dataset image is refused by name
 * (BAD_USER_INPUT, nothing stored): submit the others without it. The same labels again return
 * that version and write nothing; other labels after a submit are a CONFLICT.
 */
export class SubmitLabels {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pool: LabelPoolDeps,
    private readonly refits: AdjustmentRefits,
  ) {}

  async submit(viewer: Viewer, batch: LabelingBatch, given: readonly LabelInput[]): Promise<DatasetVersion> {
    checkCount("labels", given, limits.labeling.batchSize);
    if (given.length === 0) throw badInput("Give at least one label: `labels` is empty", { field: "labels" });
    const items = await this.prisma.labelingItem.findMany({
      where: { batchId: batch.id },
      select: { id: true, sampleId: true, predictionId: true, label: true },
      orderBy: { position: "asc" },
    });
    const labels = checkedLabels(items, given);
    const modelLabels = await this.assertAllowed(batch, [...new Set(labels.values())]);
    const earlier = await this.earlierResult(batch.id, labels);
    if (earlier) return earlier;
    const { version, feedback } = await this.prisma.$transaction(async (tx) => {
      // Two submits at once: the second waits here, then finds the first's result.
      await tx.$queryRaw`SELECT id FROM "LabelingBatch" WHERE id = ${batch.id}::uuid FOR UPDATE`;
      const again = await this.earlierResult(batch.id, labels, tx);
      if (again) return { version: again, feedback: false };
      return this.write(tx, viewer, batch, items, labels, modelLabels);
    }, editTransactionOptions);
    if (feedback) this.refits.wake();
    return version;
  }

  /**
   * The labels a picker offers (the model's) and the classes the dataset's newest version has;
   * returns the model's labels.
   */
  private async assertAllowed(batch: LabelingBatch, labels: string[]): Promise<string[]> {
    const latest = await latestVersionBeside(this.prisma, batch.datasetVersionId!);
    const [model, classes] = await Promise.all([
      this.prisma.modelVersion.findUnique({ where: { id: batch.modelVersionId }, select: { labels: true } }),
      this.prisma.datasetClass.findMany({
        where: { members: { some: { versionId: latest } } },
        select: { name: true },
        orderBy: { name: "asc" },
      }),
    ]);
    const modelLabels = model?.labels ?? [];
    const allowed = [...new Set([...modelLabels, ...classes.map((row) => row.name)])];
    const unknown = labels.filter((label) => !allowed.includes(label));
    if (unknown.length === 0) return modelLabels;
    throw badInput(
      `${unknown.map((label) => `"${label}"`).join(", ")} is neither a label of the model nor a class of the dataset version; use one of ${namedLabels(allowed)}`,
      { field: "labels.label", unknown, labels: allowed.slice(0, limits.inference.topK) },
    );
  }

  /** The version an earlier submit made, when it had exactly these labels; CONFLICT for other labels. */
  private async earlierResult(
    batchId: string,
    labels: ReadonlyMap<string, string>,
    db: PrismaClient | Transaction = this.prisma,
  ): Promise<DatasetVersion | null> {
    const batch = await db.labelingBatch.findUnique({
      where: { id: batchId },
      select: { resultVersionId: true, items: { select: { id: true, label: true } } },
    });
    if (!batch?.resultVersionId) return null;
    const stored = new Map(
      batch.items.filter((item) => item.label !== null).map((item) => [item.id, item.label!]),
    );
    const same = stored.size === labels.size && [...labels].every(([id, label]) => stored.get(id) === label);
    if (!same) {
      throw conflict(
        `Labelling batch ${batchId} was submitted already with other labels (${stored.size} items); its result is dataset version ${batch.resultVersionId}`,
        { resultVersionId: batch.resultVersionId },
      );
    }
    const version = await db.datasetVersion.findUniqueOrThrow({ where: { id: batch.resultVersionId } });
    return toDatasetVersion(version);
  }

  private async write(
    tx: Transaction,
    viewer: Viewer,
    batch: LabelingBatch,
    items: readonly ItemRow[],
    labels: ReadonlyMap<string, string>,
    modelLabels: readonly string[],
  ) {
    const labelled = items.filter((item) => labels.has(item.id));
    const predictions = await predictionsOf(tx, labelled);
    const fromPool = batch.predictionsOfId === null;
    const additions = fromPool ? [] : labelled.map((item) => addition(item, predictions, labels));
    const baseVersionId = await latestVersionBeside(tx, batch.datasetVersionId!);
    if (fromPool) await assertStillPooled(tx, baseVersionId, labelled);
    const version = await labelPoolSamplesIn(
      tx,
      {
        baseVersionId,
        labels: fromPool
          ? labelled.map((item) => ({ sampleId: item.sampleId!, className: labels.get(item.id)! }))
          : [],
        additions,
        message: `Labelled ${labelled.length} ${fromPool ? "pool sample" : "logged prediction"}${labelled.length === 1 ? "" : "s"} (labelling batch ${batch.id})`,
        createdById: viewer.id,
      },
      this.pool,
    ).catch((error: unknown) => {
      throw namingItems(error, labelled, predictions);
    });
    const newSamples = fromPool
      ? new Map<string, string>()
      : await addedSamples(tx, version.id, baseVersionId);
    for (const item of labelled) {
      const sampleId = fromPool
        ? item.sampleId
        : newSamples.get(predictions.get(item.predictionId!)!.imageSha256!);
      await tx.labelingItem.update({
        where: { id: item.id },
        data: { label: labels.get(item.id)!, sampleId },
      });
    }
    let feedback = false;
    for (const item of labelled) {
      const prediction = item.predictionId ? predictions.get(item.predictionId) : undefined;
      if (!prediction) continue;
      const verdict = verdictOf(
        prediction,
        correctableLabels(prediction.labels, modelLabels),
        labels.get(item.id)!,
      );
      const fields = {
        correctLabel: verdict?.correctLabel ?? null,
        isCorrect: verdict?.isCorrect ?? false,
        source: "LABELING" as const,
        createdById: viewer.id,
        usedInVersionId: version.id,
      };
      await tx.feedback.upsert({
        where: { predictionId: item.predictionId! },
        create: { predictionId: item.predictionId!, ...fields },
        update: fields,
      });
      feedback ||= verdict !== null;
    }
    if (feedback) {
      const model = await tx.modelVersion.findUniqueOrThrow({
        where: { id: batch.modelVersionId },
        select: { model: { select: { ownerId: true } } },
      });
      await this.refits.requestIn(tx, batch.modelVersionId, model.model.ownerId);
    }
    await tx.labelingBatch.update({
      where: { id: batch.id },
      data: { resultVersionId: version.id, submittedAt: new Date() },
    });
    return { version, feedback };
  }
}

async function predictionsOf(
  tx: Transaction,
  items: readonly ItemRow[],
): Promise<Map<string, ItemPrediction>> {
  const ids = items.flatMap((item) => (item.predictionId ? [item.predictionId] : []));
  const rows = await tx.prediction.findMany({
    where: { id: { in: ids } },
    select: { id: true, labels: true, scores: true, imageSha256: true },
  });
  return new Map(rows.map((row) => [row.id, row]));
}

function addition(
  item: ItemRow,
  predictions: ReadonlyMap<string, ItemPrediction>,
  labels: ReadonlyMap<string, string>,
) {
  const sha256 = item.predictionId ? predictions.get(item.predictionId)?.imageSha256 : null;
  if (!sha256) {
    throw badInput(`Item ${item.id}'s prediction no longer has its image (it expired)`, {
      field: "labels.itemId",
    });
  }
  return { sha256, className: labels.get(item.id)! };
}

/**
 * A batch's labels join the newest version of its dataset at submit time, so versions made while
 * the batch was being labelled (an edit, a retraining run's, another batch's) are not left behind.
 */
async function latestVersionBeside(db: PrismaClient | Transaction, versionId: string): Promise<string> {
  const version = await db.datasetVersion.findUniqueOrThrow({
    where: { id: versionId },
    select: { datasetId: true },
  });
  const latest = await db.datasetVersion.findFirstOrThrow({
    where: { datasetId: version.datasetId },
    orderBy: { number: "desc" },
    select: { id: true },
  });
  return latest.id;
}

/** The samples the new version added (a prediction pool's images), by image sha256. */
async function addedSamples(
  tx: Transaction,
  versionId: string,
  baseVersionId: string,
): Promise<Map<string, string>> {
  const rows = await tx.$queryRaw<Array<{ id: string; sha256: string }>>`
    SELECT s.id::text AS id, s.sha256 FROM "VersionSample" vs JOIN "Sample" s ON s.id = vs."sampleId"
    WHERE vs."versionId" = ${versionId}::uuid
      AND NOT EXISTS (SELECT 1 FROM "VersionSample" b
                      WHERE b."versionId" = ${baseVersionId}::uuid AND b."sampleId" = s.id)
      AND NOT EXISTS (SELECT 1 FROM "UnlabeledSample" u
                      WHERE u."versionId" = ${baseVersionId}::uuid AND u."sampleId" = s.id)`;
  return new Map(rows.map((row) => [row.sha256, row.id]));
}
