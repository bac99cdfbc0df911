import { Readable } from "node:stream";
import type { PrismaClient } from "../../generated/prisma/client";
import type { ZipSourceFile } from "../../archives/zip-writer";
import type { BlobStore } from "../../storage/blob-store";
import { unlabeledFolder, unlabeledSplit } from "../pool/unlabeled-pool";
import {
  baseName,
  classFolders,
  csvLine,
  labelsFileName,
  labelsHeader,
  safeSegment,
  UniqueNames,
} from "./export-names";

/** What the export needs of one sample of the version; never its bytes. */
export interface ExportedSample {
  id: string;
  sha256: string;
  sizeBytes: number;
  originalPath: string;
  /** null: a sample of the unlabeled pool. */
  className: string | null;
  split: string | null;
  metadata: unknown;
}

/** CSV lines per chunk the labels file streams: few, large writes. */
const linesPerChunk = 500;

/**
 * The entries of a version's export, in order: `labels.csv`, then each class's folder (classes by
 * name, samples by path), then `_unlabeled/` for the pool. A sample's file is named after the last
 * segment of its upload path, made safe and unique within its folder (`a.jpg`, `a-2.jpg`, …).
 *
 * Image bytes are read from the store when the ZIP writer reaches them, one at a time; the labels
 * file is generated line by line twice (once to measure it, once to send it) instead of being kept.
 * What stays in memory is the entry list itself, which a ZIP's central directory needs anyway.
 */
export function exportEntries(samples: readonly ExportedSample[], store: BlobStore): ZipSourceFile[] {
  const labelled = samples.filter((sample) => sample.className !== null);
  const folders = classFolders([...new Set(labelled.map((sample) => sample.className!))]);
  const namesIn = new Map<string, UniqueNames>();
  const rows: string[][] = [];
  const images: ZipSourceFile[] = [];
  for (const sample of samples) {
    const folder = sample.className === null ? unlabeledFolder : folders.get(sample.className)!;
    const names = namesIn.get(folder) ?? new UniqueNames();
    namesIn.set(folder, names);
    const wanted = safeSegment(baseName(sample.originalPath) || `${sample.id}`, true);
    const path = `${folder}/${names.take(wanted, true)}`;
    images.push({ path, sizeBytes: sample.sizeBytes, open: () => store.openRead(sample.sha256) });
    rows.push([
      path,
      sample.className ?? "",
      sample.className === null ? unlabeledSplit : (sample.split ?? ""),
      sample.metadata === null || sample.metadata === undefined ? "" : JSON.stringify(sample.metadata),
    ]);
  }
  const labels = () => labelChunks(rows);
  let labelsBytes = 0;
  for (const chunk of labels()) labelsBytes += chunk.length;
  return [{ path: labelsFileName, sizeBytes: labelsBytes, open: () => Readable.from(labels()) }, ...images];
}

function* labelChunks(rows: readonly string[][]): Generator<Buffer> {
  yield Buffer.from(labelsHeader);
  for (let start = 0; start < rows.length; start += linesPerChunk) {
    yield Buffer.from(
      rows
        .slice(start, start + linesPerChunk)
        .map(csvLine)
        .join(""),
    );
  }
}

/** The version's samples in export order: classes by name, then the pool; each by path, then id. */
export async function exportedSamples(prisma: PrismaClient, versionId: string): Promise<ExportedSample[]> {
  const rows = await prisma.$queryRaw<Array<Omit<ExportedSample, "sizeBytes"> & { sizeBytes: bigint }>>`
    SELECT * FROM (
      SELECT s.id::text AS id, s.sha256, s."sizeBytes", s."originalPath", c.name AS "className",
             vs.split, vs.metadata, 0 AS pool
      FROM "VersionSample" vs
      JOIN "Sample" s ON s.id = vs."sampleId"
      JOIN "DatasetClass" c ON c.id = vs."classId"
      WHERE vs."versionId" = ${versionId}::uuid
      UNION ALL
      SELECT s.id::text, s.sha256, s."sizeBytes", s."originalPath", NULL, u.split, u.metadata, 1
      FROM "UnlabeledSample" u
      JOIN "Sample" s ON s.id = u."sampleId"
      WHERE u."versionId" = ${versionId}::uuid
    ) samples
    ORDER BY pool, "className", "originalPath", id`;
  return rows.map((row) => ({
    id: row.id,
    sha256: row.sha256,
    sizeBytes: Number(row.sizeBytes),
    originalPath: row.originalPath,
    className: row.className,
    split: row.split,
    metadata: row.metadata ?? null,
  }));
}
