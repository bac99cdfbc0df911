import { Field, InputType, Int, registerEnumType } from "type-graphql";
import { limitNotes } from "../../limits";

export enum DatasetImportSource {
  HUGGINGFACE = "HUGGINGFACE",
  URL = "URL",
  KAGGLE = "KAGGLE",
  TFDS = "TFDS",
}
registerEnumType(DatasetImportSource, {
  name: "DatasetImportSource",
  description:
    "Where a premade dataset comes from. KAGGLE and TFDS need credentials or network access this server does not have; they are refused with SERVICE_UNAVAILABLE.",
});

@InputType({ description: "A dataset repo on the Hugging Face Hub (HF_ENDPOINT), laid out as image folders" })
export class HuggingFaceImportInput {
  @Field(() => String, { description: '"org/name"' })
  repoId!: string;

  @Field(() => String, { nullable: true, defaultValue: "main", description: "Branch, tag or commit" })
  revision?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The folder of the repo that holds this configuration's data (like `data_dir`)",
  })
  config?: string | null;

  @Field(() => String, { nullable: true, description: "Only this split: train, validation or test" })
  split?: string | null;
}

@InputType({ description: "A premade dataset to import as a new version of the dataset named `name`" })
export class ImportDatasetInput {
  @Field(() => DatasetImportSource)
  source!: DatasetImportSource;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: true,
    description: "Keep where each sample came from (repo, commit, file path or URL) in its metadata",
  })
  includeMetadata?: boolean | null;

  @Field(() => [String], {
    nullable: true,
    description: `Import only these classes; ${limitNotes.datasetItemsPerRequest.toLowerCase()}`,
  })
  selectedClasses?: string[] | null;

  @Field(() => Int, { nullable: true, description: "At most this many samples per class: the first by path" })
  maxSamplesPerClass?: number | null;

  @Field(() => HuggingFaceImportInput, { nullable: true, description: "Required for HUGGINGFACE" })
  huggingFace?: HuggingFaceImportInput | null;

  @Field(() => String, {
    nullable: true,
    description: "Required for URL: an http(s) URL of a ZIP of class folders",
  })
  url?: string | null;
}
