import { formatFraction } from "../ui/format";

export interface ServingVersion {
  id: string;
  version: string;
  accuracy: number | null;
}

/**
 * A version's accuracy (validation, else test) and, when it is below that of the version the
 * model serves (its live deployment, else its `production` alias), a flag that says so.
 */
export function VersionAccuracy({
  version,
  serving,
}: {
  version: { id: string; accuracy: number | null; worseThanServing: boolean };
  serving: ServingVersion | null;
}) {
  return (
    <>
      {formatFraction(version.accuracy)}
      {version.id === serving?.id && <span className="badge badge-good">serving</span>}
      {version.worseThanServing && serving && (
        <span
          className="badge badge-bad"
          title={`Below ${serving.version}, which the model serves (${formatFraction(serving.accuracy)})`}
        >
          worse than {serving.version}
        </span>
      )}
    </>
  );
}
