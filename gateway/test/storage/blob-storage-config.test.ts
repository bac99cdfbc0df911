import os from "node:os";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config";

const blobStorage = (env: Record<string, string>) =>
  loadConfig({ TESSERA_DATA_DIR: "/srv/tessera", ...env }).blobStorage;

describe("TESSERA_BLOB_URL and the S3 settings", () => {
  it("keeps blobs in the data directory when unset, in the named folder for file:///", () => {
    expect(blobStorage({})).toEqual({
      location: { kind: "local", root: "/srv/tessera/blobs" },
      cache: { dir: `/srv/tessera/blob-cache/${os.hostname()}-${process.pid}`, maxBytes: 2 * 1024 ** 3 },
      downloads: "proxy",
    });
    expect(blobStorage({ TESSERA_BLOB_URL: "file:///mnt/blob%20store/" }).location).toEqual({
      kind: "local",
      root: "/mnt/blob store",
    });
  });

  it("selects S3 for s3://bucket/prefix with the endpoint, region and path style", () => {
    expect(blobStorage({ TESSERA_BLOB_URL: "s3://my-bucket/team/blobs" }).location).toEqual({
      kind: "s3",
      bucket: "my-bucket",
      prefix: "team/blobs/",
      endpoint: null,
      region: "us-east-1",
      forcePathStyle: false,
    });
    const config = blobStorage({
      TESSERA_BLOB_URL: "s3://tessera",
      TESSERA_S3_ENDPOINT: "http://minio:9000/",
      TESSERA_S3_REGION: "eu-west-3",
      TESSERA_BLOB_CACHE_BYTES: "0",
      TESSERA_BLOB_DOWNLOADS: "presigned",
    });
    expect(config.location).toEqual({
      kind: "s3",
      bucket: "tessera",
      prefix: "",
      endpoint: "http://minio:9000",
      region: "eu-west-3",
      forcePathStyle: true,
    });
    expect(config.cache.maxBytes).toBe(0);
    expect(config.downloads).toBe("presigned");
    expect(
      blobStorage({
        TESSERA_BLOB_URL: "s3://tessera",
        TESSERA_S3_ENDPOINT: "http://minio:9000",
        TESSERA_S3_FORCE_PATH_STYLE: "false",
      }).location,
    ).toMatchObject({ forcePathStyle: false });
  });

  it.each([
    [
      "http://bucket/prefix",
      'TESSERA_BLOB_URL must be file:///absolute/dir or s3://bucket/prefix, got "http://bucket/prefix": unknown scheme "http:"',
    ],
    [
      "/var/blobs",
      'TESSERA_BLOB_URL must be file:///absolute/dir or s3://bucket/prefix, got "/var/blobs": not a URL',
    ],
    ["s3://Bad_Bucket/x", '"Bad_Bucket" is not an S3 bucket name'],
    ["s3://key:secret@bucket/x", "credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY"],
    ["s3://bucket/a/../b", 'the prefix may not hold "." or ".." segments'],
    ["s3://bucket/x?versioning=1", "it may not have a query or a fragment"],
    ["file://server/share", "a file URL names no host"],
    ["file:///", "the root folder cannot be the blob store"],
  ])("refuses TESSERA_BLOB_URL=%s at start, naming the variable", (url, message) => {
    expect(() => blobStorage({ TESSERA_BLOB_URL: url })).toThrow(ConfigError);
    expect(() => blobStorage({ TESSERA_BLOB_URL: url })).toThrow(message);
  });

  it("refuses bad S3, cache and download settings", () => {
    const s3 = { TESSERA_BLOB_URL: "s3://tessera/x" };
    expect(() => blobStorage({ ...s3, TESSERA_S3_ENDPOINT: "minio:9000" })).toThrow(
      'TESSERA_S3_ENDPOINT must be an http(s) URL such as http://minio:9000, got "minio:9000"',
    );
    expect(() => blobStorage({ ...s3, TESSERA_S3_FORCE_PATH_STYLE: "yes" })).toThrow(
      'TESSERA_S3_FORCE_PATH_STYLE must be "true" or "false", got "yes"',
    );
    expect(() => blobStorage({ ...s3, TESSERA_BLOB_CACHE_BYTES: "-1" })).toThrow(
      'TESSERA_BLOB_CACHE_BYTES must be an integer of bytes, at least 0, got "-1"',
    );
    expect(() => blobStorage({ ...s3, TESSERA_BLOB_DOWNLOADS: "direct" })).toThrow(
      'TESSERA_BLOB_DOWNLOADS must be "proxy" or "presigned", got "direct"',
    );
    expect(() => blobStorage({ TESSERA_BLOB_DOWNLOADS: "presigned" })).toThrow(
      "TESSERA_BLOB_DOWNLOADS=presigned needs blobs on S3",
    );
  });
});
