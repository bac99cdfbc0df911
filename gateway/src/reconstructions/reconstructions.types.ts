import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { connectionOf, type Connection } from "../graphql/connection";
import { JobError, JobStatus } from "../jobs/jobs.types";
import type { Job as JobRow } from "../generated/prisma/client";
import { ReconstructionArtifactKind, ReconstructionMethod } from "./reconstruction-enums";

@ObjectType({ description: "PSNR and SSIM on one held-out view" })
export class ReconstructionViewMetrics {
  @Field(() => Int, { description: "The scene frame's index" })
  frame!: number;

  @Field(() => Float, { nullable: true })
  psnr!: number | null;

  @Field(() => Float, { nullable: true })
  ssim!: number | null;
}

@ObjectType({ description: "How good and how fast: held-out PSNR (dB) and SSIM, wall time, speed" })
export class ReconstructionMetrics {
  @Field(() => Float, { nullable: true, description: "Mean over the held-out views; null without any" })
  psnr!: number | null;

  @Field(() => Float, { nullable: true, description: "Mean over the held-out views; null without any" })
  ssim!: number | null;

  @Field(() => [ReconstructionViewMetrics])
  perView!: ReconstructionViewMetrics[];

  @Field(() => Float, { nullable: true, description: "Wall time of the run on the tier" })
  seconds!: number | null;

  @Field(() => Float, { nullable: true })
  samplesPerSecond!: number | null;

  @Field(() => Float, { nullable: true })
  raysPerSecond!: number | null;

  @Field(() => Int, { nullable: true, description: "The final grid's voxels per axis" })
  gridResolution!: number | null;

  @Field(() => String, { description: 'The background the renders were measured on, "#rrggbb"' })
  background!: string;

  @Field(() => Boolean, { description: "The mesh is a 2.5D height field (DEPTH_MESH)" })
  heightField!: boolean;
}

@ObjectType({ description: "An axis-aligned box around the mesh, in its own coordinates (+Y up)" })
export class MeshBounds {
  @Field(() => [Float], { description: "[x, y, z]" })
  min!: number[];

  @Field(() => [Float], { description: "[x, y, z]" })
  max!: number[];
}

@ObjectType({ description: "The mesh's size and extent" })
export class ReconstructionMesh {
  @Field(() => Int)
  vertexCount!: number;

  @Field(() => Int)
  triangleCount!: number;

  @Field(() => MeshBounds, { nullable: true })
  bounds!: MeshBounds | null;
}

@ObjectType({ description: "A file a reconstruction produced; `url` is signed for you and expires" })
export class ReconstructionArtifact {
  @Field(() => ID)
  id!: string;

  @Field(() => ReconstructionArtifactKind)
  kind!: ReconstructionArtifactKind;

  @Field(() => Float)
  sizeBytes!: number;

  @Field(() => String)
  sha256!: string;

  @Field(() => String)
  contentType!: string;

  @Field(() => String)
  fileName!: string;

  @Field(() => Int, {
    nullable: true,
    description: "RENDER_PNG: the held-out frame's index; TURNTABLE_PNG: its number",
  })
  frame!: number | null;

  @Field(() => Int, { nullable: true, description: "PREVIEW_PNG: the optimisation step it shows" })
  step!: number | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType({ description: "The settings a reconstruction runs with, defaults filled in" })
export class ReconstructionSettings {
  @Field(() => Int)
  gridResolution!: number;

  @Field(() => Int)
  steps!: number;

  @Field(() => Int)
  raysPerBatch!: number;

  @Field(() => Int)
  samplesPerRay!: number;

  @Field(() => String)
  background!: string;

  @Field(() => Int)
  seed!: number;

  @Field(() => Boolean)
  viewDependent!: boolean;

  @Field(() => Int)
  turntableFrames!: number;

  @Field(() => Int)
  targetTriangles!: number;

  @Field(() => Int)
  fieldOfViewDegrees!: number;

  @Field(() => Int)
  meshCells!: number;

  @Field(() => Int, { description: "A preview render every this many steps" })
  previewEvery!: number;

  @Field(() => Int, { description: "A checkpoint every this many steps" })
  checkpointEvery!: number;

  @Field(() => Int, {
    description: "Worker threads on the tier (with the seed, what makes a run reproducible)",
  })
  threads!: number;
}

@ObjectType({
  description: "A 3D reconstruction: a job (status, progress, error, times) and what it produced",
})
export class Reconstruction {
  @Field(() => ID, { description: "Also its job's id (`job`, `jobEvents`)" })
  id!: string;

  @Field(() => JobStatus)
  status!: JobStatus;

  @Field(() => Float, { description: "0 to 1 over the whole job" })
  progress!: number;

  @Field(() => ReconstructionMethod)
  method!: ReconstructionMethod;

  @Field(() => ReconstructionMetrics, { nullable: true, description: "Once it succeeded" })
  metrics!: ReconstructionMetrics | null;

  @Field(() => ReconstructionMesh, { nullable: true, description: "Once it succeeded" })
  mesh!: ReconstructionMesh | null;

  @Field(() => JobError, { nullable: true })
  error!: JobError | null;

  @Field(() => ReconstructionSettings)
  settings!: ReconstructionSettings;

  @Field(() => String, { nullable: true })
  prompt!: string | null;

  @Field(() => Int, {
    nullable: true,
    description: "The step of the latest checkpoint a resumed run continues from",
  })
  checkpointStep!: number | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  ownerId!: string;
  sceneId!: string | null;
  modelVersionId!: string | null;
  jobRow!: JobRow;
}

export const ReconstructionConnection = connectionOf(() => Reconstruction, "Reconstruction");
export type ReconstructionConnection = Connection<Reconstruction>;
