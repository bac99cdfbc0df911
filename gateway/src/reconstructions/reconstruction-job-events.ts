import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { JobEventFields } from "../jobs/job-event-fields";
import type { JobEventRecord } from "../jobs/job-event-subscriber";
import type { KindEvents } from "../jobs/kind-events";
import type { ReconstructionPreviewPayload, ReconstructionStepPayload } from "./reconstruction-job-kind";

// Imports nothing of jobs.types: the job registry (job-kinds.ts) imports this file, and jobs.types
// builds its JobKind enum from that registry.

@ObjectType({ description: "An optimisation step: loss, PSNR on a held-out view (when measured), speed" })
export class ReconstructionStepEvent extends JobEventFields {
  @Field(() => Int)
  step!: number;

  @Field(() => Int)
  totalSteps!: number;

  @Field(() => Float, { nullable: true })
  loss!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "dB on one held-out view; null at steps where it was not measured",
  })
  psnr!: number | null;

  @Field(() => Float, { nullable: true })
  samplesPerSecond!: number | null;

  @Field(() => Int, { nullable: true, description: "The current coarse-to-fine stage's voxels per axis" })
  resolution!: number | null;

  @Field(() => String, { description: "loading, optimising, meshing, rendering, inference …" })
  phase!: string;
}

@ObjectType({ description: "A preview render was stored: fetch it from `url` (signed for you)" })
export class ReconstructionPreviewEvent extends JobEventFields {
  @Field(() => Int)
  step!: number;

  @Field(() => ID, { description: "The PREVIEW_PNG artifact" })
  artifactId!: string;
}

export const baseOf = (record: JobEventRecord) => ({
  jobId: record.jobId,
  seq: record.seq,
  at: record.createdAt,
});

export const toStep = (record: JobEventRecord) =>
  Object.assign(new ReconstructionStepEvent(), baseOf(record), record.payload as ReconstructionStepPayload);

export const toPreview = (record: JobEventRecord) => {
  const payload = record.payload as ReconstructionPreviewPayload;
  return Object.assign(new ReconstructionPreviewEvent(), baseOf(record), {
    step: payload.step,
    artifactId: payload.artifactId,
  });
};

/** The reconstruction events `jobEvents` streams besides the platform's, as their GraphQL members. */
export const reconstructionJobEvents: KindEvents = {
  step: { member: ReconstructionStepEvent, toGraphQL: toStep },
  preview: { member: ReconstructionPreviewEvent, toGraphQL: toPreview },
};
