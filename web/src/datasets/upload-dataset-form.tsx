import { useId, type FormEvent } from "react";
import { problemsOf } from "../api/problems";
import type { UploadProgress } from "../api/xhr-request";
import { ErrorMessage } from "../ui/error-message";
import { FileDropZone } from "../ui/file-drop-zone";
import { formatBytes } from "../ui/format";
import type { PickedFile } from "../ui/picked-files";
import { ByteProgress } from "../ui/progress-bar";
import { datasetFiles, type DatasetUploadForm } from "./dataset-upload-request";

export interface UploadDatasetFormProps {
  form: DatasetUploadForm;
  onFormChange(form: DatasetUploadForm): void;
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
          <ul className="picked-files" aria-label="Files to upload">
            {picked.map((entry, index) => (
              <li key={`${entry.path}-${index}`}>
                <code>{entry.path}</code> <span className="muted">{formatBytes(entry.file.size)}</span>
                <button
                  type="button"
                  disabled={uploading}
                  aria-label={`Remove ${entry.path}`}
                  onClick={() => props.onRemoveFile(index)}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
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
      <div className="field field-checkbox">
        <input
          id={`${id}-embeddings`}
          type="checkbox"
          checked={form.generateEmbeddings}
          onChange={(event) => set("generateEmbeddings", event.target.checked)}
        />
        <label htmlFor={`${id}-embeddings`}>
          Compute embeddings after the upload (for similarity search, the embedding map and the label check)
        </label>
      </div>
      <div className="field field-checkbox">
        <input
          id={`${id}-public`}
          type="checkbox"
          checked={form.isPublic}
          onChange={(event) => set("isPublic", event.target.checked)}
        />
        <label htmlFor={`${id}-public`}>Public: everyone signed in can see and use it</label>
      </div>

      {progress && <ByteProgress label="Upload progress" loaded={progress.loaded} total={progress.total} />}
      {uploading && progress && progress.loaded >= progress.total && (
        <p className="muted" role="status">
          Uploaded; the gateway is checking and storing the images…
        </p>
      )}
      <div className="button-row">
        <button
          type="submit"
          className="primary"
          disabled={uploading || files.kind === "invalid" || form.name.trim() === ""}
        >
          {uploading ? "Uploading…" : "Upload"}
        </button>
        {uploading && (
          <button type="button" onClick={props.onCancel}>
            Cancel upload
          </button>
        )}
      </div>
      <ErrorMessage error={error} exceptFields={Object.values(FIELDS)} />
    </form>
  );
}

interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  hint: string;
  required?: boolean;
  field: string;
  error: unknown;
}

function TextField({ id, label, value, onChange, hint, required, field, error }: TextFieldProps) {
  const hasError = problemsOf(error).some((problem) => problem.field === field);
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <input
        id={id}
        value={value}
        required={required}
        aria-invalid={hasError || undefined}
        aria-describedby={`${id}-hint${hasError ? ` ${id}-error` : ""}`}
        onChange={(event) => onChange(event.target.value)}
      />
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
      <ErrorMessage error={error} field={field} id={`${id}-error`} />
    </div>
  );
}
