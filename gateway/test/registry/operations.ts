import { createHash } from "node:crypto";
import { expect } from "vitest";
import type { GraphQLBody, TestGateway, UploadFile } from "../support/gateway";

/** The GraphQL documents and small helpers the registry's integration tests share. */

export const VERSION_FIELDS = `
  id version number validation invalidReason opset numParameters sizeBytes labels
  inputs { name dataType shape dimensions } outputs { name dataType shape dimensions }
  inputShape outputShape
  metrics { trainingAccuracy validationAccuracy testAccuracy trainingLoss extra }
  pythonVersion dependencies hardwareRequirements customMetadata isActive isProductionReady aliases
  files { path sizeBytes sha256 contentType fileType isPrimary }
  primaryFile { path }
  model { id slug name description framework modelType algorithm tags isPublic owner { handle } }`;

export const UPLOAD_MODEL = `
  mutation ($input: UploadModelInput!, $files: [Upload!]!) {
    uploadModel(input: $input, files: $files) { ${VERSION_FIELDS} }
  }`;

export const UPLOAD_MODEL_WITH_PATHS = `
  mutation ($input: UploadModelInput!, $files: [Upload!]!, $paths: [String!]) {
    uploadModel(input: $input, files: $files, paths: $paths) { ${VERSION_FIELDS} }
  }`;

export const UPLOAD_ARCHIVE = `
  mutation ($input: UploadModelInput!, $archive: Upload!, $preserveStructure: Boolean) {
    uploadModelArchive(input: $input, archive: $archive, preserveStructure: $preserveStructure) {
      ${VERSION_FIELDS}
    }
  }`;

export interface VersionResult {
  id: string;
  version: string;
  number: number;
  validation: string;
  invalidReason: string | null;
  labels: string[];
  aliases: string[];
  sizeBytes: number;
  customMetadata: unknown;
  files: Array<{
    path: string;
    sizeBytes: number;
    sha256: string;
    contentType: string;
    fileType: string;
    isPrimary: boolean;
  }>;
  primaryFile: { path: string } | null;
  model: { id: string; slug: string; framework: string; isPublic: boolean; owner: { handle: string } };
  [field: string]: unknown;
}

/** Named files for a multipart upload, in `files.<index>` order. */
export function namedFiles(files: Record<string, Buffer | string>): UploadFile[] {
  return Object.entries(files).map(([filename, content], index) => ({
    variable: `files.${index}`,
    filename,
    content: Buffer.from(content),
  }));
}

export const sha256Of = (content: Buffer | string) => createHash("sha256").update(content).digest("hex");

/** Uploads files as a new version and returns it; fails the test with the errors otherwise. */
export async function uploadModel(
  gateway: TestGateway,
  input: Record<string, unknown>,
  files: Record<string, Buffer | string>,
  token: string = gateway.adminToken,
): Promise<VersionResult> {
  const body = await gateway.upload<{ uploadModel: VersionResult }>(
    UPLOAD_MODEL,
    { input },
    namedFiles(files),
    token,
  );
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!.uploadModel;
}

export async function uploadArchive(
  gateway: TestGateway,
  input: Record<string, unknown>,
  zip: Buffer,
  preserveStructure?: boolean,
  token: string = gateway.adminToken,
): Promise<GraphQLBody<{ uploadModelArchive: VersionResult }>> {
  return gateway.upload<{ uploadModelArchive: VersionResult }>(
    UPLOAD_ARCHIVE,
    { input, ...(preserveStructure !== undefined && { preserveStructure }) },
    [{ variable: "archive", filename: "model.zip", content: zip, contentType: "application/zip" }],
    token,
  );
}

/** What a failed request must leave unchanged: registry rows, blob files, temp files. */
export async function storedState(gateway: TestGateway) {
  return {
    rows: await gateway.rowCounts(),
    blobFiles: await gateway.blobFiles(),
    tempFiles: await gateway.tempFileCount(),
  };
}

/** The one error of a failed GraphQL answer: its code, and a message matching `message`. */
export function expectError(body: GraphQLBody<unknown>, code: string, message?: RegExp | string): void {
  expect(body.errors, `expected ${code}, got ${JSON.stringify(body)}`).toHaveLength(1);
  const [error] = body.errors!;
  expect(error!.extensions?.code, error!.message).toBe(code);
  if (message instanceof RegExp) expect(error!.message).toMatch(message);
  else if (message !== undefined) expect(error!.message).toContain(message);
}
