import { useId, useState } from "react";
import type { ModelVersionDetailQuery } from "../gql/graphql";
import { formatBytes } from "../ui/format";

type ModelFile = NonNullable<NonNullable<ModelVersionDetailQuery["model"]>["version"]>["files"][number];

const SHOWN_AT_ONCE = 100;

/** The version's files with a download link each (signed, so no header is needed) and one for the ZIP. */
export function VersionFiles({ files, zipUrl }: { files: ModelFile[]; zipUrl: string }) {
  const id = useId();
  const [filter, setFilter] = useState("");
  const matching = files.filter((file) => file.path.toLowerCase().includes(filter.trim().toLowerCase()));
  const shown = matching.slice(0, SHOWN_AT_ONCE);
  const total = files.reduce((sum, file) => sum + file.sizeBytes, 0);
  return (
    <section aria-labelledby={`${id}-title`}>
      <div className="section-header">
        <h2 id={`${id}-title`}>
          Files ({files.length}, {formatBytes(total)})
        </h2>
        <a className="button" href={zipUrl} download>
          Download all as ZIP
        </a>
      </div>
      {files.length > SHOWN_AT_ONCE && (
        <div className="field">
          <label htmlFor={`${id}-filter`}>Filter files</label>
          <input
            id={`${id}-filter`}
            type="search"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
          />
        </div>
      )}
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Path</th>
              <th scope="col">Kind</th>
              <th scope="col">Size</th>
              <th scope="col">SHA-256</th>
              <th scope="col">
                <span className="visually-hidden">Download</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((file) => (
              <tr key={file.id}>
                <th scope="row">
                  <code>{file.path}</code>
                  {file.isPrimary && <span className="badge badge-neutral">primary</span>}
                </th>
                <td>{file.fileType}</td>
                <td>{formatBytes(file.sizeBytes)}</td>
                <td>
                  <code title={file.sha256}>{file.sha256.slice(0, 12)}…</code>
                </td>
                <td>
                  <a href={file.downloadUrl} download aria-label={`Download ${file.path}`}>
                    Download
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {matching.length > shown.length && (
        <p className="muted">
          {matching.length - shown.length} more files: narrow the filter to see them, or download the ZIP.
        </p>
      )}
    </section>
  );
}
