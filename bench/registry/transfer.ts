import fs from "node:fs";
import path from "node:path";
import { timed } from "../lib/measure";
import { formatNumber, MiB, mibPerSecond, printTable, type Ratio } from "../lib/report";
import { kernelCopy, sha256OfFile, streamCopy, syncFile, writeRandomFile } from "./file-io";
import type { GatewayUnderTest } from "./gateway-under-test";
import { GatewayClient } from "./http-client";

const UPLOAD = `
  mutation Upload($input: UploadModelInput!, $files: [Upload!]!) {
    uploadModel(input: $input, files: $files) {
      id
      primaryFile { path sizeBytes sha256 downloadUrl }
    }
  }`;

interface Uploaded {
  uploadModel: {
    id: string;
    primaryFile: { path: string; sizeBytes: number; sha256: string; downloadUrl: string } | null;
  };
}

/**
 * (a) One file up through POST /graphql and back down through its downloadUrl, against copying
 * the same file with fs on the same disk. Every leg reads a whole file and writes a whole file
 * that ends fsynced: the blob store fsyncs before it publishes a blob, so the client fsyncs its
 * download and the baseline fsyncs its copy. A round trip is two legs, so its rate is
 * 2 × size / (upload + download seconds), against 2 × size / (two copies' seconds).
 */
export async function benchTransfer(gateway: GatewayUnderTest, workDir: string, mib: number): Promise<Ratio> {
  const bytes = mib * MiB;
  const source = path.join(workDir, "weights.bin");
  const copy = path.join(workDir, "copy.bin");
  const downloaded = path.join(workDir, "downloaded.bin");
  const expectedSha256 = await writeRandomFile(source, bytes);

  const copyOnce = async (kind: typeof streamCopy) => {
    const { seconds } = await timed(() => kind(source, copy));
    await fs.promises.rm(copy);
    return seconds;
  };
  // Copies before and after the gateway legs, so drift in the disk's speed shows as noise.
  const streamFirst = await copyOnce(streamCopy);
  const kernelFirst = await copyOnce(kernelCopy);

  const client = new GatewayClient(gateway.url, gateway.adminToken);
  try {
    const upload = await timed(() =>
      client.upload<Uploaded>(UPLOAD, { input: { slug: "bench-transfer", framework: "OTHER" } }, [
        { name: "weights.bin", content: { path: source } },
      ]),
    );
    const primary = upload.value.uploadModel.primaryFile;
    if (!primary) throw new Error("The uploaded version has no primaryFile");
    if (primary.sha256 !== expectedSha256 || primary.sizeBytes !== bytes) {
      throw new Error(
        `The gateway stored ${primary.sizeBytes} bytes with sha256 ${primary.sha256}; ` +
          `sent ${bytes} bytes with sha256 ${expectedSha256}`,
      );
    }
    const download = await timed(async () => {
      await client.download(primary.downloadUrl, downloaded);
      await syncFile(downloaded);
    });
    const downloadedSha256 = await sha256OfFile(downloaded);
    if (downloadedSha256 !== expectedSha256) {
      throw new Error(`The download has sha256 ${downloadedSha256}; uploaded ${expectedSha256}`);
    }
    await fs.promises.rm(downloaded);

    const streamSecond = await copyOnce(streamCopy);
    const kernelSecond = await copyOnce(kernelCopy);
    const streamMean = (streamFirst + streamSecond) / 2;
    const kernelMean = (kernelFirst + kernelSecond) / 2;
    const roundTrip = upload.seconds + download.seconds;

    const row = (label: string, seconds: number, legs = 1) => [
      label,
      seconds.toFixed(3),
      formatNumber(mibPerSecond(legs * bytes, seconds)),
    ];
    printTable(
      `registry.transfer: ${mib} MiB of random bytes, sha256 checked after the round trip`,
      ["leg", "seconds", "MiB/s"],
      [
        row("gateway upload (multipart POST /graphql → blob store, fsync)", upload.seconds),
        row("gateway download (GET downloadUrl → file, fsync)", download.seconds),
        row("gateway round trip (upload + download)", roundTrip, 2),
        row("fs stream copy, pass 1 (read + write, fsync)", streamFirst),
        row("fs stream copy, pass 2", streamSecond),
        row("fs stream copy round trip (2 × mean pass)", 2 * streamMean, 2),
        row("fs.copyFile, pass 1 (kernel copy, fsync; for reference)", kernelFirst),
        row("fs.copyFile, pass 2", kernelSecond),
        row("fs.copyFile round trip (2 × mean pass)", 2 * kernelMean, 2),
      ],
    );
    return {
      name: "registry.transfer",
      subject: { label: "gateway", value: mibPerSecond(2 * bytes, roundTrip), unit: "MiB/s" },
      baseline: { label: "fs stream copy", value: mibPerSecond(bytes, streamMean), unit: "MiB/s" },
      aim: 0.5,
    };
  } finally {
    client.close();
    await fs.promises.rm(source, { force: true });
  }
}
