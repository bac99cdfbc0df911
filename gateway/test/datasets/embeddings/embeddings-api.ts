import { expect } from "vitest";
import type { GraphQLBody, TestGateway } from "../../support/gateway";

export const UPLOAD_WITH_EMBEDDINGS = `
  mutation ($input: DatasetInput!, $archive: Upload!, $generateEmbeddings: Boolean, $embedding: EmbeddingOptionsInput) {
    uploadDataset(input: $input, archive: $archive, generateEmbeddings: $generateEmbeddings, embedding: $embedding) {
      dataset { id }
      version { id imageCount }
      imageCount
      embeddingsQueued
    }
  }`;

export interface Uploaded {
  dataset: { id: string };
  version: { id: string; imageCount: number };
  imageCount: number;
  embeddingsQueued: boolean;
}

export const STATUS_FIELDS = "space method dimension modelVersionId total done failed state error";

export interface Status {
  space: string;
  method: string;
  dimension: number;
  modelVersionId: string | null;
  total: number;
  done: number;
  failed: number;
  state: string;
  error: string | null;
}

export function postUpload(
  gateway: TestGateway,
  name: string,
  zip: Buffer,
  extra: Record<string, unknown> = {},
): Promise<GraphQLBody<{ uploadDataset: Uploaded }>> {
  return gateway.upload(UPLOAD_WITH_EMBEDDINGS, { input: { name }, ...extra }, [
    { variable: "archive", filename: "dataset.zip", content: zip, contentType: "application/zip" },
  ]);
}

export async function upload(
  gateway: TestGateway,
  name: string,
  zip: Buffer,
  extra: Record<string, unknown> = {},
): Promise<Uploaded> {
  const body = await postUpload(gateway, name, zip, extra);
  expect(body.errors).toBeUndefined();
  return body.data!.uploadDataset;
}

export async function statuses(gateway: TestGateway, versionId: string): Promise<Status[]> {
  const body = await gateway.gql<{ datasetVersion: { embeddingStatus: Status[] } }>(
    `query ($id: ID!) { datasetVersion(id: $id) { embeddingStatus { ${STATUS_FIELDS} } } }`,
    { id: versionId },
  );
  expect(body.errors).toBeUndefined();
  return body.data!.datasetVersion.embeddingStatus;
}

/** Polls embeddingStatus until the space's run is SUCCEEDED or FAILED. */
export async function finished(
  gateway: TestGateway,
  versionId: string,
  space: string,
  timeoutMs = 30_000,
): Promise<Status> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = (await statuses(gateway, versionId)).find((s) => s.space === space);
    if (status && (status.state === "SUCCEEDED" || status.state === "FAILED")) return status;
    if (Date.now() > deadline) throw new Error(`run in ${space} still ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export const SIMILAR = `
  query ($datasetId: ID, $sampleId: ID, $image: Upload, $k: Int, $space: String) {
    similarSamples(datasetId: $datasetId, sampleId: $sampleId, image: $image, k: $k, space: $space) {
      sample { id class { name } }
      distance
    }
  }`;

export interface Similar {
  sample: { id: string; class: { name: string } };
  distance: number;
}
