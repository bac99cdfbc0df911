import type { TrainingPairsOverviewQuery } from "../gql/graphql";
import { formatDateTime } from "../ui/format";
import { describeImage, pairFactsOf, shortSessionId } from "./pair-images";

type Pair = TrainingPairsOverviewQuery["trainingPairs"]["edges"][number]["node"];

/** Newest first: both images small (each opens full size), the instruction, and where it came from. */
export function PairsTable({ pairs }: { pairs: Pair[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Collected pairs, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Before</th>
            <th scope="col">After</th>
            <th scope="col">Instruction</th>
            <th scope="col">Session</th>
            <th scope="col">User</th>
            <th scope="col">Stored</th>
          </tr>
        </thead>
        <tbody>
          {pairs.map((pair) => {
            const facts = pairFactsOf(pair.metadata);
            return (
              <tr key={pair.id}>
                <td>
                  <PairThumb
                    url={pair.originalUrl}
                    alt={`Before: ${pair.instruction}`}
                    facts={facts && describeImage(facts.original)}
                  />
                </td>
                <td>
                  <PairThumb
                    url={pair.transformedUrl}
                    alt={`After: ${pair.instruction}`}
                    facts={facts && describeImage(facts.transformed)}
                  />
                </td>
                <th scope="row" className="pair-instruction">
                  {pair.instruction}
                </th>
                <td>
                  <code title={pair.sessionId}>{shortSessionId(pair.sessionId)}</code>
                </td>
                <td>{pair.userEmail}</td>
                <td>{formatDateTime(pair.createdAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function PairThumb({ url, alt, facts }: { url: string; alt: string; facts: string | null }) {
  return (
    <>
      <a className="pair-thumb" href={url} target="_blank" rel="noreferrer">
        <img src={url} alt={alt} loading="lazy" />
      </a>
      {facts && <span className="pair-facts muted">{facts}</span>}
    </>
  );
}
