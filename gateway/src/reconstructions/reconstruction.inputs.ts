import { GraphQLUpload, type FileUpload } from "graphql-upload-minimal";
import { radianceFieldSettingBounds as bounds } from "@tessera/proto/reconstruction-settings";
import { Field, ID, InputType, Int } from "type-graphql";
import { JobStatus } from "../jobs/jobs.types";
import { ReconstructionMethod } from "./reconstruction-enums";
import { extraSettingBounds as extra } from "./reconstruction-settings";
import { MAX_PROMPT_LENGTH } from "./reconstruction-checks";

const range = (bound: { min: number; max: number; default: number }, what: string) =>
  `${what}: ${bound.min} to ${bound.max}, default ${bound.default}`;

@InputType({ description: "Each setting is optional; a missing one takes its default" })
export class ReconstructionSettingsInput {
  @Field(() => Int, {
    nullable: true,
    description: range(bounds.gridResolution, bounds.gridResolution.description),
  })
  gridResolution?: number | null;

  @Field(() => Int, { nullable: true, description: range(bounds.steps, bounds.steps.description) })
  steps?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: range(bounds.raysPerBatch, bounds.raysPerBatch.description),
  })
  raysPerBatch?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: range(bounds.samplesPerRay, bounds.samplesPerRay.description),
  })
  samplesPerRay?: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      '"#rrggbb" composited behind the field. RADIANCE_FIELD: the scene\'s background (the default; any other is refused, its photos were composited on it); white elsewhere',
  })
  background?: string | null;

  @Field(() => Int, { nullable: true, description: range(bounds.seed, bounds.seed.description) })
  seed?: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Degree-1 spherical-harmonic colour (view-dependent) instead of plain RGB; default false",
  })
  viewDependent?: boolean | null;

  @Field(() => Int, {
    nullable: true,
    description: range(extra.turntableFrames, "Turntable frames (0: none)"),
  })
  turntableFrames?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: range(
      extra.targetTriangles,
      "Simplify the mesh to at most this many triangles (0: keep all)",
    ),
  })
  targetTriangles?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: range(
      extra.fieldOfViewDegrees,
      "DEPTH_MESH: horizontal field of view the depth map is back-projected with, degrees",
    ),
  })
  fieldOfViewDegrees?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: range(extra.meshCells, "DEPTH_MESH: height-field cells along the image's longer side"),
  })
  meshCells?: number | null;
}

@InputType({
  description:
    "RADIANCE_FIELD: sceneId. DEPTH_MESH: image or sampleId, and modelVersionId (a deployed DEPTH_ESTIMATION model). " +
    "TEXT_TO_3D: prompt. IMAGE_TO_3D: image or sampleId. TEXT_TO_3D and IMAGE_TO_3D take modelVersionId or use a deployed model of that type.",
})
export class ReconstructionInput {
  @Field(() => ReconstructionMethod)
  method!: ReconstructionMethod;

  @Field(() => ID, { nullable: true })
  sceneId?: string | null;

  @Field(() => GraphQLUpload, { nullable: true, description: "PNG, JPEG or WebP" })
  image?: Promise<FileUpload> | null;

  @Field(() => ID, { nullable: true, description: "A dataset sample you can see, instead of `image`" })
  sampleId?: string | null;

  @Field(() => String, { nullable: true, description: `1 to ${MAX_PROMPT_LENGTH} characters` })
  prompt?: string | null;

  @Field(() => ID, { nullable: true })
  modelVersionId?: string | null;

  @Field(() => ReconstructionSettingsInput, { nullable: true })
  settings?: ReconstructionSettingsInput | null;
}

@InputType({ description: "Every given field must match" })
export class ReconstructionFilter {
  @Field(() => [ReconstructionMethod], { nullable: true })
  method?: ReconstructionMethod[] | null;

  @Field(() => [JobStatus], { nullable: true })
  status?: JobStatus[] | null;

  @Field(() => ID, { nullable: true })
  sceneId?: string | null;
}
