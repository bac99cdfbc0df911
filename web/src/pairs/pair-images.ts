import { formatBytes } from "../ui/format";

/** What the gateway measured of one image of a pair (`TrainingPair.metadata.original` / `.transformed`). */
export interface PairImageFacts {
  format: string;
  width: number;
  height: number;
  sizeBytes: number;
}

export interface PairFacts {
  original: PairImageFacts;
  transformed: PairImageFacts;
}

/** The metadata is free JSON: its shape is checked before anything is read from it. */
export function pairFactsOf(metadata: unknown): PairFacts | null {
  if (typeof metadata !== "object" || metadata === null) return null;
  const { original, transformed } = metadata as Record<string, unknown>;
  const first = imageFactsOf(original);
  const second = imageFactsOf(transformed);
  return first && second ? { original: first, transformed: second } : null;
}

function imageFactsOf(value: unknown): PairImageFacts | null {
  if (typeof value !== "object" || value === null) return null;
  const { format, width, height, sizeBytes } = value as Record<string, unknown>;
  if (typeof format !== "string" || typeof width !== "number" || typeof height !== "number") return null;
  return { format, width, height, sizeBytes: typeof sizeBytes === "number" ? sizeBytes : Number.NaN };
}

/** `PNG · 640 × 480 · 120 kB`. */
export function describeImage(facts: PairImageFacts): string {
  const parts = [facts.format.toUpperCase(), `${facts.width} × ${facts.height}`];
  if (Number.isFinite(facts.sizeBytes)) parts.push(formatBytes(facts.sizeBytes));
  return parts.join(" · ");
}

/** A long session id cut to its start, as git shortens hashes; the whole id stays in the title. */
export function shortSessionId(sessionId: string): string {
  return sessionId.length > 12 ? `${sessionId.slice(0, 8)}…` : sessionId;
}
