import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  generateTextureDataset,
  maxTextureClasses,
  zipDatasetFiles,
  type DatasetFile,
} from "../../gateway/test/support/texture-dataset";
import { timed } from "../lib/measure";

/** Small sides keep generating thousands of images to seconds; the ingest work per image stays real. */
export const MIN_SIDE = 64;
export const MAX_SIDE = 128;

export interface TextureZip {
  files: DatasetFile[];
  /** The archive's bytes, as the client uploads them. */
  zip: Buffer;
  /** The same bytes on disk, for the in-process baseline. */
  zipPath: string;
  classes: number;
  generateSeconds: number;
}

/**
 * About `images` procedural texture images (as many classes as the generator has, the same number
 * in each) zipped with the gateway's writer and written to `dir`.
 */
export async function writeTextureZip(
  dir: string,
  name: string,
  images: number,
  seed: number,
): Promise<TextureZip> {
  const classes = Math.min(maxTextureClasses, images);
  const imagesPerClass = Math.max(1, Math.round(images / classes));
  const { value, seconds } = await timed(async () => {
    const dataset = await generateTextureDataset({
      classes,
      imagesPerClass,
      seed,
      minSide: MIN_SIDE,
      maxSide: MAX_SIDE,
    });
    return { files: dataset.files, zip: await zipDatasetFiles(dataset.files) };
  });
  const zipPath = path.join(dir, `${name}.zip`);
  await fs.promises.writeFile(zipPath, value.zip);
  return { ...value, zipPath, classes, generateSeconds: seconds };
}

/** The ZIP of `writeTextureZip` on disk only: nothing of it is held by this process. */
export interface TextureZipFile {
  zipPath: string;
  images: number;
  classes: number;
  zipBytes: number;
  generateSeconds: number;
}

/**
 * Writes the same kind of ZIP as `writeTextureZip` from a child process (texture-zip-main.ts), so
 * that generating 50,000 images does not inflate the RSS of the process that runs the gateway.
 */
export async function writeTextureZipApart(
  dir: string,
  name: string,
  images: number,
  seed: number,
): Promise<TextureZipFile> {
  const zipPath = path.join(dir, `${name}.zip`);
  const script = fileURLToPath(new URL("./texture-zip-main.ts", import.meta.url));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", script, zipPath, String(images), String(seed)],
    { maxBuffer: 1024 * 1024 },
  );
  const made = JSON.parse(stdout.trim().split("\n").at(-1)!) as Omit<TextureZipFile, "zipPath">;
  return { zipPath, ...made };
}
