import { HEIGHT_FIELD_CELLS, MAX_BACKEND_GRID } from "../mesh";

/**
 * Bounds of everything a Reconstruct client sets besides the radiance-field settings (whose table
 * is shared with the gateway in @tessera/proto/reconstruction-settings). The tier is called
 * directly, so it checks each itself; every bound says why it is there.
 */
export const reconstructionLimits = {
  /** Frames of one scene: each is decoded and held as RGB bytes for the whole run. */
  frames: 4_096,
  /** Width or height of a frame's camera. */
  frameSize: 16_384,
  /** Least width or height of a frame: held-out views are scored by SSIM, whose window is 11×11. */
  minFrameSize: 16,
  /** Usable training frames a radiance field needs: fewer leave most voxels seen from one side. */
  minTrainingFrames: 8,
  /** Tolerance of RᵀR = I, det R = 1 and the last row 0 0 0 1 of a camera-to-world matrix. */
  rigidTolerance: 1e-3,
  /** preview_every and checkpoint_every, in steps (the steps' own maximum). */
  everySteps: 100_000,
  /** Frames of a turntable: each is a full render. */
  turntableFrames: 360,
  /** A mesh simplified to more than this is not simplified at all (0 also keeps every triangle). */
  targetTriangles: 10_000_000,
  /** Cells of a DEPTH_MESH height field along the longer side (one vertex each; mesh/height-field.ts). */
  meshCells: { ...HEIGHT_FIELD_CELLS, default: 256 },
  /** Horizontal field of view a DEPTH_MESH back-projects with, degrees (exclusive bounds). */
  fieldOfViewDegrees: { min: 0, max: 180, default: 60 },
  /** A TEXT_TO_3D prompt, in characters (the bound). */
  promptCharacters: 1_000,
  /** Parameters passed to a generative model, and each key's and value's length. */
  parameters: 64,
  parameterKeyLength: 128,
  parameterValueLength: 4_096,
  /** Side of a density / sdf grid a generative model may answer (N³ floats; mesh/field-from-grid.ts). */
  gridSide: MAX_BACKEND_GRID,
  /** Points of the point cloud of a radiance field, and the training views they come from. */
  pointCloudPoints: 500_000,
  pointCloudViews: 16,
  /** Size of the turntable and preview renders of a mesh (DEPTH_MESH and the generative methods). */
  meshRenderSize: 256,
} as const;

/** Chunks of artifacts and checkpoints: well below any gRPC message limit, large enough to be few. */
export const chunkBytes = 1024 * 1024;

/** Steps of one `advance` between Progress events (cut short at previews and checkpoints). */
export const progressEverySteps = 10;
