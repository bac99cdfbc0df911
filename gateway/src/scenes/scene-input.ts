import { badInput } from "../errors";
import { checkLength, limits } from "../limits";
import type { SceneInput } from "./scenes.types";

export interface CheckedSceneInput {
  name: string;
  description: string | null;
  public: boolean;
  /** Lower-case "#rrggbb". */
  background: string;
}

/** Checked before the archive is read, so a bad name costs no upload. */
export function checkSceneInput(input: SceneInput): CheckedSceneInput {
  const name = input.name.trim();
  if (name.length === 0) throw badInput("input.name must not be empty", { field: "input.name" });
  checkLength("input.name", name, limits.nameLength);
  if (input.description) checkLength("input.description", input.description, limits.descriptionLength);
  const background = input.background ?? "#ffffff";
  if (!/^#[0-9a-fA-F]{6}$/.test(background)) {
    throw badInput(`input.background must be a colour "#rrggbb", got ${JSON.stringify(background)}`, {
      field: "input.background",
    });
  }
  return {
    name,
    description: input.description?.trim() || null,
    public: input.public ?? false,
    background: background.toLowerCase(),
  };
}
