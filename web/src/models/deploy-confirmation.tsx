import { ConfirmDialog } from "../ui/confirm-dialog";
import { formatFraction } from "../ui/format";
import type { ServingVersion } from "./version-accuracy";

export interface DeployTarget {
  id: string;
  version: string;
  accuracy: number | null;
}

/** What deploying `target` takes over from: the version the model serves now, unless that is `target`. */
export function replacedVersion(
  target: DeployTarget,
  serving: ServingVersion | null | undefined,
): ServingVersion | null {
  return serving && serving.id !== target.id ? serving : null;
}

/** "v3 scores 85.0%, below v2's 91.0%." when both are known; else what is known. */
export function accuracyComparison(target: DeployTarget, replaces: ServingVersion): string {
  if (target.accuracy === null || replaces.accuracy === null) {
    return "Their accuracies cannot be compared: at least one is not recorded.";
  }
  const relation =
    target.accuracy < replaces.accuracy
      ? "below"
      : target.accuracy > replaces.accuracy
        ? "above"
        : "the same as";
  return `${target.version} scores ${formatFraction(target.accuracy)}, ${relation} ${replaces.version}'s ${formatFraction(replaces.accuracy)}.`;
}

/**
 * Asks before a deploy switches what the model serves: a model serves one version at a time, so
 * deploying this one replaces the one clients get now.
 */
export function DeployConfirmation({
  target,
  replaces,
  onConfirm,
  onCancel,
}: {
  target: DeployTarget;
  replaces: ServingVersion;
  onConfirm(): void;
  onCancel(): void;
}) {
  const worse = target.accuracy !== null && replaces.accuracy !== null && target.accuracy < replaces.accuracy;
  return (
    <ConfirmDialog
      title={`Deploy ${target.version} in place of ${replaces.version}?`}
      confirmLabel={`Deploy ${target.version}, replacing ${replaces.version}`}
      cancelLabel={`Keep ${replaces.version}`}
      danger={worse}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      The model serves {replaces.version} now; deploying {target.version} replaces it for every client.{" "}
      {accuracyComparison(target, replaces)}
    </ConfirmDialog>
  );
}
