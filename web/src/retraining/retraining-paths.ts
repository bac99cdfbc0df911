/** Where the retraining pages live; a model version's page links here. */
export const retrainingPath = "/retraining";

/** The policies, of one model when given. */
export function policiesPath(modelId?: string): string {
  return modelId ? `${retrainingPath}?model=${encodeURIComponent(modelId)}` : retrainingPath;
}

export function newPolicyPath(modelId?: string): string {
  return `${retrainingPath}/new${modelId ? `?modelId=${encodeURIComponent(modelId)}` : ""}`;
}

export function policyPath(policyId: string): string {
  return `${retrainingPath}/policies/${encodeURIComponent(policyId)}`;
}
