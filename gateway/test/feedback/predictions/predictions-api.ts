import { expect } from "vitest";
import type { GraphQLBody, TestGateway } from "../../support/gateway";
import { withImage } from "../../inference/inference-api";

/** The GraphQL documents and helpers of the prediction log tests. */

export const CLASSIFY_LOGGED = `
  mutation ($id: ID!, $image: ImageInput!, $topK: Int) {
    classifyImage(modelVersionId: $id, image: $image, topK: $topK) {
      predictionId predictions { label score index }
      adjustedPredictions { method improvement predictions { label score index } }
    }
  }`;

export const RECORD_FEEDBACK = `
  mutation ($input: FeedbackInput!) {
    recordFeedback(input: $input) {
      id correctLabel isCorrect note source createdBy { handle } prediction { id }
    }
  }`;

export const PREDICTION_FIELDS = `
  id createdAt uncertainty imageUrl requestedBy { handle } modelVersion { id }
  predictions { label score index }
  adjustedPredictions { method predictions { label } }
  feedback { correctLabel isCorrect note createdBy { handle } }`;

export const PREDICTIONS = `
  query ($id: ID!, $filter: PredictionFilter, $first: Int, $after: String) {
    predictions(modelVersionId: $id, filter: $filter, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { ${PREDICTION_FIELDS} } }
    }
  }`;

export interface LoggedClassification {
  predictionId: string | null;
  predictions: Array<{ label: string; score: number; index: number }>;
  adjustedPredictions: {
    method: string;
    improvement: number;
    predictions: Array<{ label: string; score: number; index: number }>;
  } | null;
}

export interface ListedPrediction {
  id: string;
  uncertainty: number;
  imageUrl: string | null;
  requestedBy: { handle: string } | null;
  predictions: Array<{ label: string; score: number; index: number }>;
  adjustedPredictions: { method: string; predictions: Array<{ label: string }> } | null;
  feedback: { correctLabel: string | null; isCorrect: boolean; note: string | null } | null;
}

/** Classifies an uploaded PNG and fails the test on any error; `token` defaults to the admin's. */
export async function classifyLogged(
  gateway: TestGateway,
  id: string,
  image: Buffer,
  options: { topK?: number; token?: string } = {},
): Promise<LoggedClassification> {
  const body = await withImage<{ classifyImage: LoggedClassification }>(
    gateway,
    CLASSIFY_LOGGED,
    { id, topK: options.topK },
    image,
    "image.png",
    options.token,
  );
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!.classifyImage;
}

export function recordFeedback(
  gateway: TestGateway,
  input: Record<string, unknown>,
  token?: string,
): Promise<GraphQLBody<{ recordFeedback: Record<string, unknown> }>> {
  return gateway.gql(RECORD_FEEDBACK, { input }, token);
}

export async function listPredictions(
  gateway: TestGateway,
  id: string,
  filter?: Record<string, unknown>,
  token?: string,
): Promise<{ totalCount: number; nodes: ListedPrediction[] }> {
  const body = await gateway.gql<{
    predictions: { totalCount: number; edges: Array<{ node: ListedPrediction }> };
  }>(PREDICTIONS, { id, filter }, token);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  const { totalCount, edges } = body.data!.predictions;
  return { totalCount, nodes: edges.map((edge) => edge.node) };
}
