import { useQuery } from "@apollo/client/react";
import { useId } from "react";
import { Link } from "react-router";
import { MemberRole, VersionEnsembleDocument } from "../gql/graphql";
import { versionPath } from "../models/model-paths";
import { formatWeight } from "../playground/ensemble-members";
import { ErrorMessage } from "../ui/error-message";
import { FactList } from "../ui/fact-list";
import { blendLabels } from "./serving-words";

/** An ensemble version's blend and its members, then fallbacks, in the order they were given. */
export function VersionEnsemble({ versionId }: { versionId: string }) {
  const id = useId();
  const { data, error } = useQuery(VersionEnsembleDocument, { variables: { id: versionId } });
  const ensemble = data?.modelVersion?.ensemble;
  if (error) return <ErrorMessage error={error} />;
  if (!ensemble) return null;
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Ensemble</h2>
      <FactList
        facts={[
          ["Blend", blendLabels[ensemble.blend]],
          ["Member timeout", `${ensemble.memberTimeoutMs} ms`],
        ]}
      />
      <div className="table-scroll">
        <table className="data-table">
          <caption className="visually-hidden">Members of the ensemble</caption>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
              <th scope="col">Weight</th>
            </tr>
          </thead>
          <tbody>
            {ensemble.members.map((member, index) => {
              const version = member.modelVersion;
              const name = version
                ? `${version.model.owner.handle}/${version.model.slug} ${version.version}`
                : "A version you cannot see";
              return (
                <tr key={index}>
                  <th scope="row">
                    {version ? (
                      <Link to={versionPath(version.model.owner.handle, version.model.slug, version.version)}>
                        {name}
                      </Link>
                    ) : (
                      <span className="muted">{name}</span>
                    )}
                    {member.alias && <div className="muted">follows {member.alias}</div>}
                  </th>
                  <td>{member.role === MemberRole.Fallback ? "Fallback" : "Member"}</td>
                  <td>{formatWeight(member.weight)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
