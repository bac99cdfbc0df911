import { useApolloClient } from "@apollo/client/react";
import type { ApolloClient } from "@apollo/client";
import { useEffect, useMemo, useSyncExternalStore } from "react";
import {
  VersionSamplesDocument,
  VersionUnlabeledSamplesDocument,
  type SampleTileFragment,
} from "../gql/graphql";
import { SampleCatalog, type CatalogSnapshot } from "./sample-catalog";

/** The API's largest page. */
export const SAMPLE_PAGE_SIZE = 100;

export function createSampleCatalog(
  client: ApolloClient,
  versionId: string,
  classId: string | null,
): SampleCatalog {
  return pagedCatalog(versionId, async (after, signal) => {
    const { data, error } = await client.query({
      query: VersionSamplesDocument,
      variables: { id: versionId, classId, first: SAMPLE_PAGE_SIZE, after },
      ...uncached(signal),
    });
    if (error) throw error;
    return data?.datasetVersion?.samples;
  });
}

/** The version's unlabeled pool (samples without a class), page by page as the grid asks. */
export function createPoolCatalog(client: ApolloClient, versionId: string): SampleCatalog {
  return pagedCatalog(versionId, async (after, signal) => {
    const { data, error } = await client.query({
      query: VersionUnlabeledSamplesDocument,
      variables: { id: versionId, first: SAMPLE_PAGE_SIZE, after },
      ...uncached(signal),
    });
    if (error) throw error;
    return data?.datasetVersion?.unlabeledSamples;
  });
}

/** Not cached: thousands of tiles would only bloat the cache, and their signed URLs expire. */
const uncached = (signal: AbortSignal) => ({
  fetchPolicy: "no-cache" as const,
  context: { fetchOptions: { signal } },
});

/** A page of samples as both connections answer it. */
interface SamplePageAnswer {
  edges: Array<{ node: SampleTileFragment }>;
  totalCount: number;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

/** A catalog over one connection; a version that is gone (or hidden) answers no page. */
function pagedCatalog(
  versionId: string,
  fetchPage: (after: string | null, signal: AbortSignal) => Promise<SamplePageAnswer | null | undefined>,
): SampleCatalog {
  return new SampleCatalog(async (after, signal) => {
    const samples = await fetchPage(after, signal);
    if (!samples) throw new Error(`Dataset version ${versionId} is gone, or you can no longer see it`);
    return {
      samples: samples.edges.map((edge) => edge.node),
      totalCount: samples.totalCount,
      endCursor: samples.pageInfo.endCursor,
      hasNextPage: samples.pageInfo.hasNextPage,
    };
  });
}

/**
 * A catalog of the version's samples for the component's life: of one class, or all, or (`pool`)
 * those of its unlabeled pool.
 */
export function useSampleCatalog(versionId: string, classId: string | null, pool = false): SampleCatalog {
  const client = useApolloClient();
  const catalog = useMemo(
    () => (pool ? createPoolCatalog(client, versionId) : createSampleCatalog(client, versionId, classId)),
    [client, versionId, classId, pool],
  );
  useEffect(() => () => catalog.stop(), [catalog]);
  return catalog;
}

export function useCatalogSnapshot(catalog: SampleCatalog): CatalogSnapshot {
  return useSyncExternalStore(catalog.subscribe, catalog.snapshot);
}
