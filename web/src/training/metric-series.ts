/** One value of one metric at the end of one epoch of one trial, as stored and as streamed. */
export interface MetricPoint {
  trial: number;
  /** 1-based. */
  epoch: number;
  /** loss, accuracy, val_loss, val_accuracy, learning_rate, epoch_seconds, samples_per_second */
  name: string;
  value: number;
}

const keyOf = (point: MetricPoint) => `${point.trial}:${point.epoch}:${point.name}`;

const byTrialEpochName = (a: MetricPoint, b: MetricPoint) =>
  a.trial - b.trial || a.epoch - b.epoch || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The union of two sets of points, one per trial, epoch and metric: where both hold a point,
 * `incoming`'s value is kept (a resumed run may redo an epoch). Sorted by trial, epoch and name.
 * Returns `existing` itself when `incoming` changes nothing, so a chart fed from it stays still.
 */
export function mergePoints(
  existing: readonly MetricPoint[],
  incoming: readonly MetricPoint[],
): MetricPoint[] {
  const merged = new Map(existing.map((point) => [keyOf(point), point]));
  let changed = false;
  for (const point of incoming) {
    const key = keyOf(point);
    const before = merged.get(key);
    if (before && before.value === point.value) continue;
    merged.set(key, point);
    changed = true;
  }
  if (!changed) return existing as MetricPoint[];
  return [...merged.values()].sort(byTrialEpochName);
}

/** The points of an epoch's metrics event. */
export function pointsOfEpoch(
  trial: number,
  epoch: number,
  values: ReadonlyArray<{ name: string; value: number }>,
): MetricPoint[] {
  return values.map(({ name, value }) => ({ trial, epoch, name, value }));
}

/** Trials that have points, in order. */
export function trialsWithPoints(points: readonly MetricPoint[]): number[] {
  return [...new Set(points.map((point) => point.trial))].sort((a, b) => a - b);
}

/** Whether the trial has a point for this epoch (any metric). */
export function hasEpoch(points: readonly MetricPoint[], trial: number, epoch: number): boolean {
  return points.some((point) => point.trial === trial && point.epoch === epoch);
}

export interface EpochRow {
  epoch: number;
  values: Record<string, number>;
}

/** One row per recorded epoch of the trial, with every metric of that epoch. */
export function epochRows(points: readonly MetricPoint[], trial: number): EpochRow[] {
  const rows = new Map<number, EpochRow>();
  for (const point of points) {
    if (point.trial !== trial) continue;
    const row = rows.get(point.epoch) ?? { epoch: point.epoch, values: {} };
    row.values[point.name] = point.value;
    rows.set(point.epoch, row);
  }
  return [...rows.values()].sort((a, b) => a.epoch - b.epoch);
}

/** A metric's curve over the trial's epochs, as [epoch, value] pairs for a chart. */
export function metricCurve(
  points: readonly MetricPoint[],
  trial: number,
  name: string,
): Array<[number, number]> {
  return points
    .filter((point) => point.trial === trial && point.name === name)
    .sort((a, b) => a.epoch - b.epoch)
    .map((point) => [point.epoch, point.value]);
}
