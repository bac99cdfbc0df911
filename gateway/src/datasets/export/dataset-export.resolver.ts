import { Arg, Ctx, Extensions, Field, ID, Mutation, ObjectType, Resolver } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { fieldCost } from "../../graphql/field-costs";
import { datasetExportPath } from "./dataset-export.service";

@ObjectType({ description: "A signed, short-lived link to a dataset version's ZIP" })
export class DatasetExport {
  @Field(() => String, {
    description:
      "GET it (no token needed until expiresAt) for a streamed ZIP: `labels.csv` (path,label,split,metadata; " +
      "label empty and split `unlabeled` for the pool), `<class>/<file>` per labelled sample and " +
      "`_unlabeled/<file>` per pool sample. File names are the uploads' file names, made safe and unique " +
      "per folder (`a.jpg`, `a-2.jpg`); the CSV keeps each exact label. Uploading the ZIP again " +
      "(uploadDataset, or uploadDatasetCsv with labels.csv) gives the same content",
  })
  url!: string;

  @Field(() => String, { description: "`<dataset name>-v<number>.zip`" })
  fileName!: string;

  @Field(() => Date)
  expiresAt!: Date;
}

@Resolver()
export class DatasetExportResolver {
  // The link streams every file of the version: priced like the edits that rewrite them all.
  @Extensions(fieldCost.bulkWrite)
  @Mutation(() => DatasetExport, {
    description:
      "A download link for the version as a ZIP of class folders plus labels.csv; NOT_FOUND unless you can see it",
  })
  async exportDatasetVersion(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID) id: string,
  ): Promise<DatasetExport> {
    const fileName = await ctx.services.datasets.exports.exportableName(ctx.viewer, id);
    const url = ctx.downloads.signedUrl(datasetExportPath(id));
    // The signer decides the lifetime; the link itself says when it ends.
    const expires = Number(new URL(url).searchParams.get("expires"));
    return { url, fileName, expiresAt: new Date(expires * 1000) };
  }
}
