import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import type { UploadPhase } from "./upload-progress";

export enum DatasetUploadPhase {
  RECEIVING = "RECEIVING",
  CHECKING = "CHECKING",
  SAVING = "SAVING",
  DONE = "DONE",
  FAILED = "FAILED",
}
registerEnumType(DatasetUploadPhase, {
  name: "DatasetUploadPhase",
  description:
    "RECEIVING: the archive's bytes are arriving and its directory is checked; CHECKING: each image is " +
    "decoded, analysed and stored; SAVING: the images are flushed to disk and the version is written; " +
    "DONE and FAILED end the subscription",
});

@ObjectType({ description: "How far the gateway is with an upload it is still receiving or checking" })
export class DatasetUploadProgress {
  @Field(() => DatasetUploadPhase)
  phase!: UploadPhase;

  @Field(() => Int, { description: "Files of the archive accepted or skipped so far" })
  processed!: number;

  @Field(() => Int, { description: "Files of the archive to check; 0 until the archive is read" })
  total!: number;

  @Field(() => Int, { description: "Of `processed`, the files skipped (listed in the upload's answer)" })
  rejected!: number;

  @Field(() => Float, {
    nullable: true,
    description: "Seconds until every file is checked, from the rate so far; null before the first",
  })
  etaSeconds!: number | null;
}
