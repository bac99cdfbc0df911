import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
// s3rver: a real S3-protocol server (HTTP, SigV4, multipart, ranges, presigned URLs) on loopback.
import S3rver from "s3rver";

/** s3rver's fixed credentials: what a gateway's SDK default chain must find in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. */
export const S3RVER_CREDENTIALS = { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" };

export interface TestS3Server {
  endpoint: string;
  bucket: string;
  client: S3Client;
  /** The environment that puts a gateway's blobs under `s3://<bucket>/<prefix>` on this server. */
  gatewayEnv(prefix: string, extra?: Record<string, string>): Record<string, string>;
  /** Keys under `prefix`, relative to it, sorted. */
  keys(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

/** An S3-protocol server on a free loopback port with one empty bucket; its files in a temp folder. */
export async function startS3Server(bucket = "tessera"): Promise<TestS3Server> {
  const directory = await mkdtemp(path.join(tmpdir(), "s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  keepFolders(server);
  const address = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
  return {
    endpoint,
    bucket,
    client,
    gatewayEnv: (prefix, extra = {}) => ({
      TESSERA_BLOB_URL: `s3://${bucket}/${prefix}`,
      TESSERA_S3_ENDPOINT: endpoint,
      ...S3RVER_CREDENTIALS,
      ...extra,
    }),
    async keys(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) keys.push(object.Key!.slice(prefix.length));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

interface FilesystemStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  deleteObject(bucket: string, key: string): Promise<void>;
}

/**
 * s3rver keeps each key as files in folders and removes a key's emptied folders on delete; a put
 * into the same folder at that moment fails inside s3rver (an unhandled ENOENT on its write
 * stream). S3 has no folders, so nothing is lost by leaving them: deletes here remove the key's
 * files only.
 */
function keepFolders(server: S3rver): void {
  const store = (server as unknown as { store: FilesystemStore }).store;
  store.deleteObject = async (bucket, key) => {
    await Promise.all(
      ["object", "object.md5", "metadata.json"].map((resource) =>
        rm(store.getResourcePath(bucket, key, resource), { force: true }),
      ),
    );
  };
}
