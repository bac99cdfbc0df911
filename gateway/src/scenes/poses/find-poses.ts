import { badInput } from "../../errors";
import { FrameSplit } from "../../generated/prisma/enums";
import { isHiddenPath, isMacOsMetadata } from "../../archives/entry-path";
import { blenderFileNames, parseBlenderTransforms } from "./blender-transforms";
import { parseInstantNgpTransforms } from "./instant-ngp-transforms";
import { parseNerfstudioTransforms } from "./nerfstudio-transforms";
import { isObject, parseTransformsJson, type ParsedPoses } from "./pose-types";

/** Where an archive's poses are: the folder ("" for the root) and the files to parse. */
export type PosesLocation =
  | { kind: "blender"; folder: string; files: Array<{ split: FrameSplit; path: string }> }
  | { kind: "transforms"; folder: string; path: string }
  | { kind: "none" };

export interface PosesFromArchive extends ParsedPoses {
  /** Folder the frames' file paths are relative to. */
  folder: string;
  /** Frames the transforms left out before any photo was read. */
  skipped: Array<{ path: string; reason: string }>;
}

/**
 * Finds the transforms among the archive's paths: `transforms_train.json` (NeRF-synthetic, with
 * its val/test siblings) or `transforms.json`, at the root or in one top-level folder (someone
 * zipped the scene's folder). Transforms in several folders are refused: one scene per archive.
 */
export function locatePoses(paths: readonly string[]): PosesLocation {
  const visible = paths.filter((path) => !isMacOsMetadata(path) && !isHiddenPath(path));
  const named = (name: string) =>
    visible.filter((path) => path === name || (path.endsWith(`/${name}`) && path.split("/").length === 2));
  const train = named(blenderFileNames.TRAIN);
  const plain = named("transforms.json");
  const folders = new Set([...train, ...plain].map(folderOf));
  if (folders.size > 1) {
    throw badInput(
      `The archive holds transforms in several folders (${[...folders]
        .sort()
        .map((f) => f || "the root")
        .join(", ")}); upload one scene per archive`,
    );
  }
  const folder = [...folders][0];
  if (folder === undefined) return { kind: "none" };
  if (train.length > 0) {
    const files = [FrameSplit.TRAIN, FrameSplit.VAL, FrameSplit.TEST]
      .map((split) => ({ split, path: joinPath(folder, blenderFileNames[split]) }))
      .filter((file) => visible.includes(file.path));
    return { kind: "blender", folder, files };
  }
  return { kind: "transforms", folder, path: plain[0]! };
}

/** Parses what locatePoses found; `read` gives a file's bytes. */
export async function parsePoses(
  location: Exclude<PosesLocation, { kind: "none" }>,
  read: (path: string) => Promise<Buffer>,
): Promise<PosesFromArchive> {
  if (location.kind === "blender") {
    const files = [];
    for (const { split, path } of location.files) {
      files.push({ split, fileName: path, transforms: parseTransformsJson(await read(path), path) });
    }
    return { ...parseBlenderTransforms(files), folder: location.folder, skipped: [] };
  }
  const transforms = parseTransformsJson(await read(location.path), location.path);
  if (isNerfstudio(transforms)) {
    const { unlisted, ...poses } = parseNerfstudioTransforms(transforms, location.path);
    return { ...poses, folder: location.folder, skipped: unlisted };
  }
  return { ...parseInstantNgpTransforms(transforms, location.path), folder: location.folder, skipped: [] };
}

/**
 * nerfstudio writes `camera_model` (instant-ngp never does) and may put intrinsics on frames or
 * add split lists and `applied_transform`; anything else is read as instant-ngp's format.
 */
export function isNerfstudio(transforms: Record<string, unknown>): boolean {
  if (
    ["camera_model", "applied_transform", "train_filenames", "val_filenames", "test_filenames"].some(
      (key) => key in transforms,
    )
  ) {
    return true;
  }
  const first = Array.isArray(transforms.frames) ? transforms.frames[0] : undefined;
  return isObject(first) && "fl_x" in first;
}

/** Extensions tried, in order, for a file_path written without one (NeRF-synthetic's `./train/r_0`). */
export const imageExtensions = [".png", ".jpg", ".jpeg"] as const;

/**
 * The archive path of a frame's photo: `filePath` taken relative to the transforms' folder, with
 * an image extension added when the path as written is not in the archive. Null when
 * no such file exists; BAD_USER_INPUT when the path leaves the archive.
 */
export function framePhotoPath(
  folder: string,
  filePath: string,
  exists: (path: string) => boolean,
): string | null {
  const segments: string[] = [];
  for (const segment of joinPath(folder, filePath.replace(/\\/g, "/")).split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (segments.length === 0)
        throw badInput(`The frame path ${JSON.stringify(filePath)} leaves the archive`);
      segments.pop();
    } else segments.push(segment);
  }
  const path = segments.join("/").normalize("NFC");
  if (exists(path)) return path;
  return imageExtensions.map((extension) => path + extension).find(exists) ?? null;
}

const folderOf = (path: string) => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");
const joinPath = (folder: string, path: string) => (folder ? `${folder}/${path}` : path);
