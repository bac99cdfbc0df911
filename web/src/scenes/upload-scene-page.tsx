import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { CreateSceneDocument } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { PageHeader } from "../ui/page-header";
import type { PickedFile } from "../ui/picked-files";
import { useFileUpload } from "../ui/use-file-upload";
import { scenesPath } from "./scene-paths";
import {
  emptySceneUploadForm,
  sceneArchiveProblem,
  sceneInput,
  suggestSceneName,
  type SceneUploadForm,
} from "./scene-upload-request";
import { SceneUploadResult, type SceneUploadResultData } from "./scene-upload-result";
import { UploadSceneForm } from "./upload-scene-form";

export default function UploadScenePage() {
  useDocumentTitle("Upload a scene");
  const [form, setForm] = useState<SceneUploadForm>(emptySceneUploadForm);
  const upload = useFileUpload();
  const { picked, setPicked, progress, setProgress } = upload;
  const [result, setResult] = useState<SceneUploadResultData | null>(null);
  const [createScene, { loading, error, reset }] = useMutation(CreateSceneDocument);

  const addFiles = (files: PickedFile[]) => {
    const next = [...picked, ...files];
    setPicked(next);
    const archive = next.find((entry) => /\.zip$/i.test(entry.file.name));
    if (!form.name.trim() && archive) setForm({ ...form, name: suggestSceneName(archive.file.name) });
  };

  const submit = async () => {
    const files = picked.map((entry) => entry.file);
    const archive = files[0];
    if (sceneArchiveProblem(files) !== null || !archive) return;
    const context = upload.start(archive.size);
    setResult(null);
    reset();
    const answer = await createScene({ variables: { input: sceneInput(form), archive }, context }).catch(
      () => null,
    );
    upload.finish();
    setProgress(null);
    const created = answer?.data?.createScene;
    if (created) {
      setResult(created);
      setPicked([]);
    }
  };

  return (
    <>
      <PageHeader title="Upload a scene" crumbs={[{ label: "Scenes", to: scenesPath }]} />
      <p className="lead">
        A ZIP of photos and their camera poses: NeRF-synthetic <code>transforms_train.json</code> (with
        optional <code>_val</code> and <code>_test</code>), or an instant-ngp or nerfstudio{" "}
        <code>transforms.json</code>. Frames whose photo is missing, unreadable or of another size are skipped
        and listed.
      </p>
      {result && <SceneUploadResult result={result} />}
      <UploadSceneForm
        form={form}
        onFormChange={setForm}
        picked={picked}
        onAddFiles={addFiles}
        onRemoveFile={upload.removeFile}
        uploading={loading}
        progress={progress}
        error={error}
        onSubmit={() => void submit()}
        onCancel={upload.cancel}
      />
    </>
  );
}
