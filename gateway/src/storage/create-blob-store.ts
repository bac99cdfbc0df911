import { S3Client } from "@aws-sdk/client-s3";
import type { Logger } from "../logger";
import type { BlobStorageConfig, S3BlobLocation } from "./blob-storage-config";
import type { FileBackedBlobStore } from "./file-backed";
import { LocalBlobStore } from "./local-blob-store";
import { LocalFileCache } from "./local-file-cache";
import { S3BlobStore } from "./s3-blob-store";

/**
 * How long a presigned download URL is valid. Short, so it does not outlive the gateway link or
 * the token that authorised it by more than this: S3 checks the expiry only when a request
 * starts, so a download that takes longer is not cut, and a client that comes back later (a
 * retry, a resumed Range read) goes through the gateway and its checks again.
 */
const PRESIGNED_SECONDS = 60;

export interface CreatedBlobStore {
  store: FileBackedBlobStore;
  /** Releases the store's resources (the S3 client, the local copies); nothing for local blobs. */
  close(): Promise<void>;
}

/**
 * The blob store TESSERA_BLOB_URL names. Presigned download URLs live 60 s, or as long as the
 * gateway's own signed links (TESSERA_SIGNED_URL_TTL) where those are shorter.
 */
export async function createBlobStore(
  config: BlobStorageConfig,
  signedUrlTtlSeconds: number,
  logger: Logger,
): Promise<CreatedBlobStore> {
  const { location } = config;
  if (location.kind === "local") {
    return { store: new LocalBlobStore(location.root), close: async () => {} };
  }
  const store = new S3BlobStore({
    client: s3Client(location),
    bucket: location.bucket,
    prefix: location.prefix,
    cache: (self) =>
      new LocalFileCache({
        dir: config.cache.dir,
        maxBytes: config.cache.maxBytes,
        fetch: (sha256) => self.openRead(sha256),
        logger,
      }),
    presignedDownloadSeconds:
      config.downloads === "presigned" ? Math.min(signedUrlTtlSeconds, PRESIGNED_SECONDS) : null,
  });
  await store.open();
  logger.info(
    {
      bucket: location.bucket,
      prefix: location.prefix,
      endpoint: location.endpoint,
      downloads: config.downloads,
    },
    "blobs are stored on S3",
  );
  return { store, close: () => store.close() };
}

/** Credentials come from the SDK's default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles, roles). */
function s3Client(location: S3BlobLocation): S3Client {
  return new S3Client({
    region: location.region,
    forcePathStyle: location.forcePathStyle,
    ...(location.endpoint
      ? {
          endpoint: location.endpoint,
          // S3-compatible servers do not all accept the SDK's default CRC checksums on every request.
          requestChecksumCalculation: "WHEN_REQUIRED" as const,
          responseChecksumValidation: "WHEN_REQUIRED" as const,
        }
      : {}),
  });
}
