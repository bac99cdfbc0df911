import { expect } from "vitest";
import type { GraphQLBody, TestGateway } from "../../support/gateway";

/** The GraphQL documents and fixtures the labelling end-to-end test shares. */

export const BATCH_FIELDS = `
  id strategy diversity size randomShare seed submittedAt labels
  modelVersion { id } datasetVersion { id } predictionsOf { id } resultVersion { id }
  items { id position uncertainty random label sample { id originalPath class { name } } prediction { id source } }`;

export const CREATE_BATCH = `
  mutation ($input: LabelingBatchInput!) { createLabelingBatch(input: $input) { ${BATCH_FIELDS} } }`;

export const BATCH = `query ($id: ID!) { labelingBatch(id: $id) { ${BATCH_FIELDS} } }`;

export const SUBMIT = `
  mutation ($batchId: ID!, $labels: [LabelInput!]!) {
    submitLabels(batchId: $batchId, labels: $labels) {
      id number imageCount unlabeledCount classes { name count }
    }
  }`;

export interface Item {
  id: string;
  position: number;
  uncertainty: number;
  random: boolean;
  label: string | null;
  sample: { id: string; originalPath: string; class: { name: string } | null } | null;
  prediction: { id: string; source: string } | null;
}

export interface Batch {
  id: string;
  strategy: string;
  diversity: string;
  size: number;
  randomShare: number;
  seed: number;
  submittedAt: string | null;
  labels: string[];
  modelVersion: { id: string } | null;
  datasetVersion: { id: string } | null;
  predictionsOf: { id: string } | null;
  resultVersion: { id: string } | null;
  items: Item[];
}

export interface SubmittedVersion {
  id: string;
  number: number;
  imageCount: number;
  unlabeledCount: number;
  classes: Array<{ name: string; count: number }>;
}

export function createBatch(
  gateway: TestGateway,
  input: Record<string, unknown>,
  token?: string,
): Promise<GraphQLBody<{ createLabelingBatch: Batch }>> {
  return gateway.gql(CREATE_BATCH, { input }, token);
}

export async function createdBatch(gateway: TestGateway, input: Record<string, unknown>): Promise<Batch> {
  const body = await createBatch(gateway, input);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!.createLabelingBatch;
}

export function submit(
  gateway: TestGateway,
  batchId: string,
  labels: Array<{ itemId: string; label: string }>,
  token?: string,
): Promise<GraphQLBody<{ submitLabels: SubmittedVersion }>> {
  return gateway.gql(SUBMIT, { batchId, labels }, token);
}
