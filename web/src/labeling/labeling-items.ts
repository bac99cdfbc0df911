import type { LabelingItemDetailFragment } from "../gql/graphql";

export type LabelingItem = LabelingItemDetailFragment;

/** Number keys 1–9 pick labels. */
export const SHORTCUT_LABELS = 9;

/**
 * What the number keys give, one mapping for the whole batch so a key always means the same label:
 * all of the model's labels in its order when it has nine or fewer; else the nine that are most
 * often the model's top guess over the batch's items (ties and the rest in the model's order).
 */
export function batchShortcuts(labels: readonly string[], items: readonly LabelingItem[]): string[] {
  if (labels.length <= SHORTCUT_LABELS) return [...labels];
  const topCount = new Map<string, number>();
  for (const item of items) {
    const top = topPredictions(item, 1)[0]?.label;
    if (top !== undefined) topCount.set(top, (topCount.get(top) ?? 0) + 1);
  }
  const order = new Map(labels.map((label, index) => [label, index]));
  return [...labels]
    .sort((a, b) => (topCount.get(b) ?? 0) - (topCount.get(a) ?? 0) || order.get(a)! - order.get(b)!)
    .slice(0, SHORTCUT_LABELS);
}

/** The model's likeliest labels for the item, most likely first. */
export function topPredictions(
  item: LabelingItem | undefined,
  count: number,
): Array<{ label: string; score: number }> {
  const predictions = item?.prediction?.predictions ?? [];
  return [...predictions].sort((a, b) => b.score - a.score).slice(0, count);
}

/** The item's picture: the sample's, or the logged prediction's when the deployment kept images. */
export function itemImage(item: LabelingItem): string | null {
  return item.sample?.imageUrl ?? item.prediction?.imageUrl ?? null;
}

export interface Agreement {
  /** Items whose given label is the model's top guess. */
  agreed: number;
  labelled: number;
}

export interface LabelingSummary {
  labelled: number;
  total: number;
  /** Labels given, most used first. */
  perLabel: Array<{ label: string; count: number }>;
  /** How often the model already knew, for the picks by uncertainty and the random ones. */
  byUncertainty: Agreement;
  random: Agreement;
}

/**
 * What a batch's labels say. Random picks show what uncertainty sampling saves: the model tends to
 * be right on them, so labelling them teaches it less than the uncertain ones it got wrong.
 */
export function summarise(
  items: readonly LabelingItem[],
  labelOf: (item: LabelingItem) => string | undefined,
): LabelingSummary {
  const counts = new Map<string, number>();
  const byUncertainty: Agreement = { agreed: 0, labelled: 0 };
  const random: Agreement = { agreed: 0, labelled: 0 };
  for (const item of items) {
    const label = labelOf(item);
    if (label === undefined) continue;
    counts.set(label, (counts.get(label) ?? 0) + 1);
    const group = item.random ? random : byUncertainty;
    group.labelled += 1;
    if (topPredictions(item, 1)[0]?.label === label) group.agreed += 1;
  }
  const perLabel = [...counts]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  return {
    labelled: byUncertainty.labelled + random.labelled,
    total: items.length,
    perLabel,
    byUncertainty,
    random,
  };
}
