import type { GatewayConfig } from "../config";
import type { Logger } from "../logger";
import { badInput } from "../errors";
import type { BlobStore } from "../storage/blob-store";
import type { BlobReferences } from "../blobs/blob-references";
import type { IngestedFile } from "../blobs/ingest";
import { requireViewer, type Viewer } from "../users/access";
import { downloadHubFiles } from "./hub-client";
import { downloadUrl } from "./url-download";
import type { ImportModelInput, UploadModelInput } from "./models.inputs";
import type { ModelsService } from "./models.service";
import { validFilePath } from "./model-files";

/** `importModel`: files from the Hugging Face Hub or a URL become a version like an upload would. */
export class ModelImportsService {
  constructor(
    private readonly models: ModelsService,
    private readonly store: BlobStore,
    private readonly references: BlobReferences,
    private readonly config: GatewayConfig,
    private readonly logger: Logger,
  ) {}

  async importModel(viewer: Viewer | null, input: ImportModelInput, signal?: AbortSignal) {
    const user = requireViewer(viewer);
    if (Boolean(input.huggingFace) === Boolean(input.url)) {
      throw badInput('Give exactly one source: "huggingFace" or "url"', { field: "input" });
    }
    await this.models.precheck(user, input.model);
    const options = { signal, releaseBlobs: (sha256s: string[]) => this.references.release(sha256s) };
    const { files, source } = input.huggingFace
      ? await this.fromHub(input.huggingFace, options)
      : await this.fromUrl(input.url!, options);
    const empty = files.find((f) => f.sizeBytes === 0);
    if (empty) {
      await this.references.release(files.map((f) => f.sha256));
      throw badInput(`The imported file "${empty.path}" is empty`, { path: empty.path });
    }
    const model: UploadModelInput = {
      ...input.model,
      customMetadata: { ...(input.model.customMetadata as object | undefined), source },
    };
    return this.models.register(user, model, files);
  }

  private async fromHub(hub: NonNullable<ImportModelInput["huggingFace"]>, options: ImportOptions) {
    const imported = await downloadHubFiles(this.config, this.store, this.logger, hub, options);
    return {
      files: imported.files.map(toIngested),
      source: {
        kind: "huggingface",
        repoId: imported.repoId,
        revision: imported.revision,
        commit: imported.commitSha,
      },
    };
  }

  private async fromUrl(url: string, options: ImportOptions) {
    const imported = await downloadUrl(this.config, this.store, this.logger, url, options);
    return { files: [toIngested(imported)], source: { kind: "url", url: imported.sourceUrl } };
  }
}

type ImportOptions = { signal?: AbortSignal; releaseBlobs: (sha256s: string[]) => Promise<void> };

function toIngested(file: {
  path: string;
  sha256: string;
  sizeBytes: number;
  contentType: string;
}): IngestedFile {
  return {
    path: validFilePath(file.path),
    sha256: file.sha256,
    sizeBytes: file.sizeBytes,
    contentType: file.contentType,
  };
}
