import { badInput } from "../../errors";
import type { HubFile } from "../../models/hub-api";
import type { DatasetSplit } from "../csv/csv-mapping";
import { limits } from "../../limits";
import { skipReasons, type LayoutSkip } from "../ingest/archive-layout";

/** An image of an image-folder repo with the class and split its folders give it. */
export interface HubClassFile {
  file: HubFile;
  /** The path in the repo. */
  path: string;
  className: string;
  split: DatasetSplit | null;
}

export interface HubImageFolder {
  files: HubClassFile[];
  skipped: LayoutSkip[];
}

const imageExtension = /\.(jpe?g|png|webp|gif)$/i;

/** Folder names the Hub's imagefolder loader reads as splits. */
export const splitFolders: Record<string, DatasetSplit> = {
  train: "train",
  training: "train",
  validation: "validation",
  valid: "validation",
  val: "validation",
  dev: "validation",
  test: "test",
  testing: "test",
};

/**
 * Reads an image-folder repo's layout from its file list: `<class>/<image>` or
 * `<split>/<class>/<image>` (split folders train/validation/test and the Hub's aliases), below
 * `config` when given. Files that are not images (README.md, .gitattributes) are not samples and
 * are left out silently; images outside a class folder are skipped and listed. Parquet repos are
 * read by planHubParquet instead.
 */
export function planHubImageFolder(
  repoId: string,
  all: readonly HubFile[],
  config: string | null,
  split: string | null,
): HubImageFolder {
  const prefix = config ? `${config.replace(/^\/+|\/+$/g, "")}/` : "";
  const inConfig = all.filter((file) => file.path.startsWith(prefix));
  if (prefix && inConfig.length === 0) {
    throw badInput(`Hugging Face dataset repo "${repoId}" has no folder "${config}" (the config)`, {
      field: "input.huggingFace.config",
    });
  }
  const images = inConfig.filter((file) => imageExtension.test(file.path) && !isHidden(file.path));
  if (images.length === 0) throw noImages(repoId, inConfig);
  const files: HubClassFile[] = [];
  const skipped: LayoutSkip[] = [];
  for (const file of images) {
    const segments = file.path.slice(prefix.length).split("/");
    const fileSplit = segments.length >= 3 ? (splitFolders[segments[0]!.toLowerCase()] ?? null) : null;
    const className = (fileSplit ? segments[1]! : segments[0]!).trim();
    if (segments.length < 2 || (segments.length === 2 && splitFolders[segments[0]!.toLowerCase()])) {
      skipped.push({ path: file.path, reason: skipReasons.atRoot });
    } else if (className.length === 0 || className.length > limits.classNameLength) {
      skipped.push({ path: file.path, reason: skipReasons.badClassName });
    } else {
      files.push({ file, path: file.path, className, split: fileSplit });
    }
  }
  return { files: split ? onlySplit(repoId, files, split) : files, skipped };
}

function onlySplit(repoId: string, files: HubClassFile[], split: string): HubClassFile[] {
  const wanted = splitFolders[split.trim().toLowerCase()];
  const kept = files.filter((file) => file.split === wanted);
  if (!wanted || kept.length === 0) {
    const present = [...new Set(files.map((file) => file.split).filter(Boolean))];
    throw badInput(
      `Hugging Face dataset repo "${repoId}" has no split "${split}"; its splits are ` +
        `${present.length ? present.join(", ") : "none (no train/validation/test folders)"}`,
      { field: "input.huggingFace.split" },
    );
  }
  return kept;
}

function noImages(repoId: string, files: readonly HubFile[]) {
  const example = files.slice(0, 10).map((file) => file.path);
  return badInput(
    `Hugging Face dataset repo "${repoId}" has no JPEG, PNG, WebP or GIF images in class folders ` +
      `(<class>/<image> or <split>/<class>/<image>); it has: ${example.join(", ") || "no files"}`,
    { field: "input.huggingFace.repoId" },
  );
}

export function isHidden(path: string): boolean {
  return path.split("/").some((segment) => segment.startsWith("."));
}
