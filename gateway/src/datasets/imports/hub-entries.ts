import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { serviceUnavailable } from "../../errors";
import type { SafeZip, SafeZipEntry } from "../../archives/safe-zip";
import type { HubApi, HubFile } from "../../models/hub-api";
import type { ImportHttp } from "../../models/import-http";

export interface HubCommit {
  repoId: string;
  revision: string;
  commitSha: string;
}

/**
 * The files of a Hub repo at one commit, readable like a checked archive so ingestImages decodes
 * and stores them as it does a ZIP's. Each file is downloaded when it is read (images only, each at
 * most maxImageBytes, checked from the listing first) and checked against the listing's size and
 * LFS sha256; a mismatch or a network failure fails the import, it does not skip the file.
 */
export class HubEntries implements SafeZip {
  readonly entries: SafeZipEntry[];
  readonly totalBytes: number;
  private readonly byPath = new Map<string, HubFile>();

  constructor(
    private readonly hub: HubApi,
    private readonly http: ImportHttp,
    private readonly commit: HubCommit,
    files: readonly HubFile[],
  ) {
    const modifiedAt = new Date(0);
    this.entries = files.map((file) => {
      this.byPath.set(file.path, file);
      return { path: file.path, sizeBytes: file.sizeBytes, compressedBytes: file.sizeBytes, modifiedAt };
    });
    this.totalBytes = files.reduce((total, file) => total + file.sizeBytes, 0);
  }

  async openEntry(entry: SafeZipEntry): Promise<Readable> {
    const file = this.byPath.get(entry.path)!;
    const { repoId, commitSha, revision } = this.commit;
    const fetched = await this.hub.download(repoId, commitSha, file.path, revision);
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of fetched.response.body ?? []) {
        size += chunk.byteLength;
        if (size > file.sizeBytes) break;
        chunks.push(Buffer.from(chunk));
      }
    } catch (error) {
      throw this.http.networkError(fetched.url, error);
    }
    const host = fetched.url.host;
    if (size !== file.sizeBytes) {
      await fetched.response.body?.cancel().catch(() => {});
      throw serviceUnavailable(
        `The download of "${file.path}" from ${host} ${size > file.sizeBytes ? "ran past" : "stopped at"} ` +
          `${size} of ${file.sizeBytes} bytes; retry the import`,
      );
    }
    const bytes = Buffer.concat(chunks);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    if (file.lfsSha256 !== null && file.lfsSha256.toLowerCase() !== sha256) {
      throw serviceUnavailable(
        `"${file.path}" from ${host} has sha256 ${sha256}, but the Hub lists ${file.lfsSha256}; retry the import`,
      );
    }
    return Readable.from([bytes]);
  }

  close(): void {}
}
