import { useApolloClient } from "@apollo/client/react";
import type { ApolloClient } from "@apollo/client";
import { useEffect, useMemo, useSyncExternalStore } from "react";
import { VersionSamplesDocument } from "../gql/graphql";
import { SampleCatalog, type CatalogSnapshot } from "./sample-catalog";

/** The API's largest page. */
export const SAMPLE_PAGE_SIZE = 100;

export function createSampleCatalog(
  client: ApolloClient,
  versionId: string,
  classId: string | null,
): SampleCatalog {
  return new SampleCatalog(async (after, signal) => {
    // Not cached: thousands of tiles would only bloat the cache, and their signed URLs expire.
    const { data, error } = await client.query({
      query: VersionSamplesDocument,
      variables: { id: versionId, classId, first: SAMPLE_PAGE_SIZE, after },
      fetchPolicy: "no-cache",
      context: { fetchOptions: { signal } },
    });
    if (error) throw error;
    const samples = data?.datasetVersion?.samples;
    if (!samples) throw new Error(`Dataset version ${versionId} is gone, or you can no longer see it`);
    return {
      samples: samples.edges.map((edge) => edge.node),
      totalCount: samples.totalCount,
      endCursor: samples.pageInfo.endCursor,
      hasNextPage: samples.pageInfo.hasNextPage,
    };
  });
}

/** A catalog of the version's samples (of one class, or all) for the component's life. */
export function useSampleCatalog(versionId: string, classId: string | null): SampleCatalog {
  const client = useApolloClient();
  const catalog = useMemo(
    () => createSampleCatalog(client, versionId, classId),
    [client, versionId, classId],
  );
  useEffect(() => () => catalog.stop(), [catalog]);
  return catalog;
}

export function useCatalogSnapshot(catalog: SampleCatalog): CatalogSnapshot {
  return useSyncExternalStore(catalog.subscribe, catalog.snapshot);
}
