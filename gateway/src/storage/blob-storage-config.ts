import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

type Env = Record<string, string | undefined>;
/** config.ts's ConfigError, passed in so this module does not import config.ts back. */
type Invalid = (message: string) => Error;

/** Blobs in a local directory (the default: `<dataDir>/blobs`). */
export interface LocalBlobLocation {
  kind: "local";
  root: string;
}

/** Blobs on S3-compatible object storage at `s3://<bucket>/<prefix>blobs/<sha256>`. */
export interface S3BlobLocation {
  kind: "s3";
  bucket: string;
  /** "" or ending in "/". */
  prefix: string;
  /** TESSERA_S3_ENDPOINT: an S3-compatible server (MinIO, s3rver…); null → AWS's endpoint for the region. */
  endpoint: string | null;
  /** TESSERA_S3_REGION, default us-east-1. */
  region: string;
  /** TESSERA_S3_FORCE_PATH_STYLE: `<endpoint>/<bucket>/<key>` URLs; default true when an endpoint is set. */
  forcePathStyle: boolean;
}

/** Where blobs live and how readers get them; parsed once at start. */
export interface BlobStorageConfig {
  /** TESSERA_BLOB_URL: absent or `file:///abs/dir` → local, `s3://bucket/prefix` → S3. */
  location: LocalBlobLocation | S3BlobLocation;
  /**
   * The local copies S3 blobs are read from by readers that need a file (ZIP central directories,
   * ONNX Runtime): `<dataDir>/blob-cache/<host>-<pid>`, one folder per process so no process
   * evicts a file another one reads. Unused with local blobs.
   */
  cache: { dir: string; maxBytes: number };
  /**
   * TESSERA_BLOB_DOWNLOADS: `proxy` (default) streams downloads through the gateway; `presigned`
   * answers a download link with a redirect to a presigned URL of the object store (S3 only).
   */
  downloads: "proxy" | "presigned";
}

const GiB = 1024 ** 3;
/** S3's rules for bucket names (3–63 characters of lowercase letters, digits, dots and hyphens). */
const bucketPattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Key prefixes: path segments of printable ASCII, no empty, "." or ".." segment. */
const prefixSegmentPattern = /^[\x21-\x7e]+$/;

export function blobStorageConfig(env: Env, dataDir: string, invalid: Invalid): BlobStorageConfig {
  const location = blobLocation(env, dataDir, invalid);
  const downloads = env.TESSERA_BLOB_DOWNLOADS || "proxy";
  if (downloads !== "proxy" && downloads !== "presigned") {
    throw invalid(`TESSERA_BLOB_DOWNLOADS must be "proxy" or "presigned", got "${downloads}"`);
  }
  if (downloads === "presigned" && location.kind !== "s3") {
    throw invalid(
      "TESSERA_BLOB_DOWNLOADS=presigned needs blobs on S3 (TESSERA_BLOB_URL=s3://bucket/prefix); " +
        "local blobs are always downloaded through the gateway",
    );
  }
  return {
    location,
    cache: {
      dir: path.join(dataDir, "blob-cache", `${os.hostname()}-${process.pid}`),
      maxBytes: cacheBytes(env, invalid),
    },
    downloads,
  };
}

function blobLocation(env: Env, dataDir: string, invalid: Invalid): LocalBlobLocation | S3BlobLocation {
  const raw = env.TESSERA_BLOB_URL;
  if (!raw) return { kind: "local", root: path.join(dataDir, "blobs") };
  const refuse = (why: string): never => {
    throw invalid(
      `TESSERA_BLOB_URL must be file:///absolute/dir or s3://bucket/prefix, got "${raw}": ${why}`,
    );
  };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse("not a URL");
  }
  if (url.search || url.hash) refuse("it may not have a query or a fragment");
  if (url.protocol === "file:") {
    if (url.host && url.host !== "localhost") refuse("a file URL names no host");
    const root = fileURLToPath(url);
    if (root === "/") refuse("the root folder cannot be the blob store");
    return { kind: "local", root: path.resolve(root) };
  }
  if (url.protocol !== "s3:") return refuse(`unknown scheme "${url.protocol}"`);
  if (url.username || url.password || url.port)
    refuse("credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY");
  const bucket = url.hostname;
  if (!bucketPattern.test(bucket) || bucket.includes("..")) {
    refuse(`"${bucket}" is not an S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)`);
  }
  // The URL parser drops "." and ".." segments silently; a prefix that had them is refused instead.
  if (/\/\.{1,2}(\/|$)/.test(raw.slice("s3://".length)))
    refuse('the prefix may not hold "." or ".." segments');
  const segments = decodeURIComponent(url.pathname).split("/").filter(Boolean);
  for (const segment of segments) {
    if (!prefixSegmentPattern.test(segment) || segment === "." || segment === "..") {
      refuse(`the prefix segment "${segment}" is not printable ASCII or is "." / ".."`);
    }
  }
  const endpoint = s3Endpoint(env, invalid);
  return {
    kind: "s3",
    bucket,
    prefix: segments.length ? `${segments.join("/")}/` : "",
    endpoint,
    region: env.TESSERA_S3_REGION || "us-east-1",
    forcePathStyle: pathStyle(env, endpoint !== null, invalid),
  };
}

function s3Endpoint(env: Env, invalid: Invalid): string | null {
  const raw = env.TESSERA_S3_ENDPOINT;
  if (!raw) return null;
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw invalid(`TESSERA_S3_ENDPOINT must be an http(s) URL such as http://minio:9000, got "${raw}"`);
  }
  return raw.replace(/\/+$/, "");
}

function pathStyle(env: Env, hasEndpoint: boolean, invalid: Invalid): boolean {
  const raw = env.TESSERA_S3_FORCE_PATH_STYLE;
  if (raw === undefined || raw === "") return hasEndpoint;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw invalid(`TESSERA_S3_FORCE_PATH_STYLE must be "true" or "false", got "${raw}"`);
}

/** TESSERA_BLOB_CACHE_BYTES: default 2 GiB; 0 keeps a copy only while it is leased. */
function cacheBytes(env: Env, invalid: Invalid): number {
  const raw = env.TESSERA_BLOB_CACHE_BYTES;
  if (raw === undefined || raw === "") return 2 * GiB;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw invalid(`TESSERA_BLOB_CACHE_BYTES must be an integer of bytes, at least 0, got "${raw}"`);
  }
  return value;
}
