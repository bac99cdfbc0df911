import type { PrismaClient } from "../../generated/prisma/client";
import type { GatewayConfig } from "../../config";
import type { IncomingFile } from "../../blobs/ingest";
import type { BlobReferences } from "../../blobs/blob-references";
import type { FileBackedBlobStore } from "../../storage/file-backed";
import { badInput, conflict } from "../../errors";
import { isUuid } from "../../graphql/ids";
import { assertCanChange, requireViewer, type Viewer } from "../../users/access";
import { checkCount, limits } from "../../limits";
import { classIdsByName } from "../ingest/create-version";
import { toDatasetVersion } from "../datasets.loader";
import type { DatasetVersion } from "../datasets.types";
import { SampleAdditionsService } from "./sample-additions.service";
import {
  copyMemberships,
  relabelMemberships,
  sampleIdsMissingFrom,
  writeEdit,
  type EditedDataset,
} from "./write-edit";

export interface SampleLabelChange {
  sampleId: string;
  label: string;
}

interface EditableVersion {
  id: string;
  dataset: EditedDataset;
}

/**
 * The edits of a dataset: each makes a new version from a base version, checked first (the base
 * never changes, so checks made outside the transaction stay true inside it).
 */
export class DatasetEditsService {
  private readonly additions: SampleAdditionsService;

  constructor(
    private readonly prisma: PrismaClient,
    store: FileBackedBlobStore,
    references: BlobReferences,
    config: GatewayConfig,
  ) {
    this.additions = new SampleAdditionsService(prisma, store, references, config);
  }

  addSamples(
    viewer: Viewer | null,
    datasetId: string,
    archive: IncomingFile,
    baseVersionId: string | null,
    signal?: AbortSignal,
  ): Promise<DatasetVersion> {
    return this.additions.addSamples(viewer, datasetId, archive, baseVersionId, signal);
  }

  async relabelSamples(viewer: Viewer | null, versionId: string, changes: SampleLabelChange[]) {
    checkCount("changes", changes, limits.datasetItemsPerRequest);
    const base = await this.editableVersion(viewer, versionId);
    if (changes.length === 0)
      throw badInput("Give at least one change: `changes` is empty", { field: "changes" });
    const sampleIds = changes.map((change) => change.sampleId);
    const repeated = sampleIds.filter((id, index) => sampleIds.indexOf(id) !== index);
    if (repeated.length > 0) {
      throw badInput(
        `Each sample may be relabelled once per edit; repeated: ${[...new Set(repeated)].join(", ")}`,
        {
          sampleIds: [...new Set(repeated)],
        },
      );
    }
    const labels = changes.map((change) => checkClassName(change.label, "changes.label"));
    await this.assertMembers(base.id, sampleIds);
    const names = [...new Set(labels)];
    return this.save(
      base,
      `Relabelled ${plural(changes.length, "sample")}`,
      viewer,
      async (tx, id, baseId) => {
        const classIds = await classIdsByName(tx, base.dataset.id, names);
        await copyMemberships(tx, id, baseId);
        await relabelMemberships(
          tx,
          id,
          changes.map((change, index) => ({
            sampleId: change.sampleId,
            classId: classIds.get(labels[index]!)!,
          })),
        );
      },
    );
  }

  async deleteSamples(viewer: Viewer | null, versionId: string, sampleIds: string[]) {
    checkCount("sampleIds", sampleIds, limits.datasetItemsPerRequest);
    const base = await this.editableVersion(viewer, versionId);
    const unique = [...new Set(sampleIds)];
    if (unique.length === 0)
      throw badInput("Give at least one sample id: `sampleIds` is empty", { field: "sampleIds" });
    await this.assertMembers(base.id, unique);
    const remaining = await this.prisma.versionSample.count({ where: { versionId: base.id } });
    if (remaining === unique.length) {
      throw badInput(
        `Deleting all ${remaining} samples would leave an empty version; delete the dataset instead (deleteDataset)`,
        { field: "sampleIds" },
      );
    }
    return this.save(base, `Deleted ${plural(unique.length, "sample")}`, viewer, (tx, id, baseId) =>
      copyMemberships(tx, id, baseId, { without: unique }),
    );
  }

  async mergeClasses(viewer: Viewer | null, versionId: string, classes: string[], into: string) {
    checkCount("classes", classes, limits.datasetItemsPerRequest);
    const base = await this.editableVersion(viewer, versionId);
    const names = [...new Set(classes.map((name) => name.trim()))];
    if (names.length < 2) {
      throw badInput(
        `Merging needs at least 2 different classes, got ${names.length}; to rename one use renameClass`,
        {
          field: "classes",
        },
      );
    }
    const target = checkClassName(into, "into");
    const present = await this.classesOf(base.id);
    const unknown = names.filter((name) => !present.has(name));
    if (unknown.length > 0) {
      throw badInput(`Version ${base.id} has no samples in the class(es) ${unknown.join(", ")}`, {
        classes: unknown,
      });
    }
    const message = `Merged ${names.join(", ")} into ${target}`;
    return this.save(base, message, viewer, async (tx, id, baseId) => {
      const targetId = (await classIdsByName(tx, base.dataset.id, [target])).get(target)!;
      const moves = new Map(names.map((name) => [present.get(name)!, targetId]));
      await copyMemberships(tx, id, baseId, { classMoves: moves });
    });
  }

  async renameClass(viewer: Viewer | null, versionId: string, from: string, to: string) {
    const base = await this.editableVersion(viewer, versionId);
    const source = from.trim();
    const target = checkClassName(to, "to");
    const present = await this.classesOf(base.id);
    const fromId = present.get(source);
    if (!fromId)
      throw badInput(`Version ${base.id} has no samples in the class "${source}"`, { field: "from" });
    if (source === target) throw badInput(`The class is already called "${target}"`, { field: "to" });
    if (present.has(target)) {
      throw conflict(
        `Version ${base.id} already has a class "${target}"; to put both classes together use mergeClasses`,
        { field: "to" },
      );
    }
    return this.save(base, `Renamed ${source} to ${target}`, viewer, async (tx, id, baseId) => {
      // Class rows are shared by every version of the dataset, so a rename points the new version's
      // samples at another row rather than changing the row old versions read.
      const targetId = (await classIdsByName(tx, base.dataset.id, [target])).get(target)!;
      await copyMemberships(tx, id, baseId, { classMoves: new Map([[fromId, targetId]]) });
    });
  }

  private async save(
    base: EditableVersion,
    message: string,
    viewer: Viewer | null,
    fill: Parameters<typeof writeEdit>[1]["fill"],
  ): Promise<DatasetVersion> {
    const row = await writeEdit(this.prisma, {
      dataset: base.dataset,
      baseVersionId: base.id,
      userId: viewer!.id,
      message,
      fill,
    });
    return toDatasetVersion(row);
  }

  /** The version with its dataset, when the viewer may change that dataset (NOT_FOUND/FORBIDDEN otherwise). */
  private async editableVersion(viewer: Viewer | null, versionId: string): Promise<EditableVersion> {
    const user = requireViewer(viewer);
    const row = isUuid(versionId)
      ? await this.prisma.datasetVersion.findUnique({ where: { id: versionId }, include: { dataset: true } })
      : null;
    const dataset = assertCanChange(user, row?.dataset ?? null, `Dataset version ${versionId}`);
    return { id: row!.id, dataset };
  }

  private async assertMembers(versionId: string, sampleIds: readonly string[]): Promise<void> {
    const missing = await sampleIdsMissingFrom(this.prisma, versionId, sampleIds);
    if (missing.length > 0) {
      throw badInput(`These samples are not in version ${versionId}: ${missing.join(", ")}`, {
        sampleIds: missing,
      });
    }
  }

  /** Class ids by name, for the classes that have samples in the version. */
  private async classesOf(versionId: string): Promise<Map<string, string>> {
    const rows = await this.prisma.datasetClass.findMany({
      where: { members: { some: { versionId } } },
      select: { id: true, name: true },
    });
    return new Map(rows.map((row) => [row.name, row.id]));
  }
}

export function checkClassName(name: string, field: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > limits.classNameLength) {
    throw badInput(
      `A class name must be 1–${limits.classNameLength} characters after trimming, got "${name}"`,
      { field },
    );
  }
  return trimmed;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
