import { useQuery } from "@apollo/client/react";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { TrainingPairsOverviewDocument } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { PageHeader } from "../ui/page-header";
import { Skeleton, TableSkeleton } from "../ui/skeleton";
import { PairStats } from "./pair-stats";
import { PairsAbout } from "./pairs-about";
import { PairsExport } from "./pairs-export";
import { PairsTable } from "./pairs-table";

const PAGE_SIZE = 20;
const TYPING_PAUSE_MS = 300;
// Image links are signed for 15 minutes: refresh them before they lapse.
const SIGNED_URL_REFRESH_MS = 10 * 60 * 1000;

/** Before/after image pairs collected from products: what they are, how many, a look at them, and the export. */
export default function PairsPage() {
  useDocumentTitle("Collected pairs");
  const [params, setParams] = useSearchParams();
  const instruction = params.get("instruction") ?? "";
  const [typed, setTyped] = useState(instruction);
  const [shown, setShown] = useState(PAGE_SIZE);
  const { data, loading, error } = useQuery(TrainingPairsOverviewDocument, {
    variables: { first: shown, instruction: instruction.trim() || null },
    pollInterval: SIGNED_URL_REFRESH_MS,
  });

  useEffect(() => {
    if (typed === instruction) return;
    const timer = setTimeout(() => {
      setShown(PAGE_SIZE);
      setParams(typed.trim() ? { instruction: typed } : {}, { replace: true });
    }, TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [typed, instruction, setParams]);

  const pairs = data?.trainingPairs;
  return (
    <>
      <PageHeader
        title="Collected pairs"
        actions={<PairsExport pairs={data?.trainingPairStats.pairs ?? 0} />}
      />
      <p className="lead">
        Training data collected from a product that edits images: each pair is the image a person started
        from, the image the product made of it, and the instruction that links them (&ldquo;make the sky
        purple&rdquo;). Enough of them teach a model to follow such instructions.
      </p>
      <PairsAbout />
      <ErrorMessage error={error} />
      {data ? (
        <PairStats stats={data.trainingPairStats} />
      ) : (
        loading && <Skeleton lines={2} label="Loading counts" />
      )}
      <div className="field pairs-search">
        <label htmlFor="pairs-instruction">Instruction contains</label>
        <input
          id="pairs-instruction"
          type="search"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
        />
      </div>
      {loading && !pairs ? (
        <TableSkeleton columns={6} label="Loading pairs" />
      ) : !pairs || pairs.edges.length === 0 ? (
        <EmptyState title={instruction.trim() ? "No pair has that instruction" : "No pairs collected yet"}>
          {instruction.trim()
            ? "Try fewer words, or clear the search."
            : "They appear here as soon as a product sends them, as described above."}
        </EmptyState>
      ) : (
        <>
          <PairsTable pairs={pairs.edges.map((edge) => edge.node)} />
          <div className="pager">
            <span>
              {pairs.edges.length} of {pairs.totalCount}
            </span>
            {pairs.pageInfo.hasNextPage && (
              <button type="button" onClick={() => setShown(shown + PAGE_SIZE)}>
                Show {PAGE_SIZE} more
              </button>
            )}
          </div>
        </>
      )}
    </>
  );
}
