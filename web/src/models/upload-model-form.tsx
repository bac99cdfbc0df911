import { useId, type FormEvent } from "react";
import type { UploadProgress } from "../api/xhr-request";
import { Framework } from "../gql/graphql";
import { CheckboxField } from "../ui/checkbox-field";
import { ErrorMessage } from "../ui/error-message";
import { FileDropZone } from "../ui/file-drop-zone";
import { PickedFileList } from "../ui/picked-file-list";
import type { PickedFile } from "../ui/picked-files";
import { SelectField } from "../ui/select-field";
import { TextField } from "../ui/text-field";
import { UploadControls } from "../ui/upload-controls";
import { ModelTypeChoice } from "./model-type-choice";
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
        <PickedFileList picked={picked} disabled={uploading} onRemove={props.onRemoveFile} />
      )}
      {singleZip && (
        <CheckboxField
          id={`${id}-unpack`}
          label="Unpack the ZIP as a model folder (otherwise it is stored as one file)"
          checked={form.unpackArchive}
          onChange={(checked) => set("unpackArchive", checked)}
        />
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
        <ModelTypeChoice
          id={`${id}-type`}
          value={form.modelType}
          onChange={(value) => set("modelType", value)}
        />
        <SelectField
          id={`${id}-framework`}
          label="Framework"
          value={form.framework}
          options={Object.values(Framework)}
          emptyLabel="Detect from file names"
          onChange={(value) => set("framework", value)}
        />
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
      <CheckboxField
        id={`${id}-public`}
        label="Public: everyone signed in can see and use it"
        checked={form.isPublic}
        onChange={(checked) => set("isPublic", checked)}
      />

      <UploadControls
        uploading={uploading}
        progress={progress}
        canSubmit={picked.length > 0 && form.slug.trim() !== ""}
        storingMessage="Uploaded; the gateway is storing and checking the files…"
        onCancel={props.onCancel}
      />
      <ErrorMessage error={error} exceptFields={FIELDS} />
    </form>
  );
}
