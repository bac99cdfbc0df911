export type PairSide = "original" | "transformed";

export const pairSides: readonly PairSide[] = ["original", "transformed"];

/** What the gateway measured of one image of a pair, kept in `TrainingPair.metadata`. */
export interface PairImageMetadata {
  format: string;
  width: number;
  height: number;
  sizeBytes: number;
}

export type TrainingPairMetadata = Record<PairSide, PairImageMetadata>;

/** The column is free JSON, so its shape is checked before the format is trusted. */
export function metadataOf(value: unknown): TrainingPairMetadata | null {
  const candidate = value as Partial<TrainingPairMetadata> | null;
  return candidate?.original?.format && candidate.transformed?.format
    ? (candidate as TrainingPairMetadata)
    : null;
}
