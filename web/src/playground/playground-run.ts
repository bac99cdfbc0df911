import type { ApolloClient, DefaultContext } from "@apollo/client";
import {
  PlaygroundClassifyDocument,
  PlaygroundDetectDocument,
  PlaygroundEstimateDepthDocument,
  PlaygroundSegmentDocument,
  type ImageInput,
  type PlaygroundClassifyMutation,
  type PlaygroundDetectMutation,
  type PlaygroundEstimateDepthMutation,
  type PlaygroundSegmentMutation,
} from "../gql/graphql";
import type { SampleTile } from "../datasets/sample-catalog";
import type { DetectionSettings } from "./detection-settings";
import type { PlaygroundOperation } from "./playground-deployments";

/** The image a run sends: a file the person dropped (shown from a local URL) or a dataset sample. */
export type PlaygroundImage =
  { kind: "upload"; file: File; previewUrl: string } | { kind: "sample"; sample: SampleTile };

export interface RunRequest {
  operation: PlaygroundOperation;
  modelVersionId: string;
  image: PlaygroundImage;
  /** Classification only. */
  topK: number;
  /** Classification only: ask the model even when the prediction cache holds an answer for this image. */
  bypassCache: boolean;
  /** Detection only. */
  detection: DetectionSettings;
}

export type RunOutcome =
  | { operation: "classify"; classification: PlaygroundClassifyMutation["classifyImage"] }
  | { operation: "depth"; depth: PlaygroundEstimateDepthMutation["estimateDepth"] }
  | { operation: "segment"; segmentation: PlaygroundSegmentMutation["segmentImage"] }
  | { operation: "detect"; detections: PlaygroundDetectMutation["detectObjects"] };

export function imageInputOf(image: PlaygroundImage): ImageInput {
  return image.kind === "upload" ? { upload: image.file } : { sampleId: image.sample.sampleId };
}

/** Sends the image to the operation the deployment answers; rejects with the server's errors. */
export async function runOperation(
  client: ApolloClient,
  request: RunRequest,
  context: DefaultContext,
): Promise<RunOutcome> {
  const variables = { modelVersionId: request.modelVersionId, image: imageInputOf(request.image) };
  switch (request.operation) {
    case "classify": {
      const { data } = await client.mutate({
        mutation: PlaygroundClassifyDocument,
        // Sent only to bypass: the server's default (use the cache) needs no variable.
        variables: { ...variables, topK: request.topK, ...(request.bypassCache ? { useCache: false } : {}) },
        context,
      });
      return { operation: "classify", classification: answered(data).classifyImage };
    }
    case "depth": {
      const { data } = await client.mutate({ mutation: PlaygroundEstimateDepthDocument, variables, context });
      return { operation: "depth", depth: answered(data).estimateDepth };
    }
    case "segment": {
      const { data } = await client.mutate({ mutation: PlaygroundSegmentDocument, variables, context });
      return { operation: "segment", segmentation: answered(data).segmentImage };
    }
    case "detect": {
      const { data } = await client.mutate({
        mutation: PlaygroundDetectDocument,
        variables: { ...variables, ...request.detection },
        context,
      });
      return { operation: "detect", detections: answered(data).detectObjects };
    }
  }
}

function answered<T>(data: T | null | undefined): T {
  if (!data) throw new Error("The server answered without data or errors");
  return data;
}
