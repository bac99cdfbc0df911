import type { UploadProgress } from "../api/xhr-request";
import { ByteProgress } from "./progress-bar";

/**
 * The bottom of an upload form: bytes sent, what the gateway does once they are all sent
 * (`storingMessage`), and the Upload and Cancel upload buttons.
 */
export function UploadControls({
  uploading,
  progress,
  canSubmit,
  storingMessage,
  onCancel,
}: {
  uploading: boolean;
  progress: UploadProgress | null;
  canSubmit: boolean;
  storingMessage: string;
  onCancel(): void;
}) {
  return (
    <>
      {progress && <ByteProgress label="Upload progress" loaded={progress.loaded} total={progress.total} />}
      {uploading && progress && progress.loaded >= progress.total && (
        <p className="muted" role="status">
          {storingMessage}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="primary" disabled={uploading || !canSubmit}>
          {uploading ? "Uploading…" : "Upload"}
        </button>
        {uploading && (
          <button type="button" onClick={onCancel}>
            Cancel upload
          </button>
        )}
      </div>
    </>
  );
}
