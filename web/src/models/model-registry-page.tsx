import { useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { ModelRegistryDocument } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { PageHeader } from "../ui/page-header";
import { Pager } from "../ui/pager";
import { TableSkeleton } from "../ui/skeleton";
import { RegistryFiltersForm } from "./registry-filters-form";
import {
  filtersFromParams,
  hasAnyFilter,
  paramsFromFilters,
  registryVariables,
  type RegistryFilters,
} from "./registry-filters";
import { RegistryTable } from "./registry-table";

const PAGE_SIZE = 25;

export default function ModelRegistryPage() {
  useDocumentTitle("Models");
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  // Cursors of the pages before this one; a filter change starts again from the first page.
  const [previous, setPrevious] = useState<Array<string | null>>([]);
  const after = params.get("after");
  const { data, loading, error } = useQuery(ModelRegistryDocument, {
    variables: registryVariables(filters, PAGE_SIZE, after),
    fetchPolicy: "cache-and-network",
  });

  const applyFilters = (next: RegistryFilters) => {
    setPrevious([]);
    setParams(paramsFromFilters(next), { replace: true });
  };
  const goTo = (cursor: string | null) => {
    const next = paramsFromFilters(filters);
    if (cursor) next.set("after", cursor);
    setParams(next);
  };

  const models = data?.models;
  const edges = models?.edges ?? [];
  return (
    <>
      <PageHeader
        title="Models"
        actions={
          <Link className="button primary" to="/models/upload">
            Upload a model
          </Link>
        }
      />
      <RegistryFiltersForm filters={filters} onChange={applyFilters} />
      <ErrorMessage error={error} />
      {loading && !models ? (
        <TableSkeleton columns={6} label="Loading models" />
      ) : edges.length === 0 ? (
        hasAnyFilter(filters) ? (
          <EmptyState
            title="No model matches these filters"
            action={
              <button type="button" onClick={() => applyFilters(filtersFromParams(new URLSearchParams()))}>
                Clear filters
              </button>
            }
          />
        ) : (
          <EmptyState
            title="No models yet"
            action={
              <Link className="button primary" to="/models/upload">
                Upload the first model
              </Link>
            }
          >
            Upload ONNX, PyTorch, TensorFlow or any other model files, or a ZIP of a model folder.
          </EmptyState>
        )
      ) : (
        <>
          <RegistryTable models={edges.map((edge) => edge.node)} />
          <Pager
            label="Pages of models"
            pageSize={PAGE_SIZE}
            shown={edges.length}
            connection={models}
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
