import { useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useParams, useSearchParams } from "react-router";
import { PredictionLogDocument, PredictionLogVersionDocument } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { modelPath, versionPath } from "../models/model-paths";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { PageHeader } from "../ui/page-header";
import { Pager } from "../ui/pager";
import { Skeleton, TableSkeleton } from "../ui/skeleton";
import { FeedbackOverview } from "./feedback-overview";
import {
  filterParamsOf,
  predictionFilterOf,
  searchOf,
  type PredictionFilterParams,
} from "./prediction-filters";
import { PredictionFiltersForm } from "./prediction-filters-form";
import { PredictionLogStatus } from "./prediction-log-status";
import { PredictionsTable } from "./predictions-table";

const PAGE_SIZE = 25;
// Image links are signed for 15 minutes: refresh them before they lapse.
const SIGNED_URL_REFRESH_MS = 10 * 60 * 1000;

/**
 * A model version's prediction log: what it answered, how unsure it was, and what people said
 * about it, each answer correctable in place. Filters and the page live in the URL.
 */
export default function PredictionsPage() {
  const { owner = "", slug = "", version: name = "" } = useParams();
  useDocumentTitle(`Predictions of ${slug} ${name}`);
  const [params, setParams] = useSearchParams();
  const filters = filterParamsOf(params);
  const after = params.get("after");
  const [previous, setPrevious] = useState<Array<string | null>>([]);

  const head = useQuery(PredictionLogVersionDocument, { variables: { owner, slug, version: name } });
  const model = head.data?.model;
  const version = model?.version;
  const log = useQuery(PredictionLogDocument, {
    variables: {
      modelVersionId: version?.id ?? "",
      filter: predictionFilterOf(filters),
      first: PAGE_SIZE,
      after,
    },
    skip: !version,
    fetchPolicy: "cache-and-network",
    pollInterval: SIGNED_URL_REFRESH_MS,
  });
  const predictions = log.data?.predictions;
  const edges = predictions?.edges ?? [];

  const applyFilters = (next: PredictionFilterParams) => {
    setPrevious([]);
    setParams(searchOf(next), { replace: true });
  };
  const goTo = (cursor: string | null) => {
    const next = searchOf(filters);
    if (cursor) next.set("after", cursor);
    setParams(next);
  };

  const crumbs = [
    { label: "Models", to: "/models" },
    { label: model?.name ?? slug, to: modelPath(owner, slug) },
    { label: version?.version ?? name, to: versionPath(owner, slug, name) },
  ];
  if (head.loading && !head.data) return <Skeleton lines={8} label="Loading the version" />;
  if (!model || !version) {
    return (
      <>
        <PageHeader title={`Predictions of ${slug} ${name}`} crumbs={crumbs} />
        <ErrorMessage error={head.error} />
        {!head.error && (
          <EmptyState title="No such version">It was deleted, or you cannot see it.</EmptyState>
        )}
      </>
    );
  }
  const filtered = Object.values(filters).some(Boolean);
  return (
    <>
      <PageHeader title={`Predictions of ${model.name} ${version.version}`} crumbs={crumbs} />
      <p className="lead">
        What this version answered, newest first. Mark an answer correct, or pick the right label: corrections
        feed its learned adjustment, labelling batches and retraining.
      </p>
      <PredictionLogStatus deployment={version.deployment} />
      <ErrorMessage error={head.error} />
      <FeedbackOverview version={version} />
      <h2>Logged predictions</h2>
      <PredictionFiltersForm filters={filters} labels={version.labels} onChange={applyFilters} />
      <ErrorMessage error={log.error} />
      {log.loading && !predictions ? (
        <TableSkeleton columns={5} label="Loading predictions" />
      ) : edges.length === 0 ? (
        <EmptyState title={filtered ? "No prediction matches these filters" : "No predictions logged yet"}>
          {filtered
            ? "Clear a filter or two to see more."
            : "Predictions appear here as the deployed version answers classifyImage with its log on."}
        </EmptyState>
      ) : (
        <>
          <PredictionsTable predictions={edges.map((edge) => edge.node)} labels={version.labels} />
          <Pager
            label="Pages of predictions"
            pageSize={PAGE_SIZE}
            shown={edges.length}
            connection={predictions}
            after={after}
            previous={previous}
            onPreviousChange={setPrevious}
            goTo={goTo}
          />
        </>
      )}
    </>
  );
}
