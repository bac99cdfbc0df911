import type { PinholeCamera, RadianceFieldOptions, Vec3 } from "../contracts";

/** What every method writes at the end besides its mesh. */
export interface OutputSettings {
  /** Frames of the turntable (0: none). */
  turntableFrames: number;
  /** Simplify the mesh to at most this many triangles (0: keep every one). */
  targetTriangles: number;
}

export interface PlannedFrame {
  index: number;
  role: "TRAIN" | "HELD_OUT";
  camera: PinholeCamera;
}

export interface RadianceFieldPlan {
  method: "RADIANCE_FIELD";
  frames: PlannedFrame[];
  boundsMin: Vec3;
  boundsMax: Vec3;
  options: RadianceFieldOptions;
  /** Steps between preview renders and between checkpoints (0: never). */
  previewEvery: number;
  checkpointEvery: number;
  output: OutputSettings;
  /** Bytes of the checkpoint the client sends after the frames (0: a fresh run). */
  checkpointBytes: number;
  /** estimateRadianceFieldBytes of the run: what it reserves of the tier's memory budget. */
  estimatedBytes: number;
}

export interface ModelChoice {
  name: string;
  /** "" for the newest version that serves. */
  version: string;
  /** Only Triton at TRITON_URL may run it, never a model loaded on this tier (ModelRef.triton_only). */
  tritonOnly: boolean;
}

export interface DepthMeshPlan {
  method: "DEPTH_MESH";
  model: ModelChoice;
  image: Buffer;
  fieldOfViewDegrees: number;
  meshCells: number;
  /**
   * What the model's output means (parameters["depth_kind"]): "disparity", relative inverse depth
   * as most registry depth models answer (the default), or "depth", metric distance along -Z.
   */
  depthKind: "depth" | "disparity";
  output: OutputSettings;
}

export interface GenerativePlan {
  method: "TEXT_TO_3D" | "IMAGE_TO_3D";
  model: ModelChoice;
  /** TEXT_TO_3D only. */
  prompt: string;
  /** IMAGE_TO_3D only. */
  image: Buffer;
  parameters: Record<string, string>;
  /** Where a density / sdf grid is placed in the world (the request's bounds, else the unit cube ±1). */
  boundsMin: Vec3;
  boundsMax: Vec3;
  output: OutputSettings;
}

/** A ReconstructStart that passed every check that can be made before any frame is read. */
export type ReconstructionPlan = RadianceFieldPlan | DepthMeshPlan | GenerativePlan;
