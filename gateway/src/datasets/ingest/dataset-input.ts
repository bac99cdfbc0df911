import { badInput } from "../../errors";
import type { DatasetInput } from "../datasets.types";

export interface CheckedDatasetInput {
  name: string;
  /** undefined: leave as it is (on a later upload); null: clear. */
  description: string | null | undefined;
  tags: string[] | undefined;
  isPublic: boolean | undefined;
}

const maxNameLength = 200;
const maxDescriptionLength = 10_000;
const maxTags = 50;
const maxTagLength = 64;

/** Checked before any byte of the archive is stored, so a bad name costs the client nothing. */
export function checkDatasetInput(input: DatasetInput): CheckedDatasetInput {
  const name = input.name.trim();
  if (!name || name.length > maxNameLength) {
    throw badInput(`The dataset name must be 1–${maxNameLength} characters, got ${name.length}`, {
      field: "input.name",
    });
  }
  const description = input.description === undefined ? undefined : input.description?.trim() || null;
  if (description && description.length > maxDescriptionLength) {
    throw badInput(`The description must be at most ${maxDescriptionLength} characters`, {
      field: "input.description",
    });
  }
  const tags = input.tags ? [...new Set(input.tags.map((tag) => tag.trim()).filter(Boolean))] : undefined;
  if (tags && (tags.length > maxTags || tags.some((tag) => tag.length > maxTagLength))) {
    throw badInput(`Give at most ${maxTags} tags of at most ${maxTagLength} characters each`, {
      field: "input.tags",
    });
  }
  return { name, description, tags, isPublic: input.isPublic ?? undefined };
}
