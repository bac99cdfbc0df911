import { useApolloClient } from "@apollo/client/react";
import { useEffect, useState } from "react";
import { EmbeddingMapSamplesDocument, type ProjectionMethod, type SampleTileFragment } from "../gql/graphql";

export interface HoveredPoint {
  index: number;
  sampleId: string;
  className: string;
  /** Where the pointer is on the canvas, px. */
  x: number;
  y: number;
}

/** Samples already asked for, by id (one map's life): moving back over a point shows it at once. */
export type HoverCache = Map<string, Promise<SampleTileFragment | null>>;

interface HoverProps {
  cache: HoverCache;
  point: HoveredPoint;
  versionId: string;
  space: string;
  method: ProjectionMethod;
}

/** The hovered point's thumbnail, path and class beside the pointer; the sample is fetched by id once. */
export function EmbeddingMapHover({ cache, point, versionId, space, method }: HoverProps) {
  const client = useApolloClient();
  const [sample, setSample] = useState<SampleTileFragment | null>(null);

  useEffect(() => {
    let current = true;
    let request = cache.get(point.sampleId);
    if (!request) {
      request = client
        .query({
          query: EmbeddingMapSamplesDocument,
          variables: { id: versionId, space, method, ids: [point.sampleId] },
          fetchPolicy: "no-cache",
        })
        .then(({ data }) => data?.datasetVersion?.embeddingMap?.samples[0] ?? null)
        .catch(() => null);
      cache.set(point.sampleId, request);
    }
    void request.then((found) => current && setSample(found));
    return () => {
      current = false;
    };
  }, [cache, client, point.sampleId, versionId, space, method]);

  return (
    <div
      className="embedding-map-hover"
      role="tooltip"
      style={{
        position: "absolute",
        left: point.x + 14,
        top: point.y + 14,
        pointerEvents: "none",
        background: "var(--surface, #fff)",
        border: "1px solid #ccc",
        padding: 4,
        maxWidth: 200,
      }}
    >
      {sample?.sampleId === point.sampleId ? (
        <>
          <img src={sample.thumbnailUrl} alt="" width={96} height={96} />
          <div>{sample.originalPath}</div>
        </>
      ) : (
        <div className="muted">Loading…</div>
      )}
      <div>{point.className}</div>
    </div>
  );
}
