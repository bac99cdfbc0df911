import { randomUUID } from "node:crypto";
import { PassThrough, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { notFound } from "../errors";
import {
  assertSha256,
  type BlobStat,
  type ByteRange,
  type ListedBlob,
  type PutBlobOptions,
  putFailure,
  type RemovedFiles,
  type StoredBlob,
} from "./blob-store";
import type { FileBackedBlobStore } from "./file-backed";
import type { LocalFileCache } from "./local-file-cache";
import { assertRange, uploadMeter } from "./upload-meter";

export interface S3BlobStoreOptions {
  client: S3Client;
  bucket: string;
  /** Keys start with it ("" or ending in "/"): `<prefix>blobs/<sha256>`, `<prefix>tmp/<uuid>`. */
  prefix: string;
  /** Multipart part size; S3's minimum is 5 MiB. Memory per upload ≈ partSizeBytes × queueSize. */
  partSizeBytes?: number;
  /** Parts in flight per upload. */
  queueSize?: number;
  /** Where `withLocalFile` keeps its copies; built over this store's `openRead` when absent. */
  cache?: (store: S3BlobStore) => LocalFileCache;
  /**
   * TESSERA_BLOB_DOWNLOADS=presigned: downloads are redirected to presigned URLs valid this long;
   * null (proxy) → the gateway streams them.
   */
  presignedDownloadSeconds?: number | null;
}

const MIB = 1024 * 1024;
/** CopyObject copies at most 5 GiB in one request; larger blobs are copied part by part. */
const SINGLE_COPY_MAX_BYTES = 5 * 1024 * MIB;
const COPY_PART_BYTES = 512 * MIB;

/**
 * Blobs on S3-compatible object storage at `<prefix>blobs/<sha256>`. An upload streams to a
 * temporary key while it is hashed (multipart, never a whole file in memory), then is copied to its
 * content address and the temporary object deleted; content already stored is not copied again.
 * Objects are durable once S3 acknowledges them, so `syncPending` has nothing to do.
 *
 * Two identical uploads racing may both report `created` (S3-compatible servers do not all honour
 * conditional copies); the callers' reference counting already treats a blob removed under a
 * pending upload as a CONFLICT to retry, as with the local store's sweep.
 */
export class S3BlobStore implements FileBackedBlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly blobPrefix: string;
  private readonly tempPrefix: string;
  private readonly partSizeBytes: number;
  private readonly queueSize: number;
  private readonly cache: LocalFileCache | null;
  private readonly presignedDownloadSeconds: number | null;

  constructor(options: S3BlobStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.blobPrefix = `${options.prefix}blobs/`;
    this.tempPrefix = `${options.prefix}tmp/`;
    this.partSizeBytes = Math.max(5 * MIB, options.partSizeBytes ?? 8 * MIB);
    this.queueSize = Math.max(1, options.queueSize ?? 4);
    this.cache = options.cache?.(this) ?? null;
    this.presignedDownloadSeconds = options.presignedDownloadSeconds ?? null;
  }

  /** Through the local cache: a copy is downloaded (and verified) unless one is there already. */
  async withLocalFile<T>(sha256: string, use: (filePath: string) => Promise<T>): Promise<T> {
    if (!this.cache) throw new Error("This S3BlobStore was made without a local cache");
    return this.cache.withLocalFile(sha256, use);
  }

  /**
   * Where a client may fetch the blob directly, in presigned mode; null → the gateway streams it.
   * The URL carries the download's file name and type, as the gateway's own answer would.
   */
  async directDownloadUrl(
    sha256: string,
    options: { fileName?: string; contentType?: string },
  ): Promise<string | null> {
    if (this.presignedDownloadSeconds === null) return null;
    return this.presignedUrl(sha256, { ...options, expiresInSeconds: this.presignedDownloadSeconds });
  }

  /**
   * Checks that the bucket answers with these credentials, so a wrong bucket, endpoint or key stops
   * the start instead of failing the first upload; then prepares the local copies' folder.
   */
  async open(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      const status = error instanceof S3ServiceException ? ` (HTTP ${error.$metadata.httpStatusCode})` : "";
      const why = status.includes("404")
        ? "it does not exist (the gateway never creates buckets)"
        : status.includes("403")
          ? "access denied: check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY"
          : `${(error as Error).name}: ${(error as Error).message}`;
      throw new Error(`TESSERA_BLOB_URL: the bucket "${this.bucket}" cannot be used${status}: ${why}`, {
        cause: error,
      });
    }
    await this.cache?.open();
  }

  /** Removes the local copies and stops the client. */
  async close(): Promise<void> {
    await this.cache?.close();
    this.client.destroy();
  }

  keyOf(sha256: string): string {
    assertSha256(sha256);
    return this.blobPrefix + sha256;
  }

  async put(source: Readable, options: PutBlobOptions = {}): Promise<StoredBlob> {
    try {
      return await this.putOnce(source, options);
    } catch (error) {
      throw putFailure(error, options.signal);
    }
  }

  private async putOnce(source: Readable, options: PutBlobOptions): Promise<StoredBlob> {
    const { maxBytes = Number.POSITIVE_INFINITY, signal, knownSha256 } = options;
    signal?.throwIfAborted();
    if (knownSha256 !== undefined) {
      const existing = await this.touchIfStored(knownSha256);
      if (existing) {
        source.destroy();
        return { sha256: knownSha256, sizeBytes: existing.sizeBytes, created: false };
      }
    }
    const tempKey = `${this.tempPrefix}${randomUUID()}`;
    const { meter, sizeBytes, sha256: digest } = uploadMeter(maxBytes);
    const body = new PassThrough();
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: tempKey, Body: body },
      partSize: this.partSizeBytes,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    const abort = () => void upload.abort().catch(() => {});
    signal?.addEventListener("abort", abort, { once: true });
    try {
      // Both must settle: a failed source ends the upload, a failed upload stops the source.
      const sent = upload.done();
      await Promise.all([
        pipeline(source, meter, body, { signal }).catch((error: unknown) => {
          abort();
          throw error;
        }),
        sent,
      ]);
      const sha256 = digest();
      if (knownSha256 !== undefined && knownSha256 !== sha256) {
        throw new Error(`The bytes put as ${knownSha256} have the sha256 ${sha256}`);
      }
      const created = await this.publish(tempKey, sha256, sizeBytes());
      return { sha256, sizeBytes: sizeBytes(), created };
    } finally {
      signal?.removeEventListener("abort", abort);
      await this.deleteKey(tempKey).catch(() => {});
    }
  }

  async openRead(sha256: string, range?: ByteRange): Promise<Readable> {
    const key = this.keyOf(sha256);
    if (range) {
      const stat = await this.stat(sha256);
      if (!stat) throw notFound(`Blob ${sha256}`);
      assertRange(range, stat.sizeBytes);
    }
    try {
      const answer = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      return answer.Body as Readable;
    } catch (error) {
      if (isMissing(error)) throw notFound(`Blob ${sha256}`);
      throw error;
    }
  }

  async stat(sha256: string): Promise<BlobStat | null> {
    const head = await this.head(this.keyOf(sha256));
    return head ? { sizeBytes: head.sizeBytes } : null;
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.stat(sha256)) !== null;
  }

  async delete(sha256: string): Promise<boolean> {
    const key = this.keyOf(sha256);
    if (!(await this.head(key))) return false;
    await this.deleteKey(key);
    await this.cache?.forget(sha256);
    return true;
  }

  /** S3 lists keys in ascending UTF-8 order, which for hex names is ascending sha256. */
  async *list(): AsyncIterable<ListedBlob> {
    for await (const object of this.objects(this.blobPrefix)) {
      const sha256 = object.key.slice(this.blobPrefix.length);
      if (!/^[0-9a-f]{64}$/.test(sha256)) continue;
      yield { sha256, sizeBytes: object.sizeBytes, modifiedAt: object.modifiedAt };
    }
  }

  /** Temporary objects and unfinished multipart uploads under `tmp/` older than `olderThan`. */
  async removeAbandonedUploads(olderThan: Date): Promise<RemovedFiles> {
    const removed: RemovedFiles = { names: [], sizeBytes: 0 };
    for await (const object of this.objects(this.tempPrefix)) {
      if (object.modifiedAt.getTime() >= olderThan.getTime()) continue;
      await this.deleteKey(object.key);
      removed.names.push(object.key.slice(this.tempPrefix.length));
      removed.sizeBytes += object.sizeBytes;
    }
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const page = await this.listMultipartUploads(keyMarker, uploadIdMarker);
      if (!page) break;
      for (const upload of page.Uploads ?? []) {
        if (!upload.Key || !upload.UploadId) continue;
        if ((upload.Initiated?.getTime() ?? 0) >= olderThan.getTime()) continue;
        await this.client.send(
          new AbortMultipartUploadCommand({
            Bucket: this.bucket,
            Key: upload.Key,
            UploadId: upload.UploadId,
          }),
        );
        removed.names.push(`${upload.Key.slice(this.tempPrefix.length)} (unfinished upload)`);
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
    } while (keyMarker);
    return removed;
  }

  async syncPending(): Promise<void> {}

  /**
   * Null where the server does not list multipart uploads (s3rver answers 501): there a bucket
   * lifecycle rule (AbortIncompleteMultipartUpload) must remove the parts of crashed uploads.
   */
  private async listMultipartUploads(keyMarker: string | undefined, uploadIdMarker: string | undefined) {
    try {
      return await this.client.send(
        new ListMultipartUploadsCommand({
          Bucket: this.bucket,
          Prefix: this.tempPrefix,
          KeyMarker: keyMarker,
          UploadIdMarker: uploadIdMarker,
        }),
      );
    } catch (error) {
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 501) return null;
      throw error;
    }
  }

  /** A time-limited GET URL for the blob, for clients that download from the store directly. */
  presignedUrl(
    sha256: string,
    options: { expiresInSeconds: number; fileName?: string; contentType?: string },
  ): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: this.keyOf(sha256),
      ...(options.fileName ? { ResponseContentDisposition: attachment(options.fileName) } : {}),
      ...(options.contentType ? { ResponseContentType: options.contentType } : {}),
    });
    return getSignedUrl(this.client, command, { expiresIn: options.expiresInSeconds });
  }

  /**
   * Copies the temporary object to its content address unless that exists already. An existing one
   * is copied onto itself, which refreshes its LastModified: the orphan sweep's grace starts again
   * from this upload, which needs the blob until it records it.
   */
  private async publish(tempKey: string, sha256: string, sizeBytes: number): Promise<boolean> {
    const key = this.keyOf(sha256);
    if (await this.touchIfStored(sha256)) return false;
    if (sizeBytes > SINGLE_COPY_MAX_BYTES) await this.copyInParts(tempKey, key, sizeBytes);
    else {
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: key,
          CopySource: copySource(this.bucket, tempKey),
        }),
      );
    }
    return true;
  }

  /** HEAD, then a self-copy when the blob is there (see publish); null when it is not. */
  private async touchIfStored(sha256: string): Promise<{ sizeBytes: number } | null> {
    const key = this.keyOf(sha256);
    const existing = await this.head(key);
    if (!existing) return null;
    await this.client.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        Key: key,
        CopySource: copySource(this.bucket, key),
        MetadataDirective: "REPLACE",
        Metadata: { "tessera-touched": new Date().toISOString() },
      }),
    );
    return existing;
  }

  private async copyInParts(from: string, to: string, sizeBytes: number): Promise<void> {
    const { UploadId } = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: to }),
    );
    try {
      const parts: { ETag: string; PartNumber: number }[] = [];
      for (let start = 0, number = 1; start < sizeBytes; start += COPY_PART_BYTES, number++) {
        const end = Math.min(sizeBytes, start + COPY_PART_BYTES) - 1;
        const answer = await this.client.send(
          new UploadPartCopyCommand({
            Bucket: this.bucket,
            Key: to,
            UploadId,
            PartNumber: number,
            CopySource: copySource(this.bucket, from),
            CopySourceRange: `bytes=${start}-${end}`,
          }),
        );
        parts.push({ ETag: answer.CopyPartResult!.ETag!, PartNumber: number });
      }
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: to,
          UploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
    } catch (error) {
      await this.client
        .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: to, UploadId }))
        .catch(() => {});
      throw error;
    }
  }

  private async head(key: string): Promise<{ sizeBytes: number } | null> {
    try {
      const answer = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { sizeBytes: answer.ContentLength ?? 0 };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  private async deleteKey(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  private async *objects(
    prefix: string,
  ): AsyncIterable<{ key: string; sizeBytes: number; modifiedAt: Date }> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        yield {
          key: object.Key,
          sizeBytes: object.Size ?? 0,
          modifiedAt: object.LastModified ?? new Date(0),
        };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}

/** RFC 6266 with an ASCII fallback and the exact UTF-8 name, as the gateway's own downloads send. */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;
}

function isMissing(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  return error.name === "NotFound" || error.name === "NoSuchKey" || error.$metadata.httpStatusCode === 404;
}
