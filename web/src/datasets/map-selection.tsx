import { useApolloClient } from "@apollo/client/react";
import type { ApolloClient } from "@apollo/client";
import { useEffect, useMemo } from "react";
import { useLocation, useNavigate } from "react-router";
import { EmbeddingMapSamplesDocument, type ProjectionMethod } from "../gql/graphql";
import { SampleCatalog } from "./sample-catalog";
import { SAMPLE_PAGE_SIZE } from "./use-sample-catalog";

/** Samples lassoed on a map, handed to the grid in the router's state (thousands of ids fit no URL). */
export interface MapSelection {
  space: string;
  method: ProjectionMethod;
  sampleIds: string[];
}

/** The router state the map navigates to the grid with. */
export const mapSelectionState = (selection: MapSelection) => ({ mapSelection: selection });

/** The selected samples, page by page in the selection's order (the cursor is a position in it). */
export function createSelectionCatalog(
  client: ApolloClient,
  versionId: string,
  selection: MapSelection,
): SampleCatalog {
  return new SampleCatalog(async (after, signal) => {
    const start = after === null ? 0 : Number(after);
    const ids = selection.sampleIds.slice(start, start + SAMPLE_PAGE_SIZE);
    const { data, error } = await client.query({
      query: EmbeddingMapSamplesDocument,
      variables: { id: versionId, space: selection.space, method: selection.method, ids },
      fetchPolicy: "no-cache",
      context: { fetchOptions: { signal } },
    });
    if (error) throw error;
    const samples = data?.datasetVersion?.embeddingMap?.samples;
    if (!samples) throw new Error(`Dataset version ${versionId}'s map is gone, or you can no longer see it`);
    const end = start + ids.length;
    return {
      samples,
      totalCount: selection.sampleIds.length,
      endCursor: String(end),
      hasNextPage: end < selection.sampleIds.length,
    };
  });
}

/** The map selection the grid was opened with, as a catalog; null when it was opened otherwise. */
export function useMapSelection(
  versionId: string,
): { selection: MapSelection; catalog: SampleCatalog } | null {
  const client = useApolloClient();
  const location = useLocation();
  const selection = (location.state as { mapSelection?: MapSelection } | null)?.mapSelection ?? null;
  const catalog = useMemo(
    () => (selection ? createSelectionCatalog(client, versionId, selection) : null),
    [client, versionId, selection],
  );
  useEffect(() => () => catalog?.stop(), [catalog]);
  return selection && catalog ? { selection, catalog } : null;
}

/** Above the grid while it shows a map selection: what it shows, and the way back to every sample. */
export function MapSelectionBar({ selection }: { selection: MapSelection }) {
  const navigate = useNavigate();
  const location = useLocation();
  return (
    <div className="inline-form" role="status">
      <span>
        {selection.sampleIds.length.toLocaleString()} samples lassoed on the {selection.method} map of{" "}
        {selection.space}.
      </span>
      <button
        type="button"
        onClick={() => void navigate(location.pathname + location.search, { replace: true })}
      >
        Show all samples
      </button>
    </div>
  );
}
