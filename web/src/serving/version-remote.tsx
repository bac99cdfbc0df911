import { useQuery } from "@apollo/client/react";
import { useEffect, useId, useState } from "react";
import { VersionRemoteDocument } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { FactList, type Fact } from "../ui/fact-list";
import { formatDateTime, formatNumber } from "../ui/format";
import { circuitLabels } from "./serving-words";

/** Breaker state and a 429's wait change on their own: read them again while the page is open. */
const POLL_MS = 10_000;

/** A remote version's endpoint, for its owner and admins (null for others). The secret is never sent. */
export function VersionRemote({ versionId }: { versionId: string }) {
  const id = useId();
  const now = useNow(POLL_MS);
  const { data, error } = useQuery(VersionRemoteDocument, {
    variables: { id: versionId },
    pollInterval: POLL_MS,
  });
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
  // A wait that has ended is no longer news; the next poll drops it from the server's answer too.
  const retryAfter = remote.retryAfter;
  if (retryAfter && Date.parse(retryAfter) > now)
    facts.push(["Asked to wait until", formatDateTime(retryAfter)]);
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Remote endpoint</h2>
      <FactList facts={facts} />
    </section>
  );
}

/** The clock, read again every `everyMs`: a wait shown against it ends on screen when it ends. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
