import { useMutation, useQuery } from "@apollo/client/react";
import { useId } from "react";
import { ExportModelPackageDocument, VersionImportedFromDocument } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { FactList } from "../ui/fact-list";
import { downloadUrl } from "../ui/download";
import { formatBytes, formatDateTime } from "../ui/format";

/**
 * "Export package": asks the gateway for a signed, short-lived .tessera download and starts it; the
 * link stays for a second try until it expires. Only ONNX versions can be packaged.
 */
export function ExportPackage({
  versionId,
  download = downloadUrl,
}: {
  versionId: string;
  download?: typeof downloadUrl;
}) {
  const id = useId();
  const [exportPackage, { data, loading, error }] = useMutation(ExportModelPackageDocument);
  const made = data?.exportModelPackage;
  const start = async () => {
    const result = await exportPackage({ variables: { versionId } }).catch(() => null);
    const built = result?.data?.exportModelPackage;
    if (built) download(built.url, built.filename);
  };
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Package</h2>
      <p className="muted">
        A .tessera file: the model files, metadata, labels, a model card, a test input with its expected
        output, and a SHA-256 manifest. Another Tessera imports it from its upload page.
      </p>
      <div className="button-row">
        <button type="button" disabled={loading} onClick={() => void start()}>
          {loading ? "Packaging…" : "Export package"}
        </button>
      </div>
      {made && (
        <p role="status">
          <a href={made.url} download={made.filename}>
            {made.filename}
          </a>{" "}
          <span className="muted">
            {formatBytes(made.sizeBytes)} · sha256 <code className="serving-hash">{made.sha256}</code> · link
            valid until {formatDateTime(made.expiresAt)}
          </span>
        </p>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}

/** Where an imported version came from, as its package said; nothing for versions not imported. */
export function ImportedFrom({ versionId }: { versionId: string }) {
  const id = useId();
  const { data, error } = useQuery(VersionImportedFromDocument, { variables: { id: versionId } });
  const imported = data?.modelVersion?.importedFrom;
  if (error) return <ErrorMessage error={error} />;
  if (!imported) return null;
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Imported from</h2>
      <FactList
        facts={[
          ["Package", `${imported.name} ${imported.version}`],
          ["Author", imported.author ?? "—"],
          ["Made", formatDateTime(imported.created)],
          ["Package format", imported.packageVersion],
          [
            "Package sha256",
            <code key="sha" className="serving-hash">
              {imported.sha256}
            </code>,
          ],
          ["Imported", formatDateTime(imported.importedAt)],
        ]}
      />
    </section>
  );
}
