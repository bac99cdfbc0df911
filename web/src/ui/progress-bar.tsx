import { formatBytes } from "./format";

/** Bytes sent out of bytes to send, as a native progress bar with the figures beside it. */
export function ByteProgress({ label, loaded, total }: { label: string; loaded: number; total: number }) {
  const percent = total > 0 ? Math.min(100, Math.floor((loaded / total) * 100)) : 0;
  return (
    <div className="byte-progress">
      <progress max={total || 1} value={loaded} aria-label={label} />
      <span className="byte-progress-figures" aria-live="polite">
        {percent}% · {formatBytes(loaded)} of {formatBytes(total)}
      </span>
    </div>
  );
}
