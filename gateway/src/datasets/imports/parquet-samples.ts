import { parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type FileMetaData } from "hyparquet";
import { badInput } from "../../errors";
import type { BlobStore } from "../../storage/blob-store";
import type { DatasetSplit } from "../csv/csv-mapping";
import type { LayoutSkip } from "../ingest/archive-layout";

/** One row of a Parquet file: an image's bytes with the class its label names. */
export interface ParquetSample {
  /** `<file>.parquet/row-<n>`, zero-padded so path order is row order. */
  path: string;
  className: string;
  split: DatasetSplit | null;
  bytes: Uint8Array;
  /** The image's own file name when the dataset kept one. */
  imagePath: string | null;
}

export interface ParquetRows {
  samples: ParquetSample[];
  skipped: LayoutSkip[];
}

interface Feature {
  _type?: unknown;
  names?: unknown;
}

/**
 * Reads the image and label columns of a stored Parquet file. The columns are the features the
 * `huggingface` key-value metadata types as Image and ClassLabel (else `image` and `label`);
 * labels map through the ClassLabel names, or name themselves when the file has none.
 */
export async function readParquetSamples(
  store: BlobStore,
  blob: { sha256: string; sizeBytes: number },
  path: string,
  split: DatasetSplit | null,
): Promise<ParquetRows> {
  const file = blobBuffer(store, blob.sha256, blob.sizeBytes);
  let metadata: FileMetaData;
  let rows: Array<Record<string, unknown>>;
  const features = { image: "image", label: "label" };
  let names: string[] | null = null;
  try {
    metadata = await parquetMetadataAsync(file);
    const found = huggingFaceFeatures(metadata);
    const image = Object.entries(found).find(([, feature]) => feature._type === "Image");
    const label = Object.entries(found).find(([, feature]) => feature._type === "ClassLabel");
    if (image) features.image = image[0];
    if (label) {
      features.label = label[0];
      if (Array.isArray(label[1].names)) names = label[1].names.map(String);
    }
    const columns = metadata.schema.slice(1).map((element) => element.name);
    const missing = [features.image, features.label].filter((name) => !columns.includes(name));
    if (missing.length > 0) {
      throw badInput(
        `"${path}" has no ${missing.map((name) => `"${name}"`).join(" or ")} column: expected an image ` +
          `column and a label column; its columns are ${columns.join(", ")}`,
        { field: "input.huggingFace.repoId" },
      );
    }
    rows = await parquetReadObjects({
      file,
      metadata,
      columns: [features.image, features.label],
      utf8: false,
    });
  } catch (error) {
    if (error instanceof Error && !("code" in error)) {
      throw badInput(`"${path}" is not a Parquet file this server can read: ${error.message}`, {
        field: "input.huggingFace.repoId",
      });
    }
    throw error;
  }
  const samples: ParquetSample[] = [];
  const skipped: LayoutSkip[] = [];
  rows.forEach((row, index) => {
    const rowPath = `${path}/row-${String(index).padStart(8, "0")}`;
    const image = row[features.image] as { bytes?: unknown; path?: unknown } | null;
    const label = row[features.label];
    const className = classNameOf(label, names);
    if (!(image?.bytes instanceof Uint8Array)) {
      skipped.push({ path: rowPath, reason: `no image bytes in column "${features.image}"` });
    } else if (className === null) {
      skipped.push({
        path: rowPath,
        reason: `label ${String(label)} is not a class (the file names ${names?.length ?? 0} classes)`,
      });
    } else {
      const imagePath = typeof image.path === "string" ? image.path : null;
      samples.push({ path: rowPath, className, split, bytes: image.bytes, imagePath });
    }
  });
  return { samples, skipped };
}

function classNameOf(label: unknown, names: string[] | null): string | null {
  if (typeof label !== "bigint" && typeof label !== "number" && typeof label !== "string") return null;
  if (names === null) return String(label).trim() || null;
  const index = Number(label);
  return Number.isInteger(index) && index >= 0 ? (names[index] ?? null) : null;
}

function huggingFaceFeatures(metadata: FileMetaData): Record<string, Feature> {
  const entry = metadata.key_value_metadata?.find((kv) => kv.key === "huggingface");
  if (!entry?.value) return {};
  try {
    const parsed = JSON.parse(entry.value) as { info?: { features?: unknown } };
    const features = parsed.info?.features;
    return features && typeof features === "object" ? (features as Record<string, Feature>) : {};
  } catch {
    return {};
  }
}

/** Reads byte ranges of a stored blob as hyparquet asks for them, whatever store holds it. */
function blobBuffer(store: BlobStore, sha256: string, byteLength: number): AsyncBuffer {
  return {
    byteLength,
    async slice(start: number, end = byteLength): Promise<ArrayBuffer> {
      if (end <= start) return new ArrayBuffer(0);
      const stream = await store.openRead(sha256, { start, end: end - 1 });
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
}
