import {
  radianceFieldSettingBounds,
  type RadianceFieldSettingName,
} from "@tessera/proto/reconstruction-settings";
import { ReconstructionMethod, type ReconstructionInput } from "../gql/graphql";

export { radianceFieldSettingBounds };
export type { RadianceFieldSettingName };

/** The settings as typed: empty means "the default". */
export type SettingsForm = Record<RadianceFieldSettingName, string>;

export interface ReconstructForm {
  method: ReconstructionMethod;
  settings: SettingsForm;
  /** "#rrggbb" behind the field; the scene's background until changed. */
  background: string;
  /** Degree-1 spherical-harmonic colour instead of plain RGB. */
  viewDependent: boolean;
  modelVersionId: string;
  prompt: string;
  image: File | null;
}

export const PROMPT_MAX_LENGTH = 1_000;

export const settingNames = Object.keys(radianceFieldSettingBounds) as RadianceFieldSettingName[];

export function emptyReconstructForm(method: ReconstructionMethod, background = "#ffffff"): ReconstructForm {
  return {
    method,
    settings: Object.fromEntries(settingNames.map((name) => [name, ""])) as SettingsForm,
    background,
    viewDependent: false,
    modelVersionId: "",
    prompt: "",
    image: null,
  };
}

export interface MethodInputs {
  scene: boolean;
  image: boolean;
  prompt: boolean;
  /** Generative methods fall back to the deployed model of their type when none is picked. */
  model: "required" | "optional" | "none";
}

/** What each method takes, as the gateway's ReconstructionInput documents it. */
export const methodInputs: Record<ReconstructionMethod, MethodInputs> = {
  [ReconstructionMethod.RadianceField]: { scene: true, image: false, prompt: false, model: "none" },
  [ReconstructionMethod.DepthMesh]: { scene: false, image: true, prompt: false, model: "required" },
  [ReconstructionMethod.TextTo_3D]: { scene: false, image: false, prompt: true, model: "optional" },
  [ReconstructionMethod.ImageTo_3D]: { scene: false, image: true, prompt: false, model: "optional" },
};

export type FormProblems = Partial<
  Record<RadianceFieldSettingName | "prompt" | "image" | "modelVersionId" | "scene", string>
>;

/**
 * The same bounds the gateway enforces (one shared table), checked before sending so the person
 * sees each problem next to its field at once; the server checks again.
 */
export function reconstructProblems(form: ReconstructForm, sceneId: string | null): FormProblems {
  const problems: FormProblems = {};
  const needs = methodInputs[form.method];
  if (needs.scene && !sceneId) problems.scene = "Pick a scene to reconstruct";
  if (form.method === ReconstructionMethod.RadianceField) {
    for (const name of settingNames) {
      const typed = form.settings[name].trim();
      if (typed === "") continue;
      const { min, max } = radianceFieldSettingBounds[name];
      const value = Number(typed);
      if (!Number.isInteger(value)) problems[name] = "A whole number";
      else if (value < min || value > max)
        problems[name] = `From ${min.toLocaleString()} to ${max.toLocaleString()}`;
    }
  }
  if (needs.model === "required" && !form.modelVersionId) problems.modelVersionId = "Pick a model version";
  if (needs.image && !form.image) problems.image = "Choose an image";
  if (needs.prompt) {
    const prompt = form.prompt.trim();
    if (prompt === "") problems.prompt = "Describe the object to generate";
    else if (prompt.length > PROMPT_MAX_LENGTH)
      problems.prompt = `At most ${PROMPT_MAX_LENGTH.toLocaleString()} characters`;
  }
  return problems;
}

/** The request for this form; settings left empty are left out so the server's defaults apply. */
export function reconstructionInput(form: ReconstructForm, sceneId: string | null): ReconstructionInput {
  const input: ReconstructionInput = { method: form.method };
  const needs = methodInputs[form.method];
  if (needs.scene && sceneId) input.sceneId = sceneId;
  if (form.method === ReconstructionMethod.RadianceField) {
    const settings: NonNullable<ReconstructionInput["settings"]> = {
      background: form.background.toLowerCase(),
    };
    if (form.viewDependent) settings.viewDependent = true;
    for (const name of settingNames) {
      const typed = form.settings[name].trim();
      if (typed !== "") settings[name] = Number(typed);
    }
    input.settings = settings;
  }
  if (needs.model !== "none" && form.modelVersionId) input.modelVersionId = form.modelVersionId;
  if (needs.image && form.image) input.image = form.image;
  if (needs.prompt) input.prompt = form.prompt.trim();
  return input;
}
