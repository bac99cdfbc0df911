import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { timed } from "../lib/measure";
import { formatNumber, MiB, mibPerSecond, printTable, type Ratio } from "../lib/report";
import { writeRandomFile } from "../registry/file-io";
import { GatewayClient } from "../registry/http-client";
import type { ClusterUnderTest } from "./cluster-under-test";
import { spawnGatewayReplica, spawnNodeProcess } from "./processes";

const BUCKET = "tessera-bench";
const PREFIX = "replicas/";
/** s3rver accepts any key pair; the gateway takes them from the SDK's default chain. */
const S3_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

const UPLOAD = `
  mutation Upload($input: UploadModelInput!, $files: [Upload!]!) {
    uploadModel(input: $input, files: $files) { id primaryFile { sizeBytes sha256 } }
  }`;

interface Uploaded {
  uploadModel: { primaryFile: { sizeBytes: number; sha256: string } | null };
}

type Store = "local" | "S3";

/**
 * uploadModel of one file of `mib` MiB (random bytes, streamed from disk, a new file every pass so
 * nothing is deduplicated) through replica A, whose blobs are in the local folder, and through a
 * third replica on the same database whose blobs are on S3 (TESSERA_BLOB_URL=s3://…, an s3rver
 * process on loopback). Passes run local, S3, S3, local, so drift falls on both alike. Each answer's
 * sha256 and size are checked, and every S3 pass's object is found in the bucket.
 */
export async function benchReplicaUpload(
  cluster: ClusterUnderTest,
  workDir: string,
  mib: number,
): Promise<Ratio> {
  const s3Dir = path.join(workDir, "s3rver");
  await fs.promises.mkdir(s3Dir);
  const s3rver = spawnNodeProcess("s3rver", "bench/cluster/s3rver-main.ts", {
    S3RVER_DIRECTORY: s3Dir,
    S3RVER_BUCKET: BUCKET,
  });
  try {
    await s3rver.waitForOutput(/s3rver listening on \d+/, 60_000);
    const endpoint = `http://127.0.0.1:${/s3rver listening on (\d+)/.exec(s3rver.output())![1]}`;
    const onS3 = await spawnGatewayReplica("gateway S3", {
      ...cluster.replicaEnv,
      TESSERA_DATA_DIR: path.join(workDir, "s3-data"),
      TESSERA_BLOB_URL: `s3://${BUCKET}/${PREFIX}`,
      TESSERA_S3_ENDPOINT: endpoint,
      TESSERA_S3_REGION: "us-east-1",
      TESSERA_S3_FORCE_PATH_STYLE: "true",
      AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
    });
    const s3 = new S3Client({
      endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: S3_CREDENTIALS,
    });
    const clients = {
      local: new GatewayClient(cluster.a.url, cluster.adminToken),
      S3: new GatewayClient(onS3.url, cluster.adminToken),
    };
    try {
      const bytes = mib * MiB;
      // Unreported: each replica's first multipart upload pays for JIT and cold connections.
      for (const store of ["local", "S3"] as const) {
        await clients[store].upload<Uploaded>(
          UPLOAD,
          { input: { slug: `bench-upload-warm-${store.toLowerCase()}`, framework: "OTHER" } },
          [{ name: "weights.bin", content: randomBytes(MiB) }],
        );
      }
      const passes: Array<{ store: Store; seconds: number; loadAverage: number }> = [];
      for (const [index, store] of (["local", "S3", "S3", "local"] as const).entries()) {
        const file = path.join(workDir, `upload-${index}.bin`);
        const sha256 = await writeRandomFile(file, bytes);
        const upload = await timed(() =>
          clients[store].upload<Uploaded>(
            UPLOAD,
            { input: { slug: `bench-upload-${index}`, framework: "OTHER" } },
            [{ name: "weights.bin", content: { path: file } }],
          ),
        );
        await fs.promises.rm(file);
        const stored = upload.value.uploadModel.primaryFile;
        if (stored?.sha256 !== sha256 || stored.sizeBytes !== bytes)
          throw new Error(
            `${store} pass ${index + 1} stored ${JSON.stringify(stored)}; sent ${bytes} bytes, sha256 ${sha256}`,
          );
        if (store === "S3") {
          const head = await s3.send(
            new HeadObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}blobs/${sha256}` }),
          );
          if (head.ContentLength !== bytes)
            throw new Error(`the S3 object holds ${head.ContentLength} bytes, not ${bytes}`);
        }
        passes.push({ store, seconds: upload.seconds, loadAverage: os.loadavg()[0]! });
      }
      const rate = (store: Store) => {
        const mine = passes.filter((pass) => pass.store === store);
        return mibPerSecond(
          bytes * mine.length,
          mine.reduce((sum, pass) => sum + pass.seconds, 0),
        );
      };
      printTable(
        `replicas.upload: uploadModel of ${mib} MiB (a new file each pass) through a replica, by blob store`,
        ["pass", "store", "seconds", "MiB/s", "load"],
        passes.map((pass, index) => [
          String(index + 1),
          pass.store === "local" ? "local folder (replica A)" : "S3: s3rver on loopback",
          pass.seconds.toFixed(2),
          formatNumber(mibPerSecond(bytes, pass.seconds)),
          pass.loadAverage.toFixed(2),
        ]),
      );
      return {
        name: "replicas.upload",
        subject: { label: "S3 (s3rver)", value: rate("S3"), unit: "MiB/s" },
        baseline: { label: "local folder", value: rate("local"), unit: "MiB/s" },
        note: `${mib} MiB per upload, 2 passes each; s3rver writes every object to disk itself`,
      };
    } finally {
      clients.local.close();
      clients.S3.close();
      s3.destroy();
      await onS3.stop();
    }
  } finally {
    await s3rver.stop();
  }
}
