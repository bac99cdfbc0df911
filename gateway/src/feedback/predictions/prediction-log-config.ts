import { checkRange, limits } from "../../limits";
import type { PredictionLogConfig, PredictionLogInput } from "../../inference/deployments.types";

/** On, for 30 days, with images: what a deployment does unless told otherwise. */
export const DEFAULT_PREDICTION_LOG: PredictionLogConfig = {
  enabled: true,
  retentionDays: 30,
  keepImages: true,
};

/** The log settings a deploy stores, every field resolved and bounded. */
export function resolvePredictionLog(input: PredictionLogInput | null | undefined): PredictionLogConfig {
  return {
    enabled: input?.enabled ?? DEFAULT_PREDICTION_LOG.enabled,
    retentionDays: checkRange(
      "predictionLog.retentionDays",
      input?.retentionDays ?? DEFAULT_PREDICTION_LOG.retentionDays,
      1,
      limits.predictions.retentionDays,
    ),
    keepImages: input?.keepImages ?? DEFAULT_PREDICTION_LOG.keepImages,
  };
}

/** A stored config's log settings; configs stored before the log existed get the defaults. */
export function predictionLogOf(config: { predictionLog?: PredictionLogConfig | null }): PredictionLogConfig {
  return config.predictionLog ?? DEFAULT_PREDICTION_LOG;
}
