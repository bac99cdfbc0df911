/**
 * "Worse than serving", defined once for the API, the report and the dashboard:
 *
 * - The version a model serves, first rule that applies:
 *   1. the version whose deployment is READY (a model serves one version at a time);
 *   2. else the one whose deployment is LOADING (it is about to serve);
 *   3. else the version behind an alias that one of the model's deployments follows (a FAILED or
 *      UNLOADING deployment that follows `production` serves the alias's version once it recovers,
 *      and moving the alias moves it);
 *   4. else the version the model's `production` alias points at (what clients that follow the
 *      alias are given);
 *   5. else nothing.
 *   Within a rule, the most recently updated deployment wins, then the newer version.
 * - Accuracies are compared like with like: validation with validation when both versions have
 *   it, else test with test when both have it. Mixing splits would compare different samples.
 * - A version is worse than serving when the model serves another version, a like pair of
 *   accuracies exists, and its accuracy is strictly lower. The serving version itself is never
 *   worse; without a like pair the answer is unknown, reported as not worse.
 */

export const servingAlias = "production";

export interface ComparedVersion {
  id: string;
  metrics: { validationAccuracy: number | null; testAccuracy: number | null };
}

export interface ServingDeployment {
  state: string;
  /** The alias the deployment follows, if any. */
  alias: string | null;
  updatedAt: Date;
}

/** What ModelVersion.accuracy shows: validation, else test. */
export function accuracyOf(version: ComparedVersion): number | null {
  return version.metrics.validationAccuracy ?? version.metrics.testAccuracy ?? null;
}

/**
 * `versions` newest first (as the model lists them); `deployments[i]` belongs to `versions[i]`
 * (null: not deployed).
 */
export function servingVersionId(
  versions: ReadonlyArray<{ id: string }>,
  deployments: ReadonlyArray<ServingDeployment | null>,
  aliases: ReadonlyArray<{ alias: string; versionId: string }>,
): string | null {
  const deployed = deployments
    .map((deployment, index) => (deployment ? { deployment, id: versions[index]!.id, index } : null))
    .filter((entry) => entry !== null)
    .sort((a, b) => b.deployment.updatedAt.getTime() - a.deployment.updatedAt.getTime() || a.index - b.index);
  for (const state of ["READY", "LOADING"]) {
    const live = deployed.find((entry) => entry.deployment.state === state);
    if (live) return live.id;
  }
  const versionOf = (alias: string | null) => aliases.find((entry) => entry.alias === alias)?.versionId;
  for (const { deployment } of deployed) {
    const followed = deployment.alias === null ? undefined : versionOf(deployment.alias);
    if (followed) return followed;
  }
  return versionOf(servingAlias) ?? null;
}

/** The like pair of accuracies (validation, else test), or null when neither split pairs up. */
export function comparableAccuracies(
  version: ComparedVersion,
  other: ComparedVersion,
): { split: "validation" | "test"; mine: number; theirs: number } | null {
  const { validationAccuracy, testAccuracy } = version.metrics;
  if (validationAccuracy !== null && other.metrics.validationAccuracy !== null) {
    return { split: "validation", mine: validationAccuracy, theirs: other.metrics.validationAccuracy };
  }
  if (testAccuracy !== null && other.metrics.testAccuracy !== null) {
    return { split: "test", mine: testAccuracy, theirs: other.metrics.testAccuracy };
  }
  return null;
}

export function isWorseThan(version: ComparedVersion, serving: ComparedVersion | null): boolean {
  if (!serving || serving.id === version.id) return false;
  const pair = comparableAccuracies(version, serving);
  return pair !== null && pair.mine < pair.theirs;
}
