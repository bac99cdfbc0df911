import { useApolloClient } from "@apollo/client/react";
import { useEffect, useState } from "react";
import { TrainingComparisonJobDocument } from "../../gql/graphql";
import type { ComparedJob } from "./compared-trials";

export interface ComparedJobs {
  /** The jobs found, in the order asked for; missing ones (deleted, not yours) left out. */
  jobs: ComparedJob[];
  missing: string[];
  loading: boolean;
  error: unknown;
}

/** Each job's options, trials and metric history, read in parallel (one query per job, cached). */
export function useComparedJobs(ids: readonly string[]): ComparedJobs {
  const client = useApolloClient();
  const key = ids.join(",");
  const [state, setState] = useState<ComparedJobs & { key: string | null }>({
    key: null,
    jobs: [],
    missing: [],
    loading: true,
    error: null,
  });
  useEffect(() => {
    let current = true;
    const wanted = key === "" ? [] : key.split(",");
    Promise.all(
      wanted.map((id) => client.query({ query: TrainingComparisonJobDocument, variables: { id } })),
    ).then(
      (results) => {
        if (!current) return;
        const jobs = results.flatMap((result) => (result.data?.trainingJob ? [result.data.trainingJob] : []));
        const found = new Set(jobs.map((job) => job.id));
        setState({ key, jobs, missing: wanted.filter((id) => !found.has(id)), loading: false, error: null });
      },
      (error: unknown) => {
        if (current) setState({ key, jobs: [], missing: [], loading: false, error });
      },
    );
    return () => {
      current = false;
    };
  }, [client, key]);
  return state.key === key ? state : { jobs: [], missing: [], loading: true, error: null };
}
