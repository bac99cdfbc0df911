import type { PickedFile } from "../ui/picked-files";

/** What the inference tier decodes. */
export const IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"] as const;

const IMAGE_EXTENSIONS = /\.(jpe?g|png|webp|gif)$/i;

/**
 * The one image a drop or the picker gave: the first file that is an image by its type or, when
 * the browser gave no type, by its name. Anything else is refused here, before an upload.
 */
export function firstImage(files: readonly PickedFile[]): { file: File } | { refusal: string } {
  const image = files.find(({ file }) =>
    file.type ? (IMAGE_TYPES as readonly string[]).includes(file.type) : IMAGE_EXTENSIONS.test(file.name),
  );
  if (image) return { file: image.file };
  const names = files.map(({ path }) => path).join(", ");
  return { refusal: `Expected a JPEG, PNG, WebP or GIF image; got ${names || "no file"}.` };
}
