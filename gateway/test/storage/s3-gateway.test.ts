import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { createBlobStore } from "../../src/storage/create-blob-store";
import { UPLOAD_DATASET } from "../datasets/uploads/dataset-uploads";
import {
  buildColourClassifier,
  classified,
  deployReady,
  expectedPredictions,
  expectPredictions,
  solidPng,
  UNIT_PREPROCESSING,
  uploadOnnx,
} from "../inference/inference-api";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { S3RVER_CREDENTIALS, startS3Server, type TestS3Server } from "../support/s3-server";
import { generateTextureDataset, zipDatasetFiles, type DatasetFile } from "../support/texture-dataset";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const VERSION_FILES = "query ($id: ID!) { modelVersion(id: $id) { files { path sha256 downloadUrl } } }";
const SAMPLES = `query ($id: ID!) {
  datasetVersion(id: $id) { samples(first: 100) { edges { node { originalPath imageUrl } } } }
}`;

let s3: TestS3Server;
const savedEnv = { ...process.env };

beforeAll(async () => {
  s3 = await startS3Server();
  // The gateway runs in this process: the SDK's default chain reads the credentials from here.
  Object.assign(process.env, S3RVER_CREDENTIALS);
});

afterAll(async () => {
  process.env = savedEnv;
  await s3?.close();
});

async function fileUrls(gateway: TestGateway, versionId: string) {
  const body = await gateway.gql<{
    modelVersion: { files: Array<{ path: string; sha256: string; downloadUrl: string }> };
  }>(VERSION_FILES, { id: versionId });
  expect(body.errors).toBeUndefined();
  return body.data!.modelVersion.files;
}

async function uploadDataset(gateway: TestGateway, files: readonly DatasetFile[]) {
  const body = await gateway.upload<{ uploadDataset: { version: { id: string; imageCount: number } } }>(
    UPLOAD_DATASET,
    { input: { name: "on-s3" }, archive: null },
    [
      {
        variable: "archive",
        filename: "dataset.zip",
        content: await zipDatasetFiles(files),
        contentType: "application/zip",
      },
    ],
  );
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!.uploadDataset.version;
}

async function sampleUrls(gateway: TestGateway, versionId: string) {
  const body = await gateway.gql<{
    datasetVersion: { samples: { edges: Array<{ node: { originalPath: string; imageUrl: string } }> } };
  }>(SAMPLES, { id: versionId });
  expect(body.errors).toBeUndefined();
  return body.data!.datasetVersion.samples.edges.map((edge) => edge.node);
}

describe("the gateway with TESSERA_BLOB_URL=s3://… (downloads proxied)", () => {
  let gateway: TestGateway;
  const prefix = "proxied/";

  beforeAll(async () => {
    gateway = await startTestGateway({ env: s3.gatewayEnv(prefix) });
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
  });

  it("stores a dataset ZIP's images on S3 only and serves them back byte-identical", async () => {
    const dataset = await generateTextureDataset({ classes: 2, imagesPerClass: 3, minSide: 16, maxSide: 24 });
    const version = await uploadDataset(gateway, dataset.files);
    expect(version.imageCount).toBe(6);
    const samples = await sampleUrls(gateway, version.id);
    expect(samples.map((s) => s.originalPath).sort()).toEqual(dataset.files.map((f) => f.path).sort());
    const keys = await s3.keys(prefix);
    for (const sample of samples) {
      const original = dataset.files.find((f) => f.path === sample.originalPath)!.bytes;
      const response = await fetch(sample.imageUrl);
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(original)).toBe(true);
      expect(keys).toContain(`blobs/${sha256(original)}`);
    }
    // Nothing was written to the local blob folder, and no temporary object is left.
    expect(await readdir(path.join(gateway.dataDir, "blobs")).catch(() => [])).toEqual([]);
    expect(keys.filter((key) => !key.startsWith("blobs/"))).toEqual([]);
  });

  it("inspects, deploys and classifies a model whose ONNX lives on S3, through a local copy", async () => {
    const onnx = buildColourClassifier();
    const version = await uploadOnnx(gateway, "colours-on-s3", onnx);
    // Inspecting the upload read the ONNX file: it was parsed from a local copy of the S3 object.
    expect(version.labels).toEqual(["red", "green", "blue"]);
    expect(await s3.keys(`${prefix}blobs/${sha256(onnx)}`)).toEqual([""]);
    await deployReady(gateway, version.id, { preprocessing: UNIT_PREPROCESSING });
    const blue = await classified(gateway, version.id, await solidPng([0, 0, 255]));
    expectPredictions(blue.predictions, expectedPredictions([0, 0, 255]));
    const cache = path.join(gateway.dataDir, "blob-cache", `${os.hostname()}-${process.pid}`);
    expect(await readdir(cache)).toContain(sha256(onnx));
  });

  it("downloads a model file whole and by Range through the gateway", async () => {
    const onnx = buildColourClassifier();
    const version = await uploadOnnx(gateway, "ranged", onnx);
    const [file] = await fileUrls(gateway, version.id);
    const whole = await fetch(file!.downloadUrl);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("etag")).toBe(`"${sha256(onnx)}"`);
    expect(Buffer.from(await whole.arrayBuffer()).equals(onnx)).toBe(true);
    const ranged = await fetch(file!.downloadUrl, { headers: { range: "bytes=10-29" } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe(`bytes 10-29/${onnx.length}`);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(onnx.subarray(10, 30))).toBe(true);
  });
});

describe("starting on a bucket that cannot be used", () => {
  it("stops with a message naming TESSERA_BLOB_URL and the bucket", async () => {
    const config = loadConfig({ TESSERA_DATA_DIR: os.tmpdir(), ...s3.gatewayEnv("x/") }).blobStorage;
    const missing = { ...config, location: { ...config.location, bucket: "no-such-bucket" } };
    await expect(createBlobStore(missing, 900, createLogger({ level: "silent" }))).rejects.toThrow(
      'TESSERA_BLOB_URL: the bucket "no-such-bucket" cannot be used (HTTP 404): it does not exist (the gateway never creates buckets)',
    );
  });
});

describe("the gateway with TESSERA_BLOB_DOWNLOADS=presigned", () => {
  let gateway: TestGateway;
  const prefix = "presigned/";

  beforeAll(async () => {
    gateway = await startTestGateway({
      env: s3.gatewayEnv(prefix, { TESSERA_BLOB_DOWNLOADS: "presigned", TESSERA_SIGNED_URL_TTL: "600" }),
    });
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
  });

  it("redirects an authorised download to a presigned S3 URL that answers Range requests", async () => {
    const onnx = buildColourClassifier();
    const version = await uploadOnnx(gateway, "presigned", onnx);
    const [file] = await fileUrls(gateway, version.id);
    const redirect = await fetch(file!.downloadUrl, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("cache-control")).toBe("private, no-store");
    const location = new URL(redirect.headers.get("location")!);
    expect(location.origin).toBe(s3.endpoint);
    expect(location.pathname).toBe(`/${s3.bucket}/${prefix}blobs/${sha256(onnx)}`);
    // Not the link's 600 s: a minute to start the download, then the gateway checks again.
    expect(Number(location.searchParams.get("X-Amz-Expires"))).toBe(60);

    const followed = await fetch(file!.downloadUrl, { headers: { range: "bytes=0-9" } });
    expect(followed.status).toBe(206);
    expect(Buffer.from(await followed.arrayBuffer()).equals(onnx.subarray(0, 10))).toBe(true);
    const whole = await fetch(location);
    expect(whole.headers.get("content-disposition")).toBe(
      `attachment; filename="model.onnx"; filename*=UTF-8''model.onnx`,
    );
    expect(Buffer.from(await whole.arrayBuffer()).equals(onnx)).toBe(true);
  });

  it("still refuses an unauthorised download before any redirect", async () => {
    const version = await uploadOnnx(gateway, "private", buildColourClassifier());
    const [file] = await fileUrls(gateway, version.id);
    const tampered = file!.downloadUrl.replace(/signature=[^&]+/, "signature=forged");
    const refused = await fetch(tampered, { redirect: "manual" });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("location")).toBeNull();
  });
});
