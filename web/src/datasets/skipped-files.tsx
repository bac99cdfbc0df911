import { useId, useState } from "react";

export interface SkippedFile {
  path: string;
  reason: string;
}

const SHOWN_AT_FIRST = 50;

/** The files an upload left out and why, one row each; long reports open in steps. */
export function SkippedFiles({
  files,
  title = "Skipped files",
}: {
  files: readonly SkippedFile[];
  title?: string;
}) {
  const id = useId();
  const [shown, setShown] = useState(SHOWN_AT_FIRST);
  if (files.length === 0) return null;
  return (
    <section aria-labelledby={`${id}-title`} className="skipped-files">
      <h3 id={`${id}-title`}>
        {title} ({files.length.toLocaleString()})
      </h3>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Why it was left out</th>
            </tr>
          </thead>
          <tbody>
            {files.slice(0, shown).map((file) => (
              <tr key={file.path}>
                <th scope="row">
                  <code>{file.path}</code>
                </th>
                <td>{file.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {files.length > shown && (
        <button type="button" className="show-more" onClick={() => setShown(shown + SHOWN_AT_FIRST * 4)}>
          Show {Math.min(files.length - shown, SHOWN_AT_FIRST * 4).toLocaleString()} more
        </button>
      )}
    </section>
  );
}
