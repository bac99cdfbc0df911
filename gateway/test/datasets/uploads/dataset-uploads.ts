import { createHash } from "node:crypto";
import { expect } from "vitest";
import type { GraphQLBody, TestGateway } from "../../support/gateway";

export const UPLOAD_DATASET = `
  mutation ($input: DatasetInput!, $archive: Upload!) {
    uploadDataset(input: $input, archive: $archive) {
      dataset { id name description tags isPublic }
      version { id number source imageCount classCount skipped { path reason } }
      imageCount
      classCount
      skipped { path reason }
    }
  }`;

export interface UploadResult {
  dataset: { id: string; name: string; description: string | null; tags: string[]; isPublic: boolean };
  version: {
    id: string;
    number: number;
    source: string;
    imageCount: number;
    classCount: number;
    skipped: Array<{ path: string; reason: string }>;
  };
  imageCount: number;
  classCount: number;
  skipped: Array<{ path: string; reason: string }>;
}

export function postDatasetZip(
  gateway: TestGateway,
  input: Record<string, unknown>,
  zip: Buffer,
  token?: string | null,
): Promise<GraphQLBody<{ uploadDataset: UploadResult }>> {
  return gateway.upload(
    UPLOAD_DATASET,
    { input },
    [{ variable: "archive", filename: "dataset.zip", content: zip, contentType: "application/zip" }],
    token,
  );
}

/** Uploads and expects success. */
export async function uploadDatasetZip(
  gateway: TestGateway,
  input: Record<string, unknown>,
  zip: Buffer,
): Promise<UploadResult> {
  const body = await postDatasetZip(gateway, input, zip);
  expect(body.errors).toBeUndefined();
  return body.data!.uploadDataset;
}

/** Everything an upload may leave behind: a failed one must leave all of it unchanged. */
export async function storedState(gateway: TestGateway) {
  const { prisma } = gateway;
  const [datasets, versions, classes, samples, memberships, blobs] = await Promise.all([
    prisma.dataset.count(),
    prisma.datasetVersion.count(),
    prisma.datasetClass.count(),
    prisma.sample.count(),
    prisma.versionSample.count(),
    prisma.blob.count(),
  ]);
  return {
    datasets,
    versions,
    classes,
    samples,
    memberships,
    blobs,
    blobFiles: await gateway.blobCount(),
    tempFiles: await gateway.tempFileCount(),
  };
}

export const sha256Of = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
