import { useId, type FormEvent } from "react";
import type { UploadProgress } from "../api/xhr-request";
import { CheckboxField } from "../ui/checkbox-field";
import { ErrorMessage } from "../ui/error-message";
import { FileDropZone } from "../ui/file-drop-zone";
import { PickedFileList } from "../ui/picked-file-list";
import type { PickedFile } from "../ui/picked-files";
import { TextField } from "../ui/text-field";
import { UploadControls } from "../ui/upload-controls";
import { sceneArchiveProblem, type SceneUploadForm } from "./scene-upload-request";

export interface UploadSceneFormProps {
  form: SceneUploadForm;
  onFormChange(form: SceneUploadForm): void;
  picked: PickedFile[];
  onAddFiles(files: PickedFile[]): void;
  onRemoveFile(index: number): void;
  uploading: boolean;
  progress: UploadProgress | null;
  error: unknown;
  onSubmit(): void;
  onCancel(): void;
}

/** The server's names for the inputs whose problems are shown under them; the rest go under the button. */
const FIELDS = {
  name: "input.name",
  description: "input.description",
  background: "input.background",
};

export function UploadSceneForm(props: UploadSceneFormProps) {
  const { form, onFormChange, picked, uploading, progress, error } = props;
  const id = useId();
  const set = <K extends keyof SceneUploadForm>(key: K, value: SceneUploadForm[K]) =>
    onFormChange({ ...form, [key]: value });
  const problem = sceneArchiveProblem(picked.map((entry) => entry.file));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit();
  };

  return (
    <form className="upload-form" onSubmit={submit} noValidate aria-label="Scene upload">
      <FileDropZone
        label="Scene archive"
        hint="Drop a ZIP of photos with transforms.json or transforms_train.json"
        accept=".zip,application/zip"
        disabled={uploading}
        onFiles={props.onAddFiles}
      />
      {picked.length > 0 && (
        <>
          <PickedFileList picked={picked} disabled={uploading} onRemove={props.onRemoveFile} />
          {problem && (
            <p className="error-message" role="alert">
              {problem}
            </p>
          )}
        </>
      )}
      <div className="form-grid">
        <TextField
          id={`${id}-name`}
          label="Scene name"
          required
          value={form.name}
          onChange={(value) => set("name", value)}
          field={FIELDS.name}
          error={error}
        />
        <div className="field">
          <label htmlFor={`${id}-background`}>Background</label>
          <input
            id={`${id}-background`}
            type="color"
            value={form.background}
            onChange={(event) => set("background", event.target.value)}
            aria-describedby={`${id}-background-hint`}
          />
          <p className="hint" id={`${id}-background-hint`}>
            Transparent pixels of RGBA photos are filled with it (NeRF-synthetic scenes use white)
          </p>
          <ErrorMessage error={error} field={FIELDS.background} />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea
          id={`${id}-description`}
          rows={2}
          value={form.description}
          onChange={(event) => set("description", event.target.value)}
        />
        <ErrorMessage error={error} field={FIELDS.description} />
      </div>
      <CheckboxField
        id={`${id}-public`}
        label="Public: everyone signed in can see it and reconstruct it"
        checked={form.isPublic}
        onChange={(checked) => set("isPublic", checked)}
      />
      <UploadControls
        uploading={uploading}
        progress={progress}
        canSubmit={problem === null && form.name.trim() !== ""}
        storingMessage="Uploaded; the gateway is reading the cameras and storing the frames…"
        onCancel={props.onCancel}
      />
      <ErrorMessage error={error} exceptFields={Object.values(FIELDS)} />
    </form>
  );
}
