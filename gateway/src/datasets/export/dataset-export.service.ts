import type { PrismaClient } from "../../generated/prisma/client";
import { notFound } from "../../errors";
import { isUuid } from "../../graphql/ids";
import type { ZipSourceFile } from "../../archives/zip-writer";
import type { BlobStore } from "../../storage/blob-store";
import { canSee, type Viewer } from "../../users/access";
import { exportEntries, exportedSamples } from "./export-archive";
import { exportFileName } from "./export-names";

export const datasetExportPath = (versionId: string) => `/files/dataset-versions/${versionId}/export.zip`;

export interface VersionArchive {
  fileName: string;
  files: ZipSourceFile[];
}

/** Exports of dataset versions: whoever may see a version may export it; anyone else gets NOT_FOUND. */
export class DatasetExportService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: BlobStore,
  ) {}

  /** The export's file name, once the viewer is known to see the version. */
  async exportableName(viewer: Viewer | null, versionId: string): Promise<string> {
    return exportFileName(...(await this.visibleVersion(viewer, versionId)));
  }

  async archive(viewer: Viewer | null, versionId: string): Promise<VersionArchive> {
    const [datasetName, number] = await this.visibleVersion(viewer, versionId);
    const files = exportEntries(await exportedSamples(this.prisma, versionId), this.store);
    return { fileName: exportFileName(datasetName, number), files };
  }

  private async visibleVersion(viewer: Viewer | null, versionId: string): Promise<[string, number]> {
    const row = isUuid(versionId)
      ? await this.prisma.datasetVersion.findUnique({ where: { id: versionId }, include: { dataset: true } })
      : null;
    if (!row || !canSee(viewer, row.dataset)) throw notFound(`Dataset version ${versionId}`);
    return [row.dataset.name, row.number];
  }
}
