/**
 * The unlabeled pool: images a version holds without a class (UnlabeledSample rows, not
 * VersionSample), the pool active learning picks from. An upload marks them with a top-level
 * folder of this name (ZIP, URL and Hub imports alike), a CSV with the split `unlabeled` and an
 * empty label (or this name as the label); exports write them back to this folder.
 *
 * Ingestion carries the folder name as the image's "class" until the version is written, where
 * insertSamples turns it into pool rows: no DatasetClass is ever created under this name, and
 * every edit refuses it as a class name (checkClassName), so it cannot become one later either.
 */
export const unlabeledFolder = "_unlabeled";

/** The CSV split value that marks a row as a pool sample. */
export const unlabeledSplit = "unlabeled";

export const isUnlabeled = (className: string): boolean => className === unlabeledFolder;
