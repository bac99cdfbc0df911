import { Link } from "react-router";
import { Framework } from "../gql/graphql";
import { servingAnalyticsPath } from "./serving-paths";
import "./serving.css";
import { VersionEnsemble } from "./version-ensemble";
import { ExportPackage, ImportedFrom } from "./version-package";
import { VersionRemote } from "./version-remote";

/**
 * What the version page shows about serving: an ensemble's members, a remote endpoint, where an
 * imported version came from, the package export (ONNX versions), and a link to its analytics.
 */
export function VersionServing({
  versionId,
  framework,
  deployed,
}: {
  versionId: string;
  framework: Framework;
  deployed: boolean;
}) {
  return (
    <>
      {framework === Framework.Ensemble && <VersionEnsemble versionId={versionId} />}
      {framework === Framework.Remote && <VersionRemote versionId={versionId} />}
      <ImportedFrom versionId={versionId} />
      {framework === Framework.Onnx && <ExportPackage versionId={versionId} />}
      {deployed && (
        <p>
          <Link to={servingAnalyticsPath(versionId)}>Serving analytics of this version</Link>
        </p>
      )}
    </>
  );
}
