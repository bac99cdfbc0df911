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
