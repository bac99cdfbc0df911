/**
 * Environment that turns the gateway's rate limits off (0 = unlimited): a bench fires requests
 * far faster than the per-token defaults allow, and measures the gateway, not its throttle.
 */
export const UNLIMITED_RATES = {
  TESSERA_RATE_LIMIT_INFERENCE: "0",
  TESSERA_RATE_LIMIT_UPLOADS: "0",
  TESSERA_RATE_LIMIT_TRAINING_STARTS: "0",
};
