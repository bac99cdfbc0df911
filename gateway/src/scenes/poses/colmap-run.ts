import { execFile } from "node:child_process";
import { access, constants, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { badInput } from "../../errors";
import type { Logger } from "../../logger";
import { sceneLimits } from "../scene-limits";
import { posesFromColmapText } from "./colmap-text";
import type { ParsedPoses } from "./pose-types";

const run = promisify(execFile);

/** What a user without COLMAP on the server is told to do instead. */
export const noPosesMessage =
  "The archive has no camera poses (no transforms.json or transforms_train.json at its root or in one " +
  "top-level folder), and this server cannot pose photos (COLMAP is not installed). Make a " +
  "transforms.json with nerfstudio (`ns-process-data images --data <photos> --output-dir <scene>`), " +
  "COLMAP followed by instant-ngp's `scripts/colmap2nerf.py`, or `colmap2nerf.py --run_colmap`, and " +
  "upload the photos with it";

/**
 * The COLMAP binary: `binary` when set (TESSERA_COLMAP_BIN), else `colmap` on `searchPath`; null
 * when neither is an executable file.
 */
export async function findColmap(
  binary: string | undefined,
  searchPath: string | undefined,
): Promise<string | null> {
  const candidates = binary
    ? [binary]
    : (searchPath ?? "")
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, "colmap"));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; try the next folder.
    }
  }
  return null;
}

/**
 * Poses the photos in `imageDir` the way nerfstudio's `ns-process-data images` does (one shared
 * OPENCV camera, SIFT on the CPU, exhaustive matching, incremental mapping), then reads the first
 * reconstruction through COLMAP's text export. Names in the result are relative to `imageDir`.
 * A step that fails or a mapper that finds no model is BAD_USER_INPUT without the command line or
 * temporary paths (those, and COLMAP's output, go to `logger`).
 */
export async function poseWithColmap(
  colmap: string,
  imageDir: string,
  workDir: string,
  signal?: AbortSignal,
  logger?: Logger,
): Promise<ParsedPoses> {
  const database = path.join(workDir, "database.db");
  const sparse = path.join(workDir, "sparse");
  const text = path.join(workDir, "text");
  const steps: string[][] = [
    [
      "feature_extractor",
      "--database_path",
      database,
      "--image_path",
      imageDir,
      "--ImageReader.single_camera",
      "1",
      "--ImageReader.camera_model",
      "OPENCV",
      "--SiftExtraction.use_gpu",
      "0",
    ],
    ["exhaustive_matcher", "--database_path", database, "--SiftMatching.use_gpu", "0"],
    [
      "mapper",
      "--database_path",
      database,
      "--image_path",
      imageDir,
      "--output_path",
      sparse,
      "--Mapper.ba_global_function_tolerance=1e-6",
    ],
  ];
  const options = {
    signal,
    timeout: sceneLimits.colmapMs,
    maxBuffer: 64 * 1024 ** 2,
    env: { ...process.env, QT_QPA_PLATFORM: "offscreen" },
  };
  const runStep = async (step: string[]) => {
    try {
      await run(colmap, step, options);
    } catch (error) {
      signal?.throwIfAborted();
      const failure = error as NodeJS.ErrnoException & { killed?: boolean; stderr?: string };
      // COLMAP missing or not executable here is the server's fault, not the photos'.
      if (typeof failure.code === "string") throw error;
      logger?.warn(
        { err: error, step: step[0], stderr: failure.stderr?.slice(-4000) },
        "COLMAP could not pose an uploaded scene",
      );
      throw couldNotPose(failure.killed ? `${step[0]} ran out of time` : `${step[0]} failed`);
    }
  };
  await mkdir(sparse, { recursive: true });
  await mkdir(text, { recursive: true });
  for (const step of steps) await runStep(step);
  try {
    await access(path.join(sparse, "0"));
  } catch {
    logger?.warn({ step: "mapper" }, "COLMAP found no model for an uploaded scene");
    throw couldNotPose("mapper found no model");
  }
  await runStep([
    "model_converter",
    "--input_path",
    path.join(sparse, "0"),
    "--output_path",
    text,
    "--output_type",
    "TXT",
  ]);
  return posesFromColmapText(
    await readFile(path.join(text, "cameras.txt"), "utf8"),
    await readFile(path.join(text, "images.txt"), "utf8"),
  );
}

/** What went wrong, for the user: `what` names the COLMAP step, never a path or command line. */
const couldNotPose = (what: string) =>
  badInput(
    `COLMAP could not pose these photos: ${what}; photos need overlap and texture (each sharing much ` +
      "of its view with others, of a still, textured subject). Take more overlapping photos, or upload " +
      "a transforms.json",
  );
