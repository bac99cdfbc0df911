import { useApolloClient } from "@apollo/client/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { JobsDocument, type JobFilter } from "../gql/graphql";

/** While a listed job is queued or running, the list is read again this often. */
export const ACTIVE_POLL_MS = 2000;
/** The API's largest page: a longer list is cut back to this many rows when it is read again. */
const MAX_PAGE = 100;

/**
 * Keeps every row the list has loaded fresh, "Load more" pages included: one `jobs` request for
 * all of them (not one subscription per job), every ACTIVE_POLL_MS while any of them is active.
 * The answer replaces the list in the cache, so rows that left the filter (a job that finished
 * under "Running") go, and the next "Load more" continues from the new end.
 */
export function useFreshJobList({
  filter,
  pageSize,
  loaded,
  active,
}: {
  filter: JobFilter;
  pageSize: number;
  /** Rows the list shows now. */
  loaded: number;
  /** Whether any of them may still change. */
  active: boolean;
}): { refresh(): Promise<void>; error: unknown } {
  const client = useApolloClient();
  const [error, setError] = useState<unknown>(undefined);
  const filterKey = JSON.stringify(filter);
  const first = Math.min(MAX_PAGE, Math.max(pageSize, loaded));
  // Read at request time, so a page arriving or a row changing does not restart the timer.
  const request = useRef({ filter, first });
  useEffect(() => {
    request.current = { filter, first };
  });

  const refresh = useCallback(async () => {
    try {
      await client.query({
        query: JobsDocument,
        variables: { ...request.current, after: null },
        fetchPolicy: "network-only",
      });
      setError(undefined);
    } catch (failed) {
      setError(failed);
    }
  }, [client]);

  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      await refresh();
      if (!stopped) timer = setTimeout(() => void tick(), ACTIVE_POLL_MS);
    };
    timer = setTimeout(() => void tick(), ACTIVE_POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [active, refresh, filterKey]);

  return { refresh, error };
}
