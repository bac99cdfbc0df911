import { useId } from "react";
import { ByteProgress } from "../ui/progress-bar";
import { EmptyState } from "../ui/empty-state";
import { Skeleton } from "../ui/skeleton";
import { ClassificationResult } from "./classification-result";
import { DepthResult } from "./depth-result";
import type { PlaygroundDeployment, PlaygroundOperation } from "./playground-deployments";
import { SegmentationResult } from "./segmentation-result";
import type { RunState } from "./use-playground-run";

const titles: Record<PlaygroundOperation, string> = {
  classify: "Classification",
  depth: "Depth map",
  segment: "Segmentation",
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
      const latency =
        outcome.operation === "classify"
          ? outcome.classification.latencyMs
          : outcome.operation === "depth"
            ? outcome.depth.latencyMs
            : outcome.segmentation.latencyMs;
      return (
        <>
          {outcome.operation === "classify" && (
            <ClassificationResult classification={outcome.classification} labels={version.labels} />
          )}
          {outcome.operation === "depth" && <DepthResult depth={outcome.depth} imageUrl={imageUrl} />}
          {outcome.operation === "segment" && (
            <SegmentationResult segmentation={outcome.segmentation} imageUrl={imageUrl} />
          )}
          <p className="muted">{latency.toFixed(1)} ms in the inference tier</p>
        </>
      );
    }
  }
}
