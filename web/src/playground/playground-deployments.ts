import { DeploymentState, InferenceTask, type PlaygroundDeploymentsQuery } from "../gql/graphql";
import { formatEnum } from "../ui/format";

export type PlaygroundDeployment = PlaygroundDeploymentsQuery["deployments"][number];

/** What the playground does with an image, by what the deployment answers. */
export type PlaygroundOperation = "classify" | "depth" | "segment" | "detect";

const operations: Partial<Record<InferenceTask, PlaygroundOperation>> = {
  [InferenceTask.Classification]: "classify",
  [InferenceTask.Depth]: "depth",
  [InferenceTask.Segmentation]: "segment",
  [InferenceTask.Detection]: "detect",
};

/** The words on the button that sends the image. */
export const actionLabels: Record<PlaygroundOperation, string> = {
  classify: "Classify",
  depth: "Estimate depth",
  segment: "Segment",
  detect: "Detect objects",
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
      "classification, depth, segmentation and detection models."
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

/** The gateway's bounds on `classifyImage(topK)`: 1 to 1,000, and 5 when none is sent. */
const SERVER_MAX_TOP_K = 1000;
const SERVER_DEFAULT_TOP_K = 5;

/**
 * How many labels a classification of this model can usefully ask for: 1 to its label count (the
 * server's limit when it lists none), and the server's default of 5 unless it has fewer labels.
 */
export function topKBounds(labelCount: number): { max: number; initial: number } {
  const max = labelCount > 0 ? Math.min(labelCount, SERVER_MAX_TOP_K) : SERVER_MAX_TOP_K;
  return { max, initial: Math.min(SERVER_DEFAULT_TOP_K, max) };
}

/** How many labels a classification asks for: what was typed, within the bounds (the initial value when blank). */
export function topKOf(typed: string, labelCount: number): number {
  const { max, initial } = topKBounds(labelCount);
  const requested = typed.trim() === "" ? Number.NaN : Number(typed);
  if (!Number.isFinite(requested)) return initial;
  return Math.min(max, Math.max(1, Math.round(requested)));
}
