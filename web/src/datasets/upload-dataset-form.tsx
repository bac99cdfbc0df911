import { useId, type FormEvent } from "react";
import type { UploadProgress } from "../api/xhr-request";
import { CheckboxField } from "../ui/checkbox-field";
import { ErrorMessage } from "../ui/error-message";
import { FileDropZone } from "../ui/file-drop-zone";
import { PickedFileList } from "../ui/picked-file-list";
import type { PickedFile } from "../ui/picked-files";
import { TextField } from "../ui/text-field";
import { UploadControls } from "../ui/upload-controls";
import { datasetFiles, type DatasetUploadForm } from "./dataset-upload-request";
import { describeServerProgress, type ServerUploadProgress } from "./upload-progress-message";

export interface UploadDatasetFormProps {
  form: DatasetUploadForm;
  onFormChange(form: DatasetUploadForm): void;
  picked: PickedFile[];
  onAddFiles(files: PickedFile[]): void;
  onRemoveFile(index: number): void;
  uploading: boolean;
  progress: UploadProgress | null;
  /** What the gateway reports while it checks the files it received (ZIP uploads). */
  serverProgress?: ServerUploadProgress | null;
  error: unknown;
  onSubmit(): void;
  onCancel(): void;
}

/** The server's names for the inputs whose problems are shown under them; the rest go under the button. */
const FIELDS = { name: "input.name", tags: "input.tags", description: "input.description" };

export function UploadDatasetForm(props: UploadDatasetFormProps) {
  const { form, onFormChange, picked, uploading, progress, error } = props;
  const id = useId();
  const set = <K extends keyof DatasetUploadForm>(key: K, value: DatasetUploadForm[K]) =>
    onFormChange({ ...form, [key]: value });
  const files = datasetFiles(picked.map((entry) => entry.file));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit();
  };

  return (
    <form className="upload-form" onSubmit={submit} noValidate aria-label="Dataset upload">
      <FileDropZone
        label="Dataset files"
        hint="Drop a ZIP of class folders, or a CSV together with its ZIP"
        multiple
        accept=".zip,.csv,application/zip,text/csv"
        disabled={uploading}
        onFiles={props.onAddFiles}
      />
      {picked.length > 0 && (
        <>
          <PickedFileList picked={picked} disabled={uploading} onRemove={props.onRemoveFile} />
          {files.kind === "invalid" ? (
            <p className="error-message" role="alert" id={`${id}-files-problem`}>
              {files.problem}
            </p>
          ) : (
            <p className="muted">
              {files.kind === "zip"
                ? "Each top-level folder of the ZIP becomes a class."
                : "The CSV's label column names each image's class."}
            </p>
          )}
        </>
      )}

      <div className="form-grid">
        <TextField
          id={`${id}-name`}
          label="Dataset name"
          required
          value={form.name}
          onChange={(value) => set("name", value)}
          field={FIELDS.name}
          error={error}
          hint="A name you already use adds a version to that dataset"
        />
        <TextField
          id={`${id}-tags`}
          label="Tags"
          value={form.tags}
          onChange={(value) => set("tags", value)}
          field={FIELDS.tags}
          error={error}
          hint="Comma-separated"
        />
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
        id={`${id}-embeddings`}
        label="Compute embeddings after the upload (for similarity search, the embedding map and the label check)"
        checked={form.generateEmbeddings}
        onChange={(checked) => set("generateEmbeddings", checked)}
      />
      <CheckboxField
        id={`${id}-public`}
        label="Public: everyone signed in can see and use it"
        checked={form.isPublic}
        onChange={(checked) => set("isPublic", checked)}
      />

      <UploadControls
        uploading={uploading}
        progress={progress}
        canSubmit={files.kind !== "invalid" && form.name.trim() !== ""}
        storingMessage={describeServerProgress(props.serverProgress)}
        onCancel={props.onCancel}
      />
      <ErrorMessage error={error} exceptFields={Object.values(FIELDS)} />
    </form>
  );
}
