import { useMutation, useSubscription } from "@apollo/client/react";
import { useState } from "react";
import { useSearchParams } from "react-router";
import {
  DatasetUploadProgressDocument,
  UploadDatasetCsvDocument,
  UploadDatasetDocument,
  type UploadedDatasetFragment,
} from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { PageHeader } from "../ui/page-header";
import type { PickedFile } from "../ui/picked-files";
import { useFileUpload } from "../ui/use-file-upload";
import {
  datasetFiles,
  datasetInput,
  suggestDatasetName,
  type DatasetUploadForm,
} from "./dataset-upload-request";
import { UploadDatasetForm } from "./upload-dataset-form";
import { UploadResult } from "./upload-result";

export default function UploadDatasetPage() {
  useDocumentTitle("Upload a dataset");
  const [params] = useSearchParams();
  const [form, setForm] = useState<DatasetUploadForm>({
    name: params.get("name") ?? "",
    description: "",
    tags: "",
    isPublic: false,
    generateEmbeddings: true,
  });
  const upload = useFileUpload();
  const { picked, setPicked, progress, setProgress } = upload;
  const [result, setResult] = useState<UploadedDatasetFragment | null>(null);
  const [uploadZip, zipState] = useMutation(UploadDatasetDocument);
  const [uploadCsv, csvState] = useMutation(UploadDatasetCsvDocument);
  const uploading = zipState.loading || csvState.loading;
  // One id per ZIP upload, chosen here so the subscription can start before the answer comes.
  const [progressId, setProgressId] = useState<string | null>(null);
  const serverProgress = useSubscription(DatasetUploadProgressDocument, {
    variables: { progressId: progressId ?? "" },
    skip: progressId === null,
    fetchPolicy: "no-cache",
  });
  const error = zipState.error ?? csvState.error;

  const addFiles = (files: PickedFile[]) => {
    const next = [...picked, ...files];
    setPicked(next);
    const archive = next.find((entry) => /\.zip$/i.test(entry.file.name));
    if (!form.name.trim() && archive) setForm({ ...form, name: suggestDatasetName(archive.file.name) });
  };

  const submit = async () => {
    const files = datasetFiles(picked.map((entry) => entry.file));
    if (files.kind === "invalid") return;
    const context = upload.start(files.archive.size + (files.kind === "csv" ? files.csv.size : 0));
    setResult(null);
    zipState.reset();
    csvState.reset();
    const common = { input: datasetInput(form), generateEmbeddings: form.generateEmbeddings };
    let uploaded: UploadedDatasetFragment | undefined;
    if (files.kind === "zip") {
      const id = crypto.randomUUID();
      setProgressId(id);
      const answer = await uploadZip({
        variables: { ...common, archive: files.archive, progressId: id },
        context,
      }).catch(() => null);
      setProgressId(null);
      uploaded = answer?.data?.uploadDataset;
    } else {
      const answer = await uploadCsv({
        variables: { ...common, csv: files.csv, archive: files.archive },
        context,
      }).catch(() => null);
      uploaded = answer?.data?.uploadDatasetCsv;
    }
    upload.finish();
    setProgress(null);
    if (uploaded) {
      setResult(uploaded);
      setPicked([]);
    }
  };

  return (
    <>
      <PageHeader title="Upload a dataset" crumbs={[{ label: "Datasets", to: "/datasets" }]} />
      <p className="lead">
        A ZIP with one folder of images per class (JPEG, PNG, WebP or GIF), or a CSV with a{" "}
        <code>path,label</code> header (optionally <code>split</code>) and the ZIP its paths point into.
        Uploading under a name you already use adds a version to that dataset.
      </p>
      {result && <UploadResult result={result} />}
      <UploadDatasetForm
        form={form}
        onFormChange={setForm}
        picked={picked}
        onAddFiles={addFiles}
        onRemoveFile={upload.removeFile}
        uploading={uploading}
        progress={progress}
        serverProgress={progressId === null ? null : serverProgress.data?.datasetUploadProgress}
        error={error}
        onSubmit={() => void submit()}
        onCancel={upload.cancel}
      />
    </>
  );
}
