import type { SceneInput } from "../gql/graphql";

export interface SceneUploadForm {
  name: string;
  description: string;
  isPublic: boolean;
  /** "#rrggbb": what RGBA photos are composited on. */
  background: string;
}

export const emptySceneUploadForm: SceneUploadForm = {
  name: "",
  description: "",
  isPublic: false,
  background: "#ffffff",
};

/** Why the picked files cannot be sent, in words for the person; null when they can. */
export function sceneArchiveProblem(files: readonly File[]): string | null {
  if (files.length === 0) return "Choose a ZIP of photos with their transforms.json";
  if (files.length > 1) return `Upload one ZIP at a time, got ${files.length}`;
  const [file] = files;
  if (!/\.zip$/i.test(file!.name)) {
    return `${file!.name} is not a ZIP: put the photos and transforms.json (or transforms_train.json) in one ZIP`;
  }
  return null;
}

/** What the server is sent; empty fields are left out so the server's defaults apply. */
export function sceneInput(form: SceneUploadForm): SceneInput {
  const input: SceneInput = { name: form.name.trim(), background: form.background.toLowerCase() };
  if (form.description.trim()) input.description = form.description.trim();
  if (form.isPublic) input.public = true;
  return input;
}

/** A scene name from the archive's file name: `lego_small.zip` → `lego small`. */
export function suggestSceneName(fileName: string): string {
  return fileName
    .replace(/\.zip$/i, "")
    .replace(/[_-]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
}
