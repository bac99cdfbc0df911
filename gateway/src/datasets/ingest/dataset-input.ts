import { checkLength, limits } from "../../limits";
import { validName, validTags } from "../../models/model-validation";
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
  const name = validName(input.name, "input.name");
  const description = input.description === undefined ? undefined : input.description?.trim() || null;
  if (description) checkLength("input.description", description, limits.descriptionLength);
  const tags = validTags(input.tags, "input.tags");
  return { name, description, tags, isPublic: input.isPublic ?? undefined };
}
