import type { FieldMergeFunction, Reference, TypePolicies } from "@apollo/client";
import { relayStylePagination } from "@apollo/client/utilities";

interface StoredConnection {
  edges: Array<{ node?: Reference }>;
}

/** `jobs`: one list per filter; "Load more" appends after a cursor, a fetch without one replaces the list. */
const jobsPagination = relayStylePagination<Reference>(["filter"]);
const relayMerge = jobsPagination.merge as FieldMergeFunction;

/**
 * How the cache stores what the gateway answers. Objects without an id that belong to their
 * parent are merged: a newer copy simply replaces the older one.
 */
export const typePolicies: TypePolicies = {
  Query: {
    fields: {
      jobs: {
        ...jobsPagination,
        // Offset cursors shift when a job is queued between two pages, so the page after a cursor
        // can repeat the row the previous page ended with: each job stays once, where it came first.
        merge(existing, incoming, options) {
          const merged = relayMerge(existing, incoming, options) as StoredConnection;
          const seen = new Set<string>();
          const edges = merged.edges.filter((edge) => {
            const ref = edge.node?.__ref;
            if (ref === undefined) return true;
            if (seen.has(ref)) return false;
            seen.add(ref);
            return true;
          });
          return { ...merged, edges };
        },
      },
    },
  },
  ModelMetrics: { merge: true },
  JobProgress: { merge: true },
  JobError: { merge: true },
  DeploymentConfig: { merge: true },
  Preprocessing: { merge: true },
  PageInfo: { merge: true },
  // Same id, different facts per dataset version (a class's count, a sample's label there):
  // never normalised, so one version's answer cannot overwrite another's.
  ClassCount: { keyFields: false },
  Sample: { keyFields: false },
};
