import { useId, useState } from "react";
import type { SampleTile } from "../datasets/sample-catalog";
import { ErrorMessage } from "../ui/error-message";
import { FileDropZone } from "../ui/file-drop-zone";
import type { PickedFile } from "../ui/picked-files";
import { firstImage, IMAGE_TYPES } from "./picked-image";
import type { PlaygroundImage } from "./playground-run";
import { SamplePicker } from "./sample-picker";

export interface ImageInputPanelProps {
  image: PlaygroundImage | null;
  /** The button's words (`Classify`, `Estimate depth`, `Segment`, `Detect objects`); null when the model cannot run. */
  action: string | null;
  running: boolean;
  /** The last run's failure and the image it was for: shown next to the input that caused it. */
  runError: { error: unknown; image: PlaygroundImage } | null;
  onFile(file: File): void;
  onSample(sample: SampleTile): void;
  onRunAgain(): void;
}

/** Problems the server tied to a model setting: those are shown at the setting, not here. */
const FIELD_PROBLEMS = ["topK", "minScore", "iou", "maxDetections"];

/** An image by drag and drop (or the file picker), or a sample picked from a dataset's grid. */
export function ImageInputPanel(props: ImageInputPanelProps) {
  const { image, action, running, runError } = props;
  const id = useId();
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
      {failedWith === "upload" && <ErrorMessage error={runError?.error} exceptFields={FIELD_PROBLEMS} />}
      {image && (
        <ChosenImage image={image} action={action} disabled={disabled} onRunAgain={props.onRunAgain} />
      )}
      <fieldset className="sample-source" disabled={disabled}>
        <legend>Or an image from a dataset</legend>
        <SamplePicker onPick={props.onSample} />
      </fieldset>
      {failedWith === "sample" && <ErrorMessage error={runError?.error} exceptFields={FIELD_PROBLEMS} />}
    </section>
  );
}

/** The image the last run sent (or the next one will), small, with a button to send it again. */
function ChosenImage({
  image,
  action,
  disabled,
  onRunAgain,
}: {
  image: PlaygroundImage;
  action: string | null;
  disabled: boolean;
  onRunAgain(): void;
}) {
  const [src, name, detail] =
    image.kind === "upload"
      ? [image.previewUrl, image.file.name, null]
      : [
          image.sample.thumbnailUrl,
          image.sample.originalPath,
          image.sample.class ? `class ${image.sample.class.name}` : "no class yet",
        ];
  return (
    <div className="picked-image">
      <img src={src} alt={`The image to send: ${name}`} />
      <div>
        <p>
          <strong>{name}</strong>
          {detail && <span className="muted"> · {detail}</span>}
        </p>
        {action && (
          <button type="button" disabled={disabled} onClick={onRunAgain}>
            {action} again
          </button>
        )}
      </div>
    </div>
  );
}
