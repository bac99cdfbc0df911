import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { GraphQLJSON } from "graphql-scalars";
import { connectionOf, type Connection } from "../graphql/connection";
import { limitNotes } from "../limits";

@ObjectType({ description: "A named collection of images; its content lives in immutable versions" })
export class Dataset {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "Unique per owner" })
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => [String])
  tags!: string[];

  @Field(() => Boolean)
  isPublic!: boolean;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  ownerId!: string;
}

@ObjectType({ description: "A file an upload left out, and why" })
export class SkippedFile {
  @Field(() => String)
  path!: string;

  @Field(() => String)
  reason!: string;
}

@ObjectType({ description: "What a dataset held at one moment; never changes once created" })
export class DatasetVersion {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: "1, 2, … in creation order" })
  number!: number;

  @Field(() => String, { description: "ZIP, CSV, EDIT or IMPORT" })
  source!: string;

  @Field(() => String, { nullable: true, description: "What changed, for edits" })
  message!: string | null;

  @Field(() => Int)
  imageCount!: number;

  @Field(() => Int)
  classCount!: number;

  @Field(() => Int, {
    description:
      "Samples without a class (the unlabeled pool: an upload's `_unlabeled/` folder or CSV split `unlabeled`); not in imageCount",
  })
  unlabeledCount!: number;

  @Field(() => [SkippedFile])
  skipped!: SkippedFile[];

  @Field(() => Date)
  createdAt!: Date;

  datasetId!: string;
  parentId!: string | null;
}

@ObjectType()
export class DatasetClass {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;
}

@ObjectType({ description: "A class and how many samples of a version carry it" })
export class ClassCount {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: "An image as a dataset version holds it: its label, split and metadata there" })
export class Sample {
  @Field(() => ID)
  id!: string;

  @Field(() => DatasetClass, {
    name: "class",
    nullable: true,
    description: "Null for a sample of the version's unlabeled pool",
  })
  sampleClass!: DatasetClass | null;

  @Field(() => String, { nullable: true, description: "train, validation or test when the upload said so" })
  split!: string | null;

  @Field(() => Int)
  width!: number;

  @Field(() => Int)
  height!: number;

  @Field(() => String, { description: "jpeg, png, webp or gif" })
  format!: string;

  @Field(() => String)
  sha256!: string;

  @Field(() => String, { description: "Path of the file in the upload" })
  originalPath!: string;

  @Field(() => GraphQLJSON, { nullable: true })
  metadata!: unknown;

  datasetId!: string;
  versionId!: string;
}

export const DatasetConnection = connectionOf(() => Dataset, "Dataset");
export type DatasetConnection = Connection<Dataset>;

export const SampleConnection = connectionOf(() => Sample, "Sample");
export type SampleConnection = Connection<Sample>;

@InputType({ description: "Names the dataset (created on first upload; a later upload adds a version)" })
export class DatasetInput {
  @Field(() => String, { description: limitNotes.name })
  name!: string;

  @Field(() => String, { nullable: true, description: limitNotes.description })
  description?: string | null;

  @Field(() => [String], { nullable: true, description: limitNotes.tags })
  tags?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  isPublic?: boolean | null;
}

@ObjectType()
export class DatasetUploadResult {
  @Field(() => Dataset)
  dataset!: Dataset;

  @Field(() => DatasetVersion)
  version!: DatasetVersion;

  @Field(() => Int)
  imageCount!: number;

  @Field(() => Int)
  classCount!: number;

  @Field(() => [SkippedFile])
  skipped!: SkippedFile[];
}

@InputType()
export class DatasetFilter {
  @Field(() => String, { nullable: true, description: "Owner's handle" })
  owner?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: `Datasets carrying all of these tags; ${limitNotes.tags.toLowerCase()}`,
  })
  tags?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  isPublic?: boolean | null;
}

@ObjectType({
  description:
    "One class name's change between two versions: `after - before = added - removed`. A relabelled " +
    "sample counts as removed from its old class and added to its new one",
})
export class ClassDiff {
  @Field(() => String)
  name!: string;

  @Field(() => Int, { description: "Images under this class here and not under it in the other version" })
  added!: number;

  @Field(() => Int, { description: "Images under this class in the other version and not under it here" })
  removed!: number;

  @Field(() => Int, { description: "Samples of the class in the other version" })
  before!: number;

  @Field(() => Int, { description: "Samples of the class in this version" })
  after!: number;
}

@ObjectType({
  description:
    "How a version's labelled samples compare with another version's, by content: samples are matched " +
    "by image sha256, so a re-upload of the same files is unchanged. The same image twice in a version " +
    "counts twice (a multiset): copies match one to one, first under the same class, then across " +
    "classes (relabelled). The unlabeled pool is not compared (see unlabeledCount). " +
    "added + relabelled + unchanged = this version's imageCount; removed + relabelled + unchanged = the other's",
})
export class VersionDiff {
  @Field(() => Int, { description: "Images in this version that the other does not have" })
  added!: number;

  @Field(() => Int, { description: "Images in the other version that this one does not have" })
  removed!: number;

  @Field(() => Int, { description: "Images in both, under a different class name" })
  relabelled!: number;

  @Field(() => Int, { description: "Images in both, under the same class name" })
  unchanged!: number;

  @Field(() => [ClassDiff], { description: "Every class name of either version, by name" })
  classes!: ClassDiff[];
}
