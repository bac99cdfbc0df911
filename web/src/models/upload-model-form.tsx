import { useId, type FormEvent } from "react";
import { problemsOf } from "../api/problems";
import type { UploadProgress } from "../api/xhr-request";
import { Framework, ModelType } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { FileDropZone } from "../ui/file-drop-zone";
import { formatBytes, formatEnum } from "../ui/format";
import type { PickedFile } from "../ui/picked-files";
import { ByteProgress } from "../ui/progress-bar";
import { isZip, type UploadForm } from "./upload-request";

export interface UploadModelFormProps {
  form: UploadForm;
  onFormChange(form: UploadForm): void;
  picked: PickedFile[];
  onAddFiles(files: PickedFile[]): void;
  onRemoveFile(index: number): void;
  uploading: boolean;
  progress: UploadProgress | null;
  error: unknown;
  onSubmit(): void;
  onCancel(): void;
}

/** Problems the server ties to one input are shown under it; the rest under the upload button. */
const FIELDS = ["slug", "version", "tags"];

export function UploadModelForm(props: UploadModelFormProps) {
  const { form, onFormChange, picked, uploading, progress, error } = props;
  const id = useId();
  const set = <K extends keyof UploadForm>(key: K, value: UploadForm[K]) =>
    onFormChange({ ...form, [key]: value });
  const singleZip = picked.length === 1 && picked[0] !== undefined && isZip(picked[0].file);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit();
  };

  return (
    <form className="upload-form" onSubmit={submit} noValidate>
      <FileDropZone
        label="Model files"
        hint="Drop files, a folder, or a ZIP of a model folder here"
        multiple
        allowFolders
        disabled={uploading}
        onFiles={props.onAddFiles}
      />
      {picked.length > 0 && (
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
      )}
      {singleZip && (
        <div className="field field-checkbox">
          <input
            id={`${id}-unpack`}
            type="checkbox"
            checked={form.unpackArchive}
            onChange={(event) => set("unpackArchive", event.target.checked)}
          />
          <label htmlFor={`${id}-unpack`}>
            Unpack the ZIP as a model folder (otherwise it is stored as one file)
          </label>
        </div>
      )}

      <div className="form-grid">
        <TextField
          id={`${id}-slug`}
          label="Slug"
          field="slug"
          required
          error={error}
          value={form.slug}
          onChange={(value) => set("slug", value)}
          hint="Lowercase letters, digits, '.', '_' or '-', e.g. resnet-50"
        />
        <TextField
          id={`${id}-name`}
          label="Display name"
          value={form.name}
          onChange={(value) => set("name", value)}
          hint="Defaults to the slug"
        />
        <TextField
          id={`${id}-version`}
          label="Version name"
          field="version"
          error={error}
          value={form.version}
          onChange={(value) => set("version", value)}
          hint="Defaults to v1, v2, … in upload order"
        />
        <TextField
          id={`${id}-tags`}
          label="Tags"
          field="tags"
          error={error}
          value={form.tags}
          onChange={(value) => set("tags", value)}
          hint="Comma-separated"
        />
        <div className="field">
          <label htmlFor={`${id}-type`}>Model type</label>
          <select
            id={`${id}-type`}
            value={form.modelType}
            onChange={(event) => set("modelType", event.target.value as UploadForm["modelType"])}
          >
            <option value="">Not set</option>
            {Object.values(ModelType).map((type) => (
              <option key={type} value={type}>
                {formatEnum(type)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-framework`}>Framework</label>
          <select
            id={`${id}-framework`}
            value={form.framework}
            onChange={(event) => set("framework", event.target.value as UploadForm["framework"])}
          >
            <option value="">Detect from file names</option>
            {Object.values(Framework).map((framework) => (
              <option key={framework} value={framework}>
                {formatEnum(framework)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea
          id={`${id}-description`}
          rows={3}
          value={form.description}
          onChange={(event) => set("description", event.target.value)}
        />
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
          Uploaded; the gateway is storing and checking the files…
        </p>
      )}
      <div className="button-row">
        <button
          type="submit"
          className="primary"
          disabled={uploading || picked.length === 0 || form.slug.trim() === ""}
        >
          {uploading ? "Uploading…" : "Upload"}
        </button>
        {uploading && (
          <button type="button" onClick={props.onCancel}>
            Cancel upload
          </button>
        )}
      </div>
      <ErrorMessage error={error} exceptFields={FIELDS} />
    </form>
  );
}

interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  hint?: string;
  required?: boolean;
  /** The server's name for this input, to show its problems here. */
  field?: string;
  error?: unknown;
}

function TextField({ id, label, value, onChange, hint, required, field, error }: TextFieldProps) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const hasError = field !== undefined && problemsOf(error).some((problem) => problem.field === field);
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
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={
          [hint ? hintId : "", hasError ? errorId : ""].filter(Boolean).join(" ") || undefined
        }
      />
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {field && <ErrorMessage error={error} field={field} id={errorId} />}
    </div>
  );
}
