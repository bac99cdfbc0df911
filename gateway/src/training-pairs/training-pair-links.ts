import type { PairSide } from "./training-pair-metadata";

export const trainingPairImagePath = (pairId: string, side: PairSide) =>
  `/files/training-pairs/${pairId}/${side}`;
export const trainingPairsExportPath = "/files/training-pairs/export.zip";
