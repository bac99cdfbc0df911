/**
 * "Worse than serving", defined once for the API, the report and the dashboard:
 *
 * - A version's accuracy is its validationAccuracy, else its testAccuracy (what training records
 *   for the exported head), else unknown.
 * - The version a model serves is the version whose deployment is READY (a model serves one
 *   version at a time); while none is READY, the one whose deployment is LOADING (it is about to
 *   serve); without a live deployment, the version the model's `production` alias points at
 *   (what clients that follow the alias are given). Otherwise the model serves nothing.
 * - A version is worse than serving when the model serves another version, both accuracies are
 *   known, and its accuracy is strictly lower. The serving version itself is never worse.
 */

export const servingAlias = "production";

export interface ComparedVersion {
  id: string;
  metrics: { validationAccuracy: number | null; testAccuracy: number | null };
}

export function accuracyOf(version: ComparedVersion): number | null {
  return version.metrics.validationAccuracy ?? version.metrics.testAccuracy ?? null;
}

/** `deployments[i]` belongs to `versions[i]` (null: not deployed). */
export function servingVersionId(
  versions: ReadonlyArray<{ id: string }>,
  deployments: ReadonlyArray<{ state: string } | null>,
  aliases: ReadonlyArray<{ alias: string; versionId: string }>,
): string | null {
  for (const state of ["READY", "LOADING"]) {
    const index = deployments.findIndex((deployment) => deployment?.state === state);
    if (index >= 0) return versions[index]!.id;
  }
  return aliases.find((alias) => alias.alias === servingAlias)?.versionId ?? null;
}

export function isWorseThan(version: ComparedVersion, serving: ComparedVersion | null): boolean {
  if (!serving || serving.id === version.id) return false;
  const mine = accuracyOf(version);
  const theirs = accuracyOf(serving);
  return mine !== null && theirs !== null && mine < theirs;
}
