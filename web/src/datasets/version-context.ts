import { createContext, useContext } from "react";
import type { VersionDetailQuery } from "../gql/graphql";
import type { EmbeddingStatus } from "./embedding-statuses";
import type { SampleCatalog, SampleTile } from "./sample-catalog";

export type VersionDetail = NonNullable<VersionDetailQuery["datasetVersion"]>;

/** What every tab of a version page shares. */
export interface VersionContextValue {
  datasetId: string;
  version: VersionDetail;
  /** Embedding runs as the live subscription last reported them. */
  statuses: EmbeddingStatus[];
  /** Spaces whose embeddings are complete, newest run last. */
  readySpaces: string[];
  /** All of the version's samples, loaded as far as some tab needed. */
  catalog: SampleCatalog;
  /** Samples met outside the catalog (search results), so they can be opened too. */
  remembered: ReadonlyMap<string, SampleTile>;
  remember(samples: readonly SampleTile[]): void;
  /** Whether the signed-in person may edit the dataset (its owner, or an admin). */
  canEdit: boolean;
}

export const VersionContext = createContext<VersionContextValue | null>(null);

export function useVersion(): VersionContextValue {
  const value = useContext(VersionContext);
  if (!value) throw new Error("useVersion needs the version page's layout above it");
  return value;
}
