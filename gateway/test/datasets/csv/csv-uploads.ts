import type { GraphQLBody, TestGateway, UploadFile } from "../../support/gateway";
import type { UploadResult } from "../uploads/dataset-uploads";

export const UPLOAD_DATASET_CSV = `
  mutation ($input: DatasetInput!, $csv: Upload!, $archive: Upload) {
    uploadDatasetCsv(input: $input, csv: $csv, archive: $archive) {
      dataset { id name description tags isPublic }
      version { id number source imageCount classCount skipped { path reason } }
      imageCount
      classCount
      skipped { path reason }
    }
  }`;

/** Sends the CSV first and the archive second, as the variables list them; `archive: null` sends none. */
export function postDatasetCsv(
  gateway: TestGateway,
  input: Record<string, unknown>,
  csv: string | Buffer,
  archive: Buffer | null,
): Promise<GraphQLBody<{ uploadDatasetCsv: UploadResult }>> {
  const files: UploadFile[] = [
    { variable: "csv", filename: "labels.csv", content: Buffer.from(csv), contentType: "text/csv" },
  ];
  if (archive)
    files.push({
      variable: "archive",
      filename: "images.zip",
      content: archive,
      contentType: "application/zip",
    });
  return gateway.upload(UPLOAD_DATASET_CSV, { input }, files);
}
