import { useId } from "react";
import { Link } from "react-router";
import { MemberRole, type PlaygroundClassifyMutation } from "../gql/graphql";
import { versionPath } from "../models/model-paths";
import { formatProbability } from "./classification-chart";
import { servedByWords } from "./served-by";

type Member = NonNullable<PlaygroundClassifyMutation["classifyImage"]["members"]>[number];

/** Top predictions a member cell lists: enough to compare with the blend without a wall of figures. */
const SHOWN_PREDICTIONS = 3;

/**
 * What each member of an ensemble answered, beside the blend: its own top labels, how long it took,
 * where it ran, and why it gave nothing when it failed. Fallbacks appear only when they ran.
 */
export function EnsembleMembers({ members }: { members: readonly Member[] }) {
  const id = useId();
  const failed = members.filter((member) => member.error).length;
  return (
    <div className="table-scroll ensemble-members">
      <table className="data-table compact-table" aria-labelledby={`${id}-caption`}>
        <caption id={`${id}-caption`}>
          Ensemble members ({members.length}
          {failed > 0 ? `, ${failed} without an answer` : ""})
        </caption>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Role</th>
            <th scope="col">Weight</th>
            <th scope="col">Top predictions</th>
            <th scope="col">Latency</th>
            <th scope="col">Served by</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {members.map((member, position) => (
            <tr
              key={`${member.modelVersionId}-${position}`}
              className={member.error ? "member-failed" : undefined}
            >
              <th scope="row">
                <MemberName member={member} />
              </th>
              <td>{member.role === MemberRole.Fallback ? "Fallback" : "Member"}</td>
              <td>{formatWeight(member.weight)}</td>
              <td>
                {member.predictions.length === 0 ? (
                  <span className="muted">—</span>
                ) : (
                  member.predictions
                    .slice(0, SHOWN_PREDICTIONS)
                    .map((prediction) => `${prediction.label} ${formatProbability(prediction.score)}`)
                    .join(", ")
                )}
              </td>
              <td>{member.latencyMs.toFixed(1)} ms</td>
              <td>
                <code title={servedByWords(member.servedBy)}>{member.servedBy}</code>
                {servedByWords(member.servedBy) !== member.servedBy && (
                  <span className="visually-hidden"> ({servedByWords(member.servedBy)})</span>
                )}
              </td>
              <td>
                {member.error ? (
                  <>
                    <span className="error-code">{member.error.code}</span> {member.error.message}
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The member's registry name, linked; a version the viewer cannot see is named by its id, if the
 * gateway gave one (it does not for a public ensemble's private members, nor deleted ones).
 */
function MemberName({ member }: { member: Member }) {
  const version = member.modelVersion;
  if (!version) {
    const id = member.modelVersionId ? ` (${member.modelVersionId})` : "";
    return <span className="muted">A version you cannot see{id}</span>;
  }
  const { model } = version;
  return (
    <Link to={versionPath(model.owner.handle, model.slug, version.version)}>
      {model.owner.handle}/{model.slug} {version.version}
    </Link>
  );
}

/** Weights as the person typed them when creating the ensemble: `1`, `0.5`, `0.333`. */
export function formatWeight(weight: number): string {
  return String(Number(weight.toFixed(3)));
}
