import type { LabelingItemDetailFragment } from "../gql/graphql";

export type LabelingItem = LabelingItemDetailFragment;

/** Number keys 1–9 pick labels. */
export const SHORTCUT_LABELS = 9;

/**
 * The labels the number keys give for an item: all of the model's labels in its order when it has
 * nine or fewer (the same key always means the same label), else the item's nine likeliest.
 */
export function shortcutLabels(labels: readonly string[], item: LabelingItem | undefined): string[] {
  if (labels.length <= SHORTCUT_LABELS) return [...labels];
  const likeliest = topPredictions(item, SHORTCUT_LABELS).map((prediction) => prediction.label);
  const rest = labels.filter((label) => !likeliest.includes(label));
  return [...likeliest, ...rest].slice(0, SHORTCUT_LABELS);
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
