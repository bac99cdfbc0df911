import { useQuery } from "@apollo/client/react";
import { useId } from "react";
import { VersionRemoteDocument } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { FactList, type Fact } from "../ui/fact-list";
import { formatDateTime, formatNumber } from "../ui/format";
import { circuitLabels, isoText } from "./serving-words";

/** A remote version's endpoint, for its owner and admins (null for others). The secret is never sent. */
export function VersionRemote({ versionId }: { versionId: string }) {
  const id = useId();
  const { data, error } = useQuery(VersionRemoteDocument, { variables: { id: versionId } });
  const remote = data?.modelVersion?.remote;
  if (error) return <ErrorMessage error={error} />;
  if (!remote) return null;
  const { perMinute, perHour } = remote.rateLimit;
  const limits = [
    perMinute !== null ? `${formatNumber(perMinute)} a minute` : null,
    perHour !== null ? `${formatNumber(perHour)} an hour` : null,
  ].filter(Boolean);
  const facts: Fact[] = [
    [
      "URL",
      <span key="url" className="serving-hash">
        {remote.url}
      </span>,
    ],
    ["Remote model", remote.remoteModel],
    ["Timeout", `${remote.timeoutMs} ms`],
    ["Rate limit", limits.join(", ") || "None"],
    ["Circuit", circuitLabels[remote.circuit] ?? remote.circuit],
    ["Secret", remote.hasSecret ? "Set (stored encrypted, not shown)" : "None"],
  ];
  const retryAfter = isoText(remote.retryAfter);
  if (retryAfter) facts.push(["Asked to wait until", formatDateTime(retryAfter)]);
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Remote endpoint</h2>
      <FactList facts={facts} />
    </section>
  );
}
