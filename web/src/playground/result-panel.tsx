import { useId } from "react";
import { ByteProgress } from "../ui/progress-bar";
import { EmptyState } from "../ui/empty-state";
import { Skeleton } from "../ui/skeleton";
import { ClassificationResult } from "./classification-result";
import { DepthResult } from "./depth-result";
import { DetectionResult } from "./detection-result";
import type { PlaygroundDeployment, PlaygroundOperation } from "./playground-deployments";
import type { RunOutcome } from "./playground-run";
import { latencyWords } from "./served-by";
import { SegmentationResult } from "./segmentation-result";
import type { RunState } from "./use-playground-run";

const titles: Record<PlaygroundOperation, string> = {
  classify: "Classification",
  depth: "Depth map",
  segment: "Segmentation",
  detect: "Object detection",
};

/** What the model answered for the last image, or what is happening until it does. */
export function ResultPanel({
  state,
  operation,
  version,
}: {
  state: RunState;
  operation: PlaygroundOperation | null;
  /** The chosen deployment's version: its labels and feedback adjustment. */
  version: PlaygroundDeployment["modelVersion"];
}) {
  const id = useId();
  const shown = state.phase === "idle" ? operation : state.request.operation;
  return (
    <section
      className="panel result-panel"
      aria-labelledby={`${id}-title`}
      aria-busy={state.phase === "running"}
    >
      <h2 id={`${id}-title`}>{shown ? titles[shown] : "Result"}</h2>
      <ResultBody state={state} version={version} />
    </section>
  );
}

function ResultBody({ state, version }: { state: RunState; version: PlaygroundDeployment["modelVersion"] }) {
  switch (state.phase) {
    case "idle":
      return (
        <EmptyState title="Nothing sent yet">
          Drop an image, or pick one from a dataset, to see what the chosen model answers.
        </EmptyState>
      );
    case "running": {
      const { progress } = state;
      const sending = progress !== null && progress.loaded < progress.total;
      return (
        <>
          {sending && (
            <ByteProgress label="Sending the image" loaded={progress.loaded} total={progress.total} />
          )}
          <Skeleton lines={5} label={sending ? "Sending the image" : "Running the model"} />
        </>
      );
    }
    case "failed":
      return (
        <EmptyState title="No result">
          The model did not answer this image; the reason is shown next to it.
        </EmptyState>
      );
    case "done": {
      const { outcome, request } = state;
      const imageUrl =
        request.image.kind === "upload" ? request.image.previewUrl : request.image.sample.imageUrl;
      return (
        <>
          {outcome.operation === "classify" && (
            <ClassificationResult classification={outcome.classification} labels={version.labels} />
          )}
          {outcome.operation === "depth" && <DepthResult depth={outcome.depth} imageUrl={imageUrl} />}
          {outcome.operation === "segment" && (
            <SegmentationResult segmentation={outcome.segmentation} imageUrl={imageUrl} />
          )}
          {outcome.operation === "detect" && (
            <DetectionResult detections={outcome.detections} imageUrl={imageUrl} />
          )}
          <p className="muted">{latencyOf(outcome)}</p>
        </>
      );
    }
  }
}

/** How long the answer took, and where: a classification may come from a cache, a remote or an ensemble. */
function latencyOf(outcome: RunOutcome): string {
  switch (outcome.operation) {
    case "classify":
      return latencyWords(outcome.classification.latencyMs, outcome.classification.servedBy);
    case "depth":
      return inTier(outcome.depth.latencyMs);
    case "segment":
      return inTier(outcome.segmentation.latencyMs);
    case "detect":
      return inTier(outcome.detections.latencyMs);
  }
}

function inTier(latencyMs: number): string {
  return `${latencyMs.toFixed(1)} ms in the inference tier`;
}
