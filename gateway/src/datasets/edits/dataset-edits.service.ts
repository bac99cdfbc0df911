import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import type { GatewayConfig } from "../../config";
import type { IncomingFile } from "../../blobs/ingest";
import type { BlobReferences } from "../../blobs/blob-references";
import type { FileBackedBlobStore } from "../../storage/file-backed";
import { badInput, conflict } from "../../errors";
import { isUuid } from "../../graphql/ids";
import { assertCanChange, requireViewer, type Viewer } from "../../users/access";
import { checkCount, checkLength, limits } from "../../limits";
import { classIdsByName } from "../ingest/create-version";
import { toDatasetVersion } from "../datasets.loader";
import type { DatasetVersion } from "../datasets.types";
import { SampleAdditionsService } from "./sample-additions.service";
import { checkClassName } from "./class-names";
import {
  assertEachOnce,
  assertInVersion,
  labelPoolSamples,
  labelPoolSamplesIn,
  type LabelPoolSamplesInput,
} from "./label-pool-samples";
import { copyMemberships, writeEdit, type EditedDataset } from "./write-edit";

export interface SampleLabelChange {
  sampleId: string;
  label: string;
}

type Fill = Parameters<typeof writeEdit>[1]["fill"];

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
    private readonly store: FileBackedBlobStore,
    private readonly references: BlobReferences,
    config: GatewayConfig,
  ) {
    this.additions = new SampleAdditionsService(prisma, store, references, config);
  }

  /**
   * labelPoolSamples (see there) with this gateway's blob store; with `tx`, inside that
   * transaction (labelPoolSamplesIn), so the version commits with the caller's rows.
   */
  labelPoolSamples(input: LabelPoolSamplesInput, tx?: Prisma.TransactionClient): Promise<DatasetVersion> {
    const deps = { store: this.store, references: this.references };
    return tx ? labelPoolSamplesIn(tx, input, deps) : labelPoolSamples(this.prisma, input, deps);
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

  /** Relabels samples of the version; samples of its unlabeled pool get their first class. */
  async relabelSamples(
    viewer: Viewer | null,
    versionId: string,
    changes: SampleLabelChange[],
    message?: string | null,
  ) {
    checkCount("changes", changes, limits.datasetItemsPerRequest);
    const base = await this.editableVersion(viewer, versionId);
    if (changes.length === 0)
      throw badInput("Give at least one change: `changes` is empty", { field: "changes" });
    assertEachOnce(changes.map((change) => change.sampleId));
    const labels = changes.map((change) => ({
      sampleId: change.sampleId,
      className: checkClassName(change.label, "changes.label"),
    }));
    return labelPoolSamples(this.prisma, {
      baseVersionId: base.id,
      labels,
      message: editMessage(message, `Relabelled ${plural(changes.length, "sample")}`),
      createdById: viewer!.id,
    });
  }

  /** Samples of the version's classes or of its unlabeled pool, left out of a new version. */
  async deleteSamples(
    viewer: Viewer | null,
    versionId: string,
    sampleIds: string[],
    message?: string | null,
  ) {
    checkCount("sampleIds", sampleIds, limits.datasetItemsPerRequest);
    const base = await this.editableVersion(viewer, versionId);
    const unique = [...new Set(sampleIds)];
    if (unique.length === 0)
      throw badInput("Give at least one sample id: `sampleIds` is empty", { field: "sampleIds" });
    await assertInVersion(this.prisma, base.id, unique);
    const [labelled, unlabeled] = await Promise.all([
      this.prisma.versionSample.count({ where: { versionId: base.id } }),
      this.prisma.unlabeledSample.count({ where: { versionId: base.id } }),
    ]);
    const remaining = labelled + unlabeled;
    if (remaining === unique.length) {
      throw badInput(
        `Deleting all ${remaining} samples would leave an empty version; delete the dataset instead (deleteDataset)`,
        { field: "sampleIds" },
      );
    }
    const fill: Fill = (tx, id, baseId) => copyMemberships(tx, id, baseId, { without: unique });
    return this.save(base, editMessage(message, `Deleted ${plural(unique.length, "sample")}`), viewer, fill, {
      poolWithout: unique,
    });
  }

  async mergeClasses(
    viewer: Viewer | null,
    versionId: string,
    classes: string[],
    into: string,
    message?: string | null,
  ) {
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
    return this.save(
      base,
      editMessage(message, `Merged ${names.join(", ")} into ${target}`),
      viewer,
      async (tx, id, baseId) => {
        const targetId = (await classIdsByName(tx, base.dataset.id, [target])).get(target)!;
        const moves = new Map(names.map((name) => [present.get(name)!, targetId]));
        await copyMemberships(tx, id, baseId, { classMoves: moves });
      },
    );
  }

  async renameClass(
    viewer: Viewer | null,
    versionId: string,
    from: string,
    to: string,
    message?: string | null,
  ) {
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
    return this.save(
      base,
      editMessage(message, `Renamed ${source} to ${target}`),
      viewer,
      async (tx, id, baseId) => {
        // Class rows are shared by every version of the dataset, so a rename points the new version's
        // samples at another row rather than changing the row old versions read.
        const targetId = (await classIdsByName(tx, base.dataset.id, [target])).get(target)!;
        await copyMemberships(tx, id, baseId, { classMoves: new Map([[fromId, targetId]]) });
      },
    );
  }

  private async save(
    base: EditableVersion,
    message: string,
    viewer: Viewer | null,
    fill: Fill,
    options: { poolWithout?: readonly string[] } = {},
  ): Promise<DatasetVersion> {
    const row = await writeEdit(this.prisma, {
      dataset: base.dataset,
      baseVersionId: base.id,
      userId: viewer!.id,
      message,
      fill,
      poolWithout: options.poolWithout,
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

  /** Class ids by name, for the classes that have samples in the version. */
  private async classesOf(versionId: string): Promise<Map<string, string>> {
    const rows = await this.prisma.datasetClass.findMany({
      where: { members: { some: { versionId } } },
      select: { id: true, name: true },
    });
    return new Map(rows.map((row) => [row.name, row.id]));
  }
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

/** The user's message for the new version, or what the edit did when none (or only spaces) is given. */
function editMessage(given: string | null | undefined, fallback: string): string {
  const trimmed = given?.trim();
  return trimmed ? checkLength("message", trimmed, limits.versionMessageLength) : fallback;
}
