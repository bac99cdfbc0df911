import { skipToken, useQuery } from "@apollo/client/react";
import { useEffect, useId } from "react";
import { Link } from "react-router";
import { SimilarSamplesDocument, type SimilarSamplesQuery } from "../gql/graphql";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { Skeleton } from "../ui/skeleton";
import { classNameOf, type SampleTile } from "./sample-catalog";
import { useSampleParam } from "./use-sample-param";
import { useVersion } from "./version-context";

export type SimilarResult = SimilarSamplesQuery["similarSamples"][number];

/** How many neighbours a search asks for. */
export const SIMILAR_COUNT = 12;

/** The images of this dataset nearest to a sample, searched as soon as the sample is shown. */
export function SimilarToSample({ sample }: { sample: SampleTile }) {
  const { datasetId, readySpaces } = useVersion();
  const ready = readySpaces.length > 0;
  const { data, loading, error } = useQuery(
    SimilarSamplesDocument,
    ready
      ? { variables: { sampleId: sample.sampleId, datasetId, k: SIMILAR_COUNT }, fetchPolicy: "no-cache" }
      : skipToken,
  );
  return (
    <SimilarResults
      title="Similar images"
      results={data?.similarSamples}
      loading={loading}
      error={error}
      waiting={ready ? null : "Similar images appear once this version's embeddings are computed."}
    />
  );
}

export interface SimilarResultsProps {
  title: string;
  results: readonly SimilarResult[] | undefined;
  loading: boolean;
  error: unknown;
  /** Why no search ran yet, if none did. */
  waiting: string | null;
}

/** Neighbours nearest first, each a thumbnail that opens the sample, with its cosine distance. */
export function SimilarResults({ title, results, loading, error, waiting }: SimilarResultsProps) {
  const id = useId();
  const { remember } = useVersion();
  const { sampleHref } = useSampleParam();
  useEffect(() => {
    if (results) remember(results.map((result) => result.sample));
  }, [results, remember]);

  return (
    <section className="similar-results" aria-labelledby={`${id}-title`} aria-busy={loading}>
      <h3 id={`${id}-title`}>{title}</h3>
      <ErrorMessage error={error} />
      {waiting ? (
        <p className="muted">{waiting}</p>
      ) : loading && !results ? (
        <Skeleton lines={3} label="Searching for similar images" />
      ) : results && results.length === 0 ? (
        <EmptyState title="No similar images">
          No other image of the searched datasets has an embedding in this space.
        </EmptyState>
      ) : results ? (
        <ol className="similar-list" aria-label={title}>
          {results.map(({ sample, distance }) => (
            <li key={sample.sampleId}>
              <Link
                to={sampleHref(sample.sampleId)}
                aria-label={`${sample.originalPath}, class ${classNameOf(sample)}, distance ${distance.toFixed(3)}`}
              >
                <img src={sample.thumbnailUrl} alt="" loading="lazy" width={112} height={112} />
                <span className="similar-class">{classNameOf(sample)}</span>
                <span className="similar-distance">distance {distance.toFixed(3)}</span>
              </Link>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
