import type { TriangleMesh } from "../contracts.js";
import { invalidArgument } from "../../runtime/errors.js";
import { withoutUnusedVertices } from "./mesh-topology.js";

/** Bounds on the grid's cells along the photo's longer side. */
export const HEIGHT_FIELD_CELLS = { min: 2, max: 1024 } as const;

/**
 * A triangle whose largest depth exceeds its smallest by more than this fraction of the smallest
 * is taken to span an occlusion edge (foreground against background) and dropped, rather than
 * drawn as a sheet stretched between the two.
 */
export const DEFAULT_DISCONTINUITY = 0.1;

export interface DepthMap {
  width: number;
  height: number;
  /** Row-major, one value per pixel. */
  values: Float32Array;
}

export interface Photo {
  width: number;
  height: number;
  /** width × height × 3 bytes. */
  rgb: Uint8Array;
  png: Uint8Array;
}

export interface HeightFieldOptions {
  /** Horizontal field of view of the photo, in degrees (0 < fov < 180). */
  fieldOfViewDegrees: number;
  /** Vertices along the photo's longer side (HEIGHT_FIELD_CELLS). */
  cells: number;
  /**
   * "depth": distance along the view axis (−Z), world units (metric depth models).
   * "disparity": relative inverse depth (MiDaS / DPT / Depth Anything relative): its scale is
   * unknown, so depth = 1/disparity scaled to a median of one unit; its shift is ignored.
   */
  depthKind: "depth" | "disparity";
  /** Relative depth jump above which a triangle is dropped (default DEFAULT_DISCONTINUITY). */
  discontinuity?: number;
}

/**
 * A 2.5D mesh of one photo: a vertex at the centre of each cell of a grid laid over the photo,
 * back-projected through a pinhole camera at the origin looking down −Z (OpenGL, +Y up), with the
 * photo as texture (uv 0…1, v down) and its colour at the cell centre as vertex colour.
 * Triangles are counter-clockwise seen from the camera; those across a depth discontinuity or
 * touching a pixel without a valid depth (not finite or ≤ 0) are left out.
 */
export function heightFieldMesh(depth: DepthMap, image: Photo, options: HeightFieldOptions): TriangleMesh {
  checkInputs(depth, image, options);
  const { cells, discontinuity = DEFAULT_DISCONTINUITY } = options;
  const columns =
    image.width >= image.height ? cells : Math.max(2, Math.round((cells * image.width) / image.height));
  const rows =
    image.height > image.width ? cells : Math.max(2, Math.round((cells * image.height) / image.width));
  const tanHalf = Math.tan((options.fieldOfViewDegrees * Math.PI) / 360);
  const aspect = image.height / image.width;

  const distances = new Float64Array(columns * rows);
  const uvs = new Float32Array(2 * columns * rows);
  const colors = new Float32Array(3 * columns * rows);
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < columns; i++) {
      const v = i + columns * j;
      const [s, t] = [(i + 0.5) / columns, (j + 0.5) / rows];
      uvs.set([s, t], 2 * v);
      const raw = depth.values[Math.floor(t * depth.height) * depth.width + Math.floor(s * depth.width)]!;
      distances[v] =
        Number.isFinite(raw) && raw > 0 ? (options.depthKind === "depth" ? raw : 1 / raw) : Number.NaN;
      const pixel = 3 * (Math.floor(t * image.height) * image.width + Math.floor(s * image.width));
      for (let c = 0; c < 3; c++) colors[3 * v + c] = image.rgb[pixel + c]! / 255;
    }
  }
  if (options.depthKind === "disparity") scaleToUnitMedian(distances);

  const positions = new Float32Array(3 * columns * rows);
  for (let v = 0; v < distances.length; v++) {
    const d = Number.isNaN(distances[v]!) ? 0 : distances[v]!;
    const [s, t] = [uvs[2 * v]!, uvs[2 * v + 1]!];
    positions.set([(2 * s - 1) * tanHalf * d, (1 - 2 * t) * tanHalf * aspect * d, -d], 3 * v);
  }

  const indices: number[] = [];
  const keep = (a: number, b: number, c: number) => {
    const near = Math.min(distances[a]!, distances[b]!, distances[c]!);
    const far = Math.max(distances[a]!, distances[b]!, distances[c]!);
    // NaN (no depth) fails this comparison too.
    if (far - near <= discontinuity * near) indices.push(a, b, c);
  };
  for (let j = 0; j + 1 < rows; j++) {
    for (let i = 0; i + 1 < columns; i++) {
      const topLeft = i + columns * j;
      const [topRight, bottomLeft, bottomRight] = [topLeft + 1, topLeft + columns, topLeft + columns + 1];
      keep(bottomLeft, bottomRight, topRight);
      keep(bottomLeft, topRight, topLeft);
    }
  }
  return withoutUnusedVertices({
    positions,
    colors,
    uvs,
    texturePng: image.png,
    indices: new Uint32Array(indices),
  });
}

function scaleToUnitMedian(distances: Float64Array): void {
  const valid = distances.filter((d) => !Number.isNaN(d)).sort();
  if (valid.length === 0) return;
  const median = valid[Math.floor(valid.length / 2)]!;
  for (let v = 0; v < distances.length; v++) distances[v]! /= median;
}

function checkInputs(depth: DepthMap, image: Photo, options: HeightFieldOptions): void {
  const { cells, fieldOfViewDegrees, discontinuity } = options;
  if (!Number.isInteger(cells) || cells < HEIGHT_FIELD_CELLS.min || cells > HEIGHT_FIELD_CELLS.max) {
    throw invalidArgument(
      `cells must be an integer from ${HEIGHT_FIELD_CELLS.min} to ${HEIGHT_FIELD_CELLS.max}; got ${cells}`,
    );
  }
  if (!(fieldOfViewDegrees > 0 && fieldOfViewDegrees < 180)) {
    throw invalidArgument(`the field of view must be between 0 and 180 degrees; got ${fieldOfViewDegrees}`);
  }
  if (discontinuity !== undefined && !(discontinuity > 0)) {
    throw invalidArgument(`the discontinuity threshold must be positive; got ${discontinuity}`);
  }
  if (!(depth.width >= 1 && depth.height >= 1) || depth.values.length !== depth.width * depth.height) {
    throw invalidArgument(`a ${depth.width}×${depth.height} depth map needs one value per pixel`);
  }
  if (!(image.width >= 1 && image.height >= 1) || image.rgb.length !== 3 * image.width * image.height) {
    throw invalidArgument(`a ${image.width}×${image.height} photo needs 3 bytes per pixel`);
  }
}
