import { useId, useState, type FormEvent } from "react";
import { ErrorMessage } from "../ui/error-message";
import { FileDropZone } from "../ui/file-drop-zone";
import type { PickedFile } from "../ui/picked-files";
import { firstImage, IMAGE_TYPES } from "./picked-image";
import type { PlaygroundImage } from "./playground-run";

export interface ImageInputPanelProps {
  image: PlaygroundImage | null;
  /** The button's words (`Classify`, `Estimate depth`, `Segment`); null when the model cannot run. */
  action: string | null;
  running: boolean;
  /** The last run's failure and the image it was for: shown next to the input that caused it. */
  runError: { error: unknown; image: PlaygroundImage } | null;
  initialSampleId: string;
  onFile(file: File): void;
  onSample(sampleId: string): void;
  onRunAgain(): void;
}

/** An image by drag and drop (or the file picker), or a dataset sample by id. */
export function ImageInputPanel(props: ImageInputPanelProps) {
  const { image, action, running, runError } = props;
  const id = useId();
  const [sampleId, setSampleId] = useState(props.initialSampleId);
  const [refusal, setRefusal] = useState<string | null>(null);
  const disabled = action === null || running;
  const failedWith = runError?.image.kind;

  const onFiles = (files: PickedFile[]) => {
    const picked = firstImage(files);
    if ("refusal" in picked) {
      setRefusal(picked.refusal);
      return;
    }
    setRefusal(null);
    props.onFile(picked.file);
  };
  const submitSample = (event: FormEvent) => {
    event.preventDefault();
    if (sampleId.trim()) props.onSample(sampleId.trim());
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Image</h2>
      <FileDropZone
        label="Drop an image here"
        hint={`JPEG, PNG, WebP or GIF. It goes to the model as soon as it lands${action ? "" : ", once a ready model is chosen"}.`}
        accept={IMAGE_TYPES.join(",")}
        disabled={disabled}
        onFiles={onFiles}
      />
      {refusal && (
        <div className="error-message" role="alert">
          <p>
            <span className="error-code">BAD_USER_INPUT</span> {refusal}
          </p>
        </div>
      )}
      {failedWith === "upload" && <ErrorMessage error={runError?.error} exceptFields={["topK"]} />}
      {image?.kind === "upload" && (
        <div className="picked-image">
          <img src={image.previewUrl} alt={`The image to send: ${image.file.name}`} />
          <div>
            <p>
              <strong>{image.file.name}</strong>
            </p>
            {action && (
              <button type="button" disabled={disabled} onClick={props.onRunAgain}>
                {action} again
              </button>
            )}
          </div>
        </div>
      )}
      <form className="inline-form sample-form" onSubmit={submitSample} aria-label="A dataset sample">
        <div className="field">
          <label htmlFor={`${id}-sample`}>Or a dataset sample id</label>
          <input
            id={`${id}-sample`}
            value={sampleId}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={failedWith === "sample" ? true : undefined}
            aria-describedby={failedWith === "sample" ? `${id}-sample-error` : undefined}
            onChange={(event) => setSampleId(event.target.value)}
          />
        </div>
        <button type="submit" disabled={disabled || sampleId.trim() === ""}>
          {action ?? "Run"}
        </button>
      </form>
      {failedWith === "sample" && (
        <ErrorMessage id={`${id}-sample-error`} error={runError?.error} exceptFields={["topK"]} />
      )}
    </section>
  );
}
