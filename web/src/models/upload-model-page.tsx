import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import {
  UploadModelArchiveDocument,
  UploadModelDocument,
  type UploadedVersionFragment,
} from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { ImportPackageSection } from "../serving/import-package-form";
import { PageHeader } from "../ui/page-header";
import type { PickedFile } from "../ui/picked-files";
import { useFileUpload } from "../ui/use-file-upload";
import { versionPath } from "./model-paths";
import { UploadModelForm } from "./upload-model-form";
import { suggestSlug, uploadRequest, type UploadForm } from "./upload-request";

export default function UploadModelPage() {
  useDocumentTitle("Upload a model");
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [form, setForm] = useState<UploadForm>({
    slug: params.get("slug") ?? "",
    name: "",
    version: "",
    modelType: "",
    framework: "",
    tags: "",
    description: "",
    isPublic: false,
    unpackArchive: true,
  });
  const upload = useFileUpload();
  const { picked, setPicked, progress, setProgress } = upload;
  const [uploadFiles, filesState] = useMutation(UploadModelDocument);
  const [uploadArchive, archiveState] = useMutation(UploadModelArchiveDocument);
  const uploading = filesState.loading || archiveState.loading;
  const error = filesState.error ?? archiveState.error;

  const addFiles = (files: PickedFile[]) => {
    const next = [...picked, ...files];
    setPicked(next);
    const first = next[0];
    if (!form.slug && first)
      setForm({ ...form, slug: suggestSlug(first.path.split("/")[0] ?? first.file.name) });
  };

  const submit = async () => {
    const request = uploadRequest(form, picked);
    const context = upload.start(picked.reduce((sum, entry) => sum + entry.file.size, 0));
    filesState.reset();
    archiveState.reset();
    let uploaded: UploadedVersionFragment | undefined;
    if (request.kind === "archive") {
      const result = await uploadArchive({
        variables: { input: request.input, archive: request.archive },
        context,
      }).catch(() => null);
      uploaded = result?.data?.uploadModelArchive;
    } else {
      const result = await uploadFiles({
        variables: { input: request.input, files: request.files, paths: request.paths },
        context,
      }).catch(() => null);
      uploaded = result?.data?.uploadModel;
    }
    upload.finish();
    if (uploaded) navigate(versionPath(uploaded.model.owner.handle, uploaded.model.slug, uploaded.version));
    else setProgress(null);
  };

  return (
    <>
      <PageHeader title="Upload a model" crumbs={[{ label: "Models", to: "/models" }]} />
      <p className="lead">
        Files become a new version of the model named by the slug; the model is created on its first upload.
        ONNX files are opened to read their inputs, outputs and labels.
      </p>
      <UploadModelForm
        form={form}
        onFormChange={setForm}
        picked={picked}
        onAddFiles={addFiles}
        onRemoveFile={upload.removeFile}
        uploading={uploading}
        progress={progress}
        error={error}
        onSubmit={() => void submit()}
        onCancel={upload.cancel}
      />
      <ImportPackageSection />
    </>
  );
}
