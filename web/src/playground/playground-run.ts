import type { ApolloClient, DefaultContext } from "@apollo/client";
import {
  PlaygroundClassifyDocument,
  PlaygroundEstimateDepthDocument,
  PlaygroundSegmentDocument,
  type ImageInput,
  type PlaygroundClassifyMutation,
  type PlaygroundEstimateDepthMutation,
  type PlaygroundSegmentMutation,
} from "../gql/graphql";
import type { SampleTile } from "../datasets/sample-catalog";
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
}

export type RunOutcome =
  | { operation: "classify"; classification: PlaygroundClassifyMutation["classifyImage"] }
  | { operation: "depth"; depth: PlaygroundEstimateDepthMutation["estimateDepth"] }
  | { operation: "segment"; segmentation: PlaygroundSegmentMutation["segmentImage"] };

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
        variables: { ...variables, topK: request.topK },
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
  }
}

function answered<T>(data: T | null | undefined): T {
  if (!data) throw new Error("The server answered without data or errors");
  return data;
}
