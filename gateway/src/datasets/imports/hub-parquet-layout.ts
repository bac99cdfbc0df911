import { badInput } from "../../errors";
import type { HubFile } from "../../models/hub-api";
import type { DatasetSplit } from "../csv/csv-mapping";
import { isHidden, splitFolders } from "./hub-image-folder";

/** A Parquet file of a dataset repo with the split its name or folder gives it. */
export interface HubParquetFile {
  file: HubFile;
  split: DatasetSplit | null;
}

const imageExtension = /\.(jpe?g|png|webp|gif)$/i;

/**
 * True when the repo (below `config`) keeps its data in Parquet files and has no images: the layout
 * the Hub's `push_to_hub` and its Parquet converter write.
 */
export function isParquetRepo(all: readonly HubFile[], config: string | null): boolean {
  const inConfig = all.filter((file) => file.path.startsWith(prefixOf(config)) && !isHidden(file.path));
  return (
    inConfig.some((file) => file.path.endsWith(".parquet")) &&
    !inConfig.some((file) => imageExtension.test(file.path))
  );
}

/**
 * The Parquet files below `config`, each with its split read as the Hub's loader reads it: from the
 * file name (`data/train-00000-of-00001.parquet`) or a folder (`<config>/validation/0000.parquet`).
 */
export function planHubParquet(
  repoId: string,
  all: readonly HubFile[],
  config: string | null,
  split: string | null,
): HubParquetFile[] {
  const prefix = prefixOf(config);
  const files = all
    .filter((file) => file.path.startsWith(prefix) && file.path.endsWith(".parquet") && !isHidden(file.path))
    .map((file) => ({ file, split: splitOf(file.path.slice(prefix.length)) }));
  if (!split) return files;
  const wanted = splitFolders[split.trim().toLowerCase()];
  const kept = files.filter((file) => file.split === wanted);
  if (!wanted || kept.length === 0) {
    const present = [...new Set(files.map((file) => file.split).filter(Boolean))];
    throw badInput(
      `Hugging Face dataset repo "${repoId}" has no split "${split}"; its Parquet files hold ` +
        `${present.length ? present.join(", ") : "no train/validation/test split"}`,
      { field: "input.huggingFace.split" },
    );
  }
  return kept;
}

function prefixOf(config: string | null): string {
  return config ? `${config.replace(/^\/+|\/+$/g, "")}/` : "";
}

/** The file name's first word (`train-00000-of-00001`), else the nearest folder naming a split. */
function splitOf(path: string): DatasetSplit | null {
  const segments = path.split("/");
  const stem = segments.pop()!.replace(/\.parquet$/, "");
  const named = splitFolders[stem.split(/[-_.]/)[0]!.toLowerCase()];
  if (named) return named;
  for (const folder of segments.reverse()) {
    const split = splitFolders[folder.toLowerCase()];
    if (split) return split;
  }
  return null;
}
