import type { Framework, ModelType, UploadModelInput } from "../gql/graphql";
import { parseTags } from "../ui/format";
import { withoutCommonFolder, type PickedFile } from "../ui/picked-files";

export interface UploadForm {
  slug: string;
  name: string;
  version: string;
  modelType: ModelType | "";
  framework: Framework | "";
  tags: string;
  description: string;
  isPublic: boolean;
  /** A single ZIP is unpacked as a model folder unless this is false. */
  unpackArchive: boolean;
}

export type UploadRequest =
  | { kind: "archive"; input: UploadModelInput; archive: File }
  | { kind: "files"; input: UploadModelInput; files: File[]; paths: string[] };

export function isZip(file: File): boolean {
  return /\.zip$/i.test(file.name);
}

/** What the server is sent: empty fields are left out so the server's defaults and detection apply. */
export function uploadRequest(form: UploadForm, picked: PickedFile[]): UploadRequest {
  const input: UploadModelInput = { slug: form.slug.trim() };
  if (form.name.trim()) input.name = form.name.trim();
  if (form.version.trim()) input.version = form.version.trim();
  if (form.modelType) input.modelType = form.modelType;
  if (form.framework) input.framework = form.framework;
  if (form.description.trim()) input.description = form.description.trim();
  const tags = parseTags(form.tags);
  if (tags.length > 0) input.tags = tags;
  if (form.isPublic) input.isPublic = true;

  const only = picked.length === 1 ? picked[0] : undefined;
  if (only && isZip(only.file) && form.unpackArchive) return { kind: "archive", input, archive: only.file };
  const files = withoutCommonFolder(picked);
  return {
    kind: "files",
    input,
    files: files.map((entry) => entry.file),
    paths: files.map((entry) => entry.path),
  };
}

/** A slug from a file or folder name: `ResNet 50 (v2).onnx` → `resnet-50-v2`. */
export function suggestSlug(name: string): string {
  return name
    .replace(/\.[a-z0-9]+$/i, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "")
    .slice(0, 100);
}
