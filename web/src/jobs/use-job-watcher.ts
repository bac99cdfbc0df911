import { useApolloClient } from "@apollo/client/react";
import { useEffect, useRef } from "react";
import { useLocation } from "react-router";
import { WatchedJobsDocument, type WatchedJobsQuery } from "../gql/graphql";
import { createJobWatcher, type JobWatcher } from "./job-watcher";

export type WatchedJobRow = WatchedJobsQuery["jobs"]["edges"][number]["node"];

/** How many of the viewer's newest jobs each look reads. */
const WATCH_WINDOW = 20;
/** While one of them is queued or running, the watcher looks this often. */
export const WATCH_POLL_MS = 2000;

/**
 * Reports each of the viewer's own jobs that finishes, once, with the pages the viewer was on
 * meanwhile (so a notice can stay quiet for a job whose page they were watching).
 *
 * It polls one small `jobs` query rather than subscribing to `jobEvents` per job: one request
 * covers every kind and also finds jobs queued from anywhere (an upload, another tab, the API),
 * which a subscription needs an id for first. It looks on start, on every navigation and when the
 * tab becomes visible again, and every WATCH_POLL_MS while one of those jobs is queued or running;
 * an idle dashboard sends nothing. A new viewer or client starts a new watch, so what is finished
 * already is not news.
 */
export function useJobWatcher(
  owner: string | null,
  onFinished: (jobs: WatchedJobRow[], seenOn: string[]) => void,
): void {
  const client = useApolloClient();
  const { pathname } = useLocation();
  const report = useRef(onFinished);
  const where = useRef(pathname);
  const watcher = useRef<JobWatcher | null>(null);
  useEffect(() => {
    report.current = onFinished;
  });

  useEffect(() => {
    if (!owner) return;
    const created = createJobWatcher<WatchedJobRow>({
      pathname: where.current,
      pollMs: WATCH_POLL_MS,
      fetchJobs: async () => {
        const { data } = await client.query({
          query: WatchedJobsDocument,
          variables: { owner, first: WATCH_WINDOW },
          fetchPolicy: "network-only",
        });
        if (!data) throw new Error("the jobs query answered no data");
        // Trials of a search and other jobs a job started are told through their parent.
        return data.jobs.edges.map((edge) => edge.node).filter((job) => job.parent === null);
      },
      onFinished: (jobs, seenOn) => report.current(jobs, seenOn),
    });
    watcher.current = created;
    void created.look();
    const onVisible = () => {
      if (document.visibilityState === "visible") void created.look();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      created.stop();
      document.removeEventListener("visibilitychange", onVisible);
      watcher.current = null;
    };
  }, [client, owner]);

  useEffect(() => {
    where.current = pathname;
    watcher.current?.navigate(pathname);
  }, [pathname]);
}
