import { Arg, Ctx, Extensions, Field, ID, InputType, Mutation, Resolver } from "type-graphql";
import { GraphQLUpload, type FileUpload } from "graphql-upload-minimal";
import type { RequestContext } from "../../graphql/context";
import { incomingUpload } from "../../graphql/uploads";
import { limitNotes } from "../../limits";
import { DatasetVersion } from "../datasets.types";
import { fieldCost } from "../../graphql/field-costs";

@InputType({ description: "A sample's new class, by name (a new name creates the class)" })
export class SampleLabelInput {
  @Field(() => ID)
  sampleId!: string;

  @Field(() => String)
  label!: string;
}

/** Every edit returns the new version; the base version stays as it was. */
@Resolver()
export class DatasetEditsResolver {
  @Extensions(fieldCost.upload)
  @Mutation(() => DatasetVersion, {
    description:
      "Adds the images of a ZIP of class folders (and an optional `_unlabeled/` folder, into the unlabeled pool) " +
      "to the samples of `baseVersionId` (default: the latest version) as a new version",
  })
  addSamples(
    @Ctx() ctx: RequestContext,
    @Arg("datasetId", () => ID) datasetId: string,
    @Arg("archive", () => GraphQLUpload) archive: Promise<FileUpload>,
    @Arg("baseVersionId", () => ID, { nullable: true }) baseVersionId?: string | null,
  ) {
    const incoming = incomingUpload(archive, ctx.config.limits.maxUploadBytes);
    return ctx.services.datasetEdits.addSamples(
      ctx.viewer,
      datasetId,
      incoming,
      baseVersionId ?? null,
      ctx.signal,
    );
  }

  @Extensions(fieldCost.bulkWrite)
  @Mutation(() => DatasetVersion, {
    description:
      "Gives samples of the version other classes, as a new version; samples of its unlabeled pool get their first class",
  })
  relabelSamples(
    @Ctx() ctx: RequestContext,
    @Arg("datasetVersionId", () => ID) datasetVersionId: string,
    @Arg("changes", () => [SampleLabelInput], { description: limitNotes.datasetItemsPerRequest })
    changes: SampleLabelInput[],
    @Arg("message", () => String, { nullable: true, description: limitNotes.versionMessage })
    message?: string | null,
  ) {
    return ctx.services.datasetEdits.relabelSamples(ctx.viewer, datasetVersionId, changes, message);
  }

  @Extensions(fieldCost.bulkWrite)
  @Mutation(() => DatasetVersion, {
    description: "The version without these samples (labelled or of the unlabeled pool), as a new version",
  })
  deleteSamples(
    @Ctx() ctx: RequestContext,
    @Arg("datasetVersionId", () => ID) datasetVersionId: string,
    @Arg("sampleIds", () => [ID], { description: limitNotes.datasetItemsPerRequest }) sampleIds: string[],
    @Arg("message", () => String, { nullable: true, description: limitNotes.versionMessage })
    message?: string | null,
  ) {
    return ctx.services.datasetEdits.deleteSamples(ctx.viewer, datasetVersionId, sampleIds, message);
  }

  @Extensions(fieldCost.bulkWrite)
  @Mutation(() => DatasetVersion, {
    description:
      "Puts the samples of 2 or more classes into the class `into` (existing or new), as a new version",
  })
  mergeClasses(
    @Ctx() ctx: RequestContext,
    @Arg("datasetVersionId", () => ID) datasetVersionId: string,
    @Arg("classes", () => [String], { description: limitNotes.datasetItemsPerRequest }) classes: string[],
    @Arg("into", () => String) into: string,
    @Arg("message", () => String, { nullable: true, description: limitNotes.versionMessage })
    message?: string | null,
  ) {
    return ctx.services.datasetEdits.mergeClasses(ctx.viewer, datasetVersionId, classes, into, message);
  }

  @Extensions(fieldCost.bulkWrite)
  @Mutation(() => DatasetVersion, {
    description:
      "Renames a class in a new version; renaming onto a class the version has is a CONFLICT (use mergeClasses)",
  })
  renameClass(
    @Ctx() ctx: RequestContext,
    @Arg("datasetVersionId", () => ID) datasetVersionId: string,
    @Arg("from", () => String) from: string,
    @Arg("to", () => String) to: string,
    @Arg("message", () => String, { nullable: true, description: limitNotes.versionMessage })
    message?: string | null,
  ) {
    return ctx.services.datasetEdits.renameClass(ctx.viewer, datasetVersionId, from, to, message);
  }
}
