import { badInput } from "../../errors";
import { checkCount, checkLength, limits } from "../../limits";
import type { DatasetInput } from "../datasets.types";

export interface CheckedDatasetInput {
  name: string;
  /** undefined: leave as it is (on a later upload); null: clear. */
  description: string | null | undefined;
  tags: string[] | undefined;
  isPublic: boolean | undefined;
}

/** Checked before any byte of the archive is stored, so a bad name costs the client nothing. */
export function checkDatasetInput(input: DatasetInput): CheckedDatasetInput {
  const name = input.name.trim();
  if (!name) throw badInput("The dataset name must not be empty", { field: "input.name" });
  checkLength("input.name", name, limits.nameLength);
  const description = input.description === undefined ? undefined : input.description?.trim() || null;
  if (description) checkLength("input.description", description, limits.descriptionLength);
  const tags = input.tags ? [...new Set(input.tags.map((tag) => tag.trim()).filter(Boolean))] : undefined;
  checkCount("input.tags", tags ?? [], limits.tags);
  tags?.forEach((tag, index) => checkLength(`input.tags[${index}]`, tag, limits.tagLength));
  return { name, description, tags, isPublic: input.isPublic ?? undefined };
}
