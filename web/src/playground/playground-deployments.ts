import { DeploymentState, InferenceTask, type PlaygroundDeploymentsQuery } from "../gql/graphql";
import { formatEnum } from "../ui/format";

export type PlaygroundDeployment = PlaygroundDeploymentsQuery["deployments"][number];

/** What the playground does with an image, by what the deployment answers. */
export type PlaygroundOperation = "classify" | "depth" | "segment";

const operations: Partial<Record<InferenceTask, PlaygroundOperation>> = {
  [InferenceTask.Classification]: "classify",
  [InferenceTask.Depth]: "depth",
  [InferenceTask.Segmentation]: "segment",
};

/** The words on the button that sends the image. */
export const actionLabels: Record<PlaygroundOperation, string> = {
  classify: "Classify",
  depth: "Estimate depth",
  segment: "Segment",
};

export function operationOf(task: InferenceTask): PlaygroundOperation | null {
  return operations[task] ?? null;
}

/** `ada/resnet v3`: how the registry names a version. */
export function deploymentName(deployment: PlaygroundDeployment): string {
  const { model, version } = deployment.modelVersion;
  return `${model.owner.handle}/${model.slug} ${version}`;
}

/** Why an image cannot be sent to this deployment now; null when it can. */
export function unavailableReason(deployment: PlaygroundDeployment): string | null {
  if (!operationOf(deployment.config.task)) {
    return (
      `It answers ${formatEnum(deployment.config.task).toLowerCase()} requests; the playground shows ` +
      "classification, depth and segmentation models."
    );
  }
  switch (deployment.state) {
    case DeploymentState.Ready:
      return null;
    case DeploymentState.Loading:
      return "It is still loading on the inference tiers; this page updates when it is ready.";
    case DeploymentState.Unloading:
      return "It is being undeployed.";
    case DeploymentState.Failed:
      return "The inference tiers could not load it. Deploy it again from its version page.";
  }
}

/** Ready deployments the playground can show first, the rest after, each group in the server's order. */
export function pickerOrder(deployments: readonly PlaygroundDeployment[]): PlaygroundDeployment[] {
  const usable = deployments.filter((deployment) => unavailableReason(deployment) === null);
  return [...usable, ...deployments.filter((deployment) => !usable.includes(deployment))];
}

/** The deployment of the version named in the URL if it is listed, else the first the picker offers. */
export function chosenDeployment(
  deployments: readonly PlaygroundDeployment[],
  versionId: string | null,
): PlaygroundDeployment | undefined {
  const named = versionId
    ? deployments.find((deployment) => deployment.modelVersion.id === versionId)
    : undefined;
  return named ?? pickerOrder(deployments)[0];
}

/** While a deployment is between states the list is polled, so the picker follows it. */
export function isSettling(deployments: readonly PlaygroundDeployment[]): boolean {
  return deployments.some(
    (deployment) =>
      deployment.state === DeploymentState.Loading || deployment.state === DeploymentState.Unloading,
  );
}

/** How many labels a classification asks for: what was typed, within 1 and the model's label count (5 when blank). */
export function topKOf(typed: string, labelCount: number): number {
  const most = labelCount > 0 ? labelCount : 1000;
  const requested = typed.trim() === "" ? Number.NaN : Number(typed);
  if (!Number.isFinite(requested)) return Math.min(5, most);
  return Math.min(most, Math.max(1, Math.round(requested)));
}
