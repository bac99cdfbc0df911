import { formatBytes } from "./format";
import type { PickedFile } from "./picked-files";

/** The files waiting to be uploaded, each with its size and a button that takes it off the list. */
export function PickedFileList({
  picked,
  disabled,
  onRemove,
}: {
  picked: PickedFile[];
  disabled: boolean;
  onRemove(index: number): void;
}) {
  return (
    <ul className="picked-files" aria-label="Files to upload">
      {picked.map((entry, index) => (
        <li key={`${entry.path}-${index}`}>
          <code>{entry.path}</code> <span className="muted">{formatBytes(entry.file.size)}</span>
          <button
            type="button"
            disabled={disabled}
            aria-label={`Remove ${entry.path}`}
            onClick={() => onRemove(index)}
          >
            Remove
          </button>
        </li>
      ))}
    </ul>
  );
}
