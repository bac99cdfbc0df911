import type { Candidate } from "./detection-output";

export interface SuppressionOptions {
  /** A box is dropped when it overlaps a better box of its class by more than this. */
  iou: number;
  maxDetections: number;
}

/**
 * Ultralytics' cap on the boxes NMS considers (max_nms): the best ones are kept, so an untrained
 * model scoring every anchor high still costs bounded time.
 */
export const maxCandidates = 30_000;

/**
 * Greedy non-maximum suppression within each class (as Ultralytics' class offsets and
 * torchvision's batched_nms do): best first, a box survives unless its IoU with a survivor of
 * the same class is above `iou`. Returns at most maxDetections, highest score first; equal
 * scores keep their input order.
 */
export function suppressPerClass(candidates: readonly Candidate[], options: SuppressionOptions): Candidate[] {
  // Positions sorted over a typed array: no wrapper object per candidate (thousands per image).
  const scores = new Float64Array(candidates.length);
  const order = new Uint32Array(candidates.length);
  for (let index = 0; index < candidates.length; index++) {
    scores[index] = candidates[index]!.score;
    order[index] = index;
  }
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  const considered = Math.min(order.length, maxCandidates);
  const keptByClass = new Map<number, Candidate[]>();
  const kept: Candidate[] = [];
  for (let rank = 0; rank < considered; rank++) {
    if (kept.length >= options.maxDetections) break;
    const candidate = candidates[order[rank]!]!;
    const sameClass = keptByClass.get(candidate.classIndex) ?? [];
    if (sameClass.some((survivor) => intersectionOverUnion(survivor, candidate) > options.iou)) continue;
    sameClass.push(candidate);
    keptByClass.set(candidate.classIndex, sameClass);
    kept.push(candidate);
  }
  return kept;
}

/** Area of overlap over area of union; 0 for boxes without area. */
export function intersectionOverUnion(a: Candidate, b: Candidate): number {
  const width = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const height = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (width <= 0 || height <= 0) return 0;
  const intersection = width * height;
  const union = areaOf(a) + areaOf(b) - intersection;
  return union > 0 ? intersection / union : 0;
}

function areaOf(box: Candidate): number {
  return Math.max(0, box.x2 - box.x1) * Math.max(0, box.y2 - box.y1);
}
