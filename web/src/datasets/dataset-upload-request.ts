import type { DatasetInput } from "../gql/graphql";
import { parseTags } from "../ui/format";

export interface DatasetUploadForm {
  name: string;
  description: string;
  tags: string;
  isPublic: boolean;
  generateEmbeddings: boolean;
}

export type DatasetFiles =
  | { kind: "zip"; archive: File }
  | { kind: "csv"; csv: File; archive: File }
  /** What is wrong with the files, in words for the person who picked them. */
  | { kind: "invalid"; problem: string };

const isZip = (file: File) => /\.zip$/i.test(file.name);
const isCsv = (file: File) => /\.csv$/i.test(file.name);

/**
 * What the picked files are: one ZIP of class folders, or a CSV mapping with the ZIP its paths
 * refer to. Anything else is refused here, before a byte is sent.
 */
export function datasetFiles(files: readonly File[]): DatasetFiles {
  if (files.length === 0)
    return { kind: "invalid", problem: "Choose a ZIP of class folders, or a CSV and its ZIP" };
  const zips = files.filter(isZip);
  const csvs = files.filter(isCsv);
  const others = files.filter((file) => !isZip(file) && !isCsv(file));
  if (others.length > 0) {
    return {
      kind: "invalid",
      problem: `Only .zip and .csv files can be uploaded, got ${others.map((file) => file.name).join(", ")}: put the images in class folders and ZIP them`,
    };
  }
  if (zips.length > 1) {
    return {
      kind: "invalid",
      problem: `Upload one ZIP at a time, got ${zips.length}: ${zips.map((file) => file.name).join(", ")}`,
    };
  }
  if (csvs.length > 1) {
    return {
      kind: "invalid",
      problem: `Upload one CSV at a time, got ${csvs.length}: ${csvs.map((file) => file.name).join(", ")}`,
    };
  }
  const [archive] = zips;
  const [csv] = csvs;
  if (!archive)
    return {
      kind: "invalid",
      problem: `${csv?.name} names files inside a ZIP: add the ZIP its path column refers to`,
    };
  return csv ? { kind: "csv", csv, archive } : { kind: "zip", archive };
}

/** What the server is sent about the dataset; empty fields are left out so a later upload keeps them. */
export function datasetInput(form: DatasetUploadForm): DatasetInput {
  const input: DatasetInput = { name: form.name.trim() };
  if (form.description.trim()) input.description = form.description.trim();
  const tags = parseTags(form.tags);
  if (tags.length > 0) input.tags = tags;
  if (form.isPublic) input.isPublic = true;
  return input;
}

/** A dataset name from the archive's file name: `flowers_2024-v2.zip` → `flowers 2024 v2`. */
export function suggestDatasetName(fileName: string): string {
  return fileName
    .replace(/\.[a-z0-9]+$/i, "")
    .replace(/[_-]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
}
