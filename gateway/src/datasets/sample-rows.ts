import type { DatasetClass, Sample } from "./datasets.types";

/** A sample's columns as the loaders' statements select them (ids as text), in version `versionId`. */
export interface SampleColumns {
  id: string;
  datasetId: string;
  versionId: string;
  sha256: string;
  format: string;
  width: number;
  height: number;
  originalPath: string;
  split: string | null;
  metadata: unknown;
}

/** The same with the class the version gives the sample. */
export interface LabelledSampleColumns extends SampleColumns {
  classId: string;
  className: string;
}

export function toSample(row: SampleColumns, sampleClass: DatasetClass | null): Sample {
  return {
    id: row.id,
    datasetId: row.datasetId,
    versionId: row.versionId,
    sampleClass,
    split: row.split,
    width: row.width,
    height: row.height,
    format: row.format,
    sha256: row.sha256,
    originalPath: row.originalPath,
    metadata: row.metadata ?? null,
  };
}

export function toLabelledSample(row: LabelledSampleColumns): Sample {
  return toSample(row, { id: row.classId, name: row.className });
}

/** One page of a version's samples (labelled or pool). */
export interface SamplePage {
  samples: Sample[];
  hasNextPage: boolean;
  /** 0 unless the page's key asked for the count. */
  totalCount: number;
}

/**
 * A row of a lateral page statement: the key it answers (0-based), the key's count when asked,
 * and a sample's columns, or NULLs in one row for a key whose page is empty.
 */
export type PageRow<Columns extends SampleColumns> = Columns & { keyIndex: number; total: number | null };

/** One page per key: at most `limit` samples, and whether a row lay beyond them. */
export function pagesFromRows<Columns extends SampleColumns>(
  keyCount: number,
  limit: number,
  rows: ReadonlyArray<PageRow<Columns>>,
  toNode: (row: Columns) => Sample,
): SamplePage[] {
  const pages = Array.from({ length: keyCount }, () => ({
    samples: [] as Sample[],
    hasNextPage: false,
    totalCount: 0,
  }));
  for (const row of rows) {
    const page = pages[row.keyIndex]!;
    page.totalCount = row.total ?? 0;
    if ((row.id as string | null) === null) continue;
    if (page.samples.length < limit) page.samples.push(toNode(row));
    else page.hasNextPage = true;
  }
  return pages;
}
