/**
 * Reading a detector's output. Two layouts are known: YOLOv8's raw head [4 + C, N] (per candidate
 * cx, cy, w, h and C class scores, no objectness), read transposed so each candidate is one row,
 * and an export with NMS built in, [N, 6] (x1, y1, x2, y2, score, class index). Pure functions over
 * typed arrays; boxes stay in model-input pixels here.
 */

export type DetectionLayout = "yolov8" | "nms";

/** A box in x1, y1, x2, y2 corners with its best class. */
export interface Candidate {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  classIndex: number;
}

/**
 * Which layout an image's output of `shape` (batch dimension removed) has, or null. Leading 1s are
 * ignored. [N, 6] is the NMS layout unless the model's labels make it [4 + C, N] with C = 2 and
 * N = 6 (the one shape both could be).
 */
export function detectionLayoutOf(
  shape: readonly number[],
  classCount: number,
): { layout: DetectionLayout; rows: number; columns: number } | null {
  const dims = [...shape];
  while (dims.length > 2 && dims[0] === 1) dims.shift();
  if (dims.length !== 2) return null;
  const [rows, columns] = dims as [number, number];
  if (columns === 6 && !(rows === 6 && classCount === 2)) return { layout: "nms", rows, columns };
  if (rows >= 5) return { layout: "yolov8", rows, columns };
  return null;
}

/**
 * Candidates scoring at least `minScore`, each with its best class (the first on a tie). The
 * scores are walked a class row at a time, keeping each candidate's best so far: reading down a
 * column instead would jump N values per step through a tensor of 84 × 8400 floats.
 */
export function decodeYoloV8(
  values: ArrayLike<number>,
  rows: number,
  columns: number,
  minScore: number,
): Candidate[] {
  const best = new Float64Array(columns).fill(-Infinity);
  const bestClass = new Int32Array(columns);
  for (let row = 4; row < rows; row++) {
    const base = row * columns;
    for (let n = 0; n < columns; n++) {
      const score = values[base + n]!;
      if (score > best[n]!) {
        best[n] = score;
        bestClass[n] = row - 4;
      }
    }
  }
  const candidates: Candidate[] = [];
  for (let n = 0; n < columns; n++) {
    const score = best[n]!;
    if (!(score >= minScore)) continue;
    const cx = values[n]!;
    const cy = values[columns + n]!;
    const halfW = values[2 * columns + n]! / 2;
    const halfH = values[3 * columns + n]! / 2;
    candidates.push({
      x1: cx - halfW,
      y1: cy - halfH,
      x2: cx + halfW,
      y2: cy + halfH,
      score,
      classIndex: bestClass[n]!,
    });
  }
  return candidates;
}

/** Rows scoring at least `minScore`; the zero rows that pad such an output fall below any minScore > 0. */
export function decodeNmsRows(values: ArrayLike<number>, rows: number, minScore: number): Candidate[] {
  const candidates: Candidate[] = [];
  for (let row = 0; row < rows; row++) {
    const base = row * 6;
    const score = values[base + 4]!;
    const classIndex = values[base + 5]!;
    if (!(score >= minScore) || !Number.isInteger(classIndex) || classIndex < 0) continue;
    candidates.push({
      x1: values[base]!,
      y1: values[base + 1]!,
      x2: values[base + 2]!,
      y2: values[base + 3]!,
      score,
      classIndex,
    });
  }
  return candidates;
}
