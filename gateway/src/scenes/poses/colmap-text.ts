import { badInput } from "../../errors";
import { FrameSplit, SceneFormat } from "../../generated/prisma/enums";
import { sceneLimits } from "../scene-limits";
import { noDistortion, type Lens, type ListedFrame, type ParsedPoses } from "./pose-types";

/** COLMAP's camera models that nerfstudio turns into a pinhole camera with OpenCV distortion. */
const colmapModels: Record<string, (p: number[]) => Omit<Lens, "width" | "height">> = {
  SIMPLE_PINHOLE: ([f, cx, cy]) => ({ model: "PINHOLE", fx: f, fy: f, cx, cy, ...noDistortion }),
  PINHOLE: ([fx, fy, cx, cy]) => ({ model: "PINHOLE", fx, fy, cx, cy, ...noDistortion }),
  SIMPLE_RADIAL: ([f, cx, cy, k1]) => ({ model: "OPENCV", fx: f, fy: f, cx, cy, ...noDistortion, k1: k1! }),
  RADIAL: ([f, cx, cy, k1, k2]) => ({
    model: "OPENCV",
    fx: f,
    fy: f,
    cx,
    cy,
    k1: k1!,
    k2: k2!,
    p1: 0,
    p2: 0,
  }),
  OPENCV: ([fx, fy, cx, cy, k1, k2, p1, p2]) => ({
    model: "OPENCV",
    fx,
    fy,
    cx,
    cy,
    k1: k1!,
    k2: k2!,
    p1: p1!,
    p2: p2!,
  }),
};
const parameterCounts: Record<string, number> = {
  SIMPLE_PINHOLE: 3,
  PINHOLE: 4,
  SIMPLE_RADIAL: 4,
  RADIAL: 5,
  OPENCV: 8,
};

/**
 * Poses from COLMAP's text model (`model_converter --output_type TXT`: cameras.txt, images.txt),
 * converted as nerfstudio's colmap_to_json does: the world-to-camera pose (quaternion qw qx qy qz,
 * translation) is inverted to camera-to-world, its camera axes turned from OpenCV (+Y down, +Z
 * forward) to OpenGL (+Y up, −Z forward) by negating columns 1 and 2, and the world turned from
 * COLMAP's to nerfstudio's by swapping rows 1 and 2 and negating the new row 2 (x, y, z → x, z, −y).
 * Frames are ordered by image name.
 */
export function posesFromColmapText(camerasTxt: string, imagesTxt: string): ParsedPoses {
  const cameras = new Map<string, Lens>();
  for (const line of contentLines(camerasTxt)) {
    const [id, model, width, height, ...params] = line.split(/\s+/);
    const make = colmapModels[model ?? ""];
    if (!make)
      throw badInput(
        `COLMAP camera model ${model} is not supported; expected ${Object.keys(colmapModels).join(", ")}`,
      );
    const numbers = params.map(Number);
    if (numbers.length !== parameterCounts[model!] || !numbers.every(Number.isFinite)) {
      throw badInput(
        `COLMAP camera ${id} (${model}) has ${numbers.length} parameters; expected ${parameterCounts[model!]}`,
      );
    }
    cameras.set(id!, { ...make(numbers), width: Number(width), height: Number(height) });
  }
  const frames: ListedFrame[] = [];
  const lines = imagesTxt.split(/\r?\n/);
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    // Each image is two lines: the pose, then its 2D points (possibly empty), skipped here.
    index += 1;
    const [, qw, qx, qy, qz, tx, ty, tz, cameraId, ...name] = line.split(/\s+/);
    const lens = cameras.get(cameraId ?? "");
    const pose = [qw, qx, qy, qz, tx, ty, tz].map(Number);
    if (!lens || pose.some((x) => !Number.isFinite(x)) || name.length === 0) {
      throw badInput(`COLMAP's images.txt has an unreadable line: ${line.slice(0, 200)}`);
    }
    frames.push({
      filePath: name.join(" "),
      split: FrameSplit.TRAIN,
      transform: openGlCameraToWorld(pose as [number, number, number, number, number, number, number]),
      lens,
    });
  }
  if (frames.length > sceneLimits.frames) {
    throw badInput(`COLMAP posed ${frames.length} photos; at most ${sceneLimits.frames} are accepted`);
  }
  frames.sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0));
  return { format: SceneFormat.COLMAP, frames, aabbScale: null };
}

/** Row-major 4×4 camera-to-world in nerfstudio's OpenGL world, from COLMAP's world-to-camera pose. */
export function openGlCameraToWorld([qw, qx, qy, qz, tx, ty, tz]: [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
]): number[] {
  const norm = Math.hypot(qw, qx, qy, qz);
  const [w, x, y, z] = [qw / norm, qx / norm, qy / norm, qz / norm];
  // World-to-camera rotation; its transpose is camera-to-world, and the centre is −Rᵀt.
  const r = [
    [1 - 2 * y * y - 2 * z * z, 2 * x * y - 2 * w * z, 2 * z * x + 2 * w * y],
    [2 * x * y + 2 * w * z, 1 - 2 * x * x - 2 * z * z, 2 * y * z - 2 * w * x],
    [2 * z * x - 2 * w * y, 2 * y * z + 2 * w * x, 1 - 2 * x * x - 2 * y * y],
  ];
  const t = [tx, ty, tz];
  const c2w = [0, 1, 2].map((row) => [
    r[0]![row]!,
    -r[1]![row]!,
    -r[2]![row]!,
    -(r[0]![row]! * t[0]! + r[1]![row]! * t[1]! + r[2]![row]! * t[2]!),
  ]);
  const [row0, row1, row2] = c2w as [number[], number[], number[]];
  const world = [row0, row2, row1.map((v) => -v)];
  return [...world.flat().map((v) => (Object.is(v, -0) ? 0 : v)), 0, 0, 0, 1];
}

function contentLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}
