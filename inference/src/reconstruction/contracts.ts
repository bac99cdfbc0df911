/**
 * The seams of the tier's 3D code: the radiance-field optimiser (radiance-field/), the meshing
 * and file writers (mesh/) and the gRPC service that strings them together (service/). Each side
 * codes against these types only.
 *
 * Conventions everywhere: world units are the scene's (written as metres), cameras are
 * camera-to-world in the OpenGL convention (the camera looks down −Z, +Y is up in the image),
 * images are row-major HWC with 3 channels, colours are 0…1 floats of the photos' own (sRGB-encoded)
 * values, bytes / 255, unless typed Uint8 (GLB writers convert to glTF's linear COLOR_0).
 * Grids are x-fastest: value (i, j, k) is at i + nx·(j + ny·k), sampled at the voxel corners
 * boundsMin + (i, j, k) · (boundsMax − boundsMin) / (n − 1).
 */

export type Vec3 = [number, number, number];

export interface PinholeCamera {
  width: number;
  height: number;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  /** OpenCV radial/tangential distortion of the photo (0 when none): rays are undistorted. */
  k1: number;
  k2: number;
  p1: number;
  p2: number;
  /** 16 numbers, row by row. */
  cameraToWorld: Float64Array;
}

export interface SceneFrame {
  /** The client's frame index (echoed in per-view metrics and render names). */
  index: number;
  camera: PinholeCamera;
  /** width × height × 3 bytes, RGB (alpha already composited on the background). */
  rgb: Uint8Array;
}

export interface RadianceFieldScene {
  train: SceneFrame[];
  /** Never trained on; metrics and renders come from these. */
  heldOut: SceneFrame[];
  boundsMin: Vec3;
  boundsMax: Vec3;
}

export interface RadianceFieldOptions {
  /** Final resolution per axis; coarse-to-fine stages (e.g. 32 → 64 → 128) end here. */
  gridResolution: number;
  steps: number;
  raysPerBatch: number;
  /** Samples along a ray crossing the bounds at the final resolution. */
  samplesPerRay: number;
  /** RGB 0…1 (photo values) behind the field. */
  background: Vec3;
  seed: number;
  /** Degree-1 spherical harmonics for colour instead of plain RGB. */
  viewDependent: boolean;
  /** Worker threads; the result is bit-identical for a given seed and thread count. */
  threads: number;
}

/** What one optimisation step did. */
export interface StepReport {
  /** 1-based, counted over the whole run (a resumed run continues the count). */
  step: number;
  totalSteps: number;
  /** Mean squared error of the batch's colours (plus regularisers, as `loss`). */
  loss: number;
  mse: number;
  /** Grid resolution of the current stage. */
  resolution: number;
  rays: number;
  /** Samples actually evaluated (after empty-space skipping). */
  samples: number;
}

/** A render of the field from one camera. */
export interface FieldRender {
  width: number;
  height: number;
  /** width × height × 3, 0…1 photo values, composited on the background. */
  rgb: Float32Array;
  /** Expected ray depth (distance along the ray, world units) and accumulated opacity, per pixel. */
  depth: Float32Array;
  opacity: Float32Array;
}

/** A scalar field on a grid, with optional colours, ready for meshing. */
export interface VoxelField {
  dims: Vec3;
  boundsMin: Vec3;
  boundsMax: Vec3;
  /** One value per grid point (x fastest). */
  values: Float32Array;
  /** The iso-level of the surface. */
  level: number;
  /** True when "inside" is values above the level (density, alpha); false for an SDF. */
  insideAbove: boolean;
  /** Optional RGB 0…1 per grid point (3 values each), interpolated onto vertices. */
  rgb?: Float32Array;
}

export interface RadianceFieldRun {
  /** Steps done so far (after a restore: the checkpoint's step). */
  readonly step: number;
  readonly totalSteps: number;
  /**
   * Runs `count` more steps (or up to totalSteps) in the worker threads; resolves after them
   * with each step's report. Rejects with an AbortError within a second of `signal` aborting.
   */
  advance(count: number, signal: AbortSignal): Promise<StepReport[]>;
  render(camera: PinholeCamera, signal?: AbortSignal): Promise<FieldRender>;
  /** Per-voxel alpha for a step of one voxel at the final resolution, and view-independent colour. */
  alphaField(): Promise<VoxelField>;
  /** Everything needed to continue bit-identically (grids, optimiser moments, RNG, step). */
  checkpoint(): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** A triangle mesh; indices are counter-clockwise seen from outside. */
export interface TriangleMesh {
  positions: Float32Array;
  /** RGB 0…1 per vertex, optional. */
  colors?: Float32Array;
  /** UV per vertex (0…1, v down as in images) when `texture` is set. */
  uvs?: Float32Array;
  /** An RGB texture the uvs sample (a DEPTH_MESH's photo), PNG bytes. */
  texturePng?: Uint8Array;
  indices: Uint32Array;
}
