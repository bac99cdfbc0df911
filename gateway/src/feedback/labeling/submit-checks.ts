import type { Prisma } from "../../generated/prisma/client";
import { AppError, badInput, conflict, ErrorCode } from "../../errors";
import { isUuid } from "../../graphql/ids";
import { checkLength, limits } from "../../limits";
import type { LabelInput } from "./labeling.types";

/** What submitLabels checks before and while it writes: the labels given, the pool, the images. */

type Transaction = Prisma.TransactionClient;

export interface ItemRow {
  id: string;
  sampleId: string | null;
  predictionId: string | null;
  label: string | null;
}

export interface ItemPrediction {
  labels: string[];
  scores: number[];
  imageSha256: string | null;
}

/**
 * itemId → label, trimmed; BAD_USER_INPUT for an id that is not a UUID or a label over the name
 * bound (checked before either is echoed), items not in the batch, or one item given two labels.
 */
export function checkedLabels(items: readonly ItemRow[], given: readonly LabelInput[]): Map<string, string> {
  given.forEach((entry, index) => {
    if (!isUuid(entry.itemId)) {
      throw badInput(`labels[${index}].itemId is not a labelling item's id (a UUID)`, {
        field: "labels.itemId",
      });
    }
    checkLength(`labels[${index}].label`, entry.label, limits.nameLength);
  });
  const ids = new Set(items.map((item) => item.id));
  const foreign = [...new Set(given.map((entry) => entry.itemId).filter((id) => !ids.has(id)))];
  if (foreign.length > 0) {
    throw badInput(`These items are not in the batch: ${foreign.join(", ")}`, {
      field: "labels.itemId",
      itemIds: foreign,
    });
  }
  const labels = new Map<string, string>();
  for (const entry of given) {
    const label = entry.label.trim();
    if (!label) throw badInput(`The label of item ${entry.itemId} is empty`, { field: "labels.label" });
    const earlier = labels.get(entry.itemId);
    if (earlier !== undefined && earlier !== label) {
      throw badInput(`Item ${entry.itemId} is given two labels, "${earlier}" and "${label}"`, {
        field: "labels.itemId",
      });
    }
    labels.set(entry.itemId, label);
  }
  const gone = items.filter((item) => labels.has(item.id) && !item.sampleId && !item.predictionId);
  if (gone.length > 0) {
    throw badInput(
      `These items' images are gone (sample deleted or prediction expired): ${gone.map((item) => item.id).join(", ")}`,
      { field: "labels.itemId", itemIds: gone.map((item) => item.id) },
    );
  }
  return labels;
}

/** CONFLICT naming the items whose samples the base no longer has in its pool (labelled or removed since). */
export async function assertStillPooled(tx: Transaction, baseVersionId: string, items: readonly ItemRow[]) {
  const pooled = await tx.unlabeledSample.findMany({
    where: { versionId: baseVersionId, sampleId: { in: items.map((item) => item.sampleId!) } },
    select: { sampleId: true },
  });
  const still = new Set(pooled.map((row) => row.sampleId));
  const gone = items.filter((item) => !still.has(item.sampleId!)).map((item) => item.id);
  if (gone.length === 0) return;
  throw conflict(
    `These items' samples are no longer in the unlabeled pool of the dataset's newest version ${baseVersionId} ` +
      `(labelled or removed since the batch was made); submit the others without them: ${gone.join(", ")}`,
    { itemIds: gone, versionId: baseVersionId },
  );
}

/**
 * A logged image the datasets refuse (labelPoolSamples names its sha256) → BAD_USER_INPUT naming
 * the items that carry it, so the rest of the batch can be submitted without them.
 */
export function namingItems(
  error: unknown,
  items: readonly ItemRow[],
  predictions: ReadonlyMap<string, ItemPrediction>,
): unknown {
  const sha256 =
    error instanceof AppError && error.code === ErrorCode.BAD_USER_INPUT ? error.details.sha256 : null;
  if (typeof sha256 !== "string") return error;
  const named = items
    .filter((item) => item.predictionId && predictions.get(item.predictionId)?.imageSha256 === sha256)
    .map((item) => item.id);
  if (named.length === 0) return error;
  return badInput(
    `The image of item ${named.join(", ")} cannot join a dataset (${error instanceof Error ? error.message : ""}); submit the other items without it`,
    { field: "labels.itemId", itemIds: named },
  );
}
