import { useApolloClient } from "@apollo/client/react";
import type { ECElementEvent } from "echarts/core";
import { useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { VersionEmbeddingsDocument } from "../gql/graphql";
import { Chart } from "../ui/chart";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { Skeleton } from "../ui/skeleton";
import { clickedPointIndex, embeddingMapOption } from "./embedding-map-option";
import type { FetchVectorPage } from "./embedding-vectors";
import { drawEmbeddingMap, type MapState } from "./draw-embedding-map";
import { useProjection } from "./use-projection";
import { useSampleParam } from "./use-sample-param";
import { useVersion } from "./version-context";

/** Versions up to this size are drawn on arrival; larger ones wait for the button (their vectors take a while to fetch). */
const DRAW_AT_ONCE = 2000;
const VECTOR_PAGE_SIZE = 100;

/**
 * The version's embeddings on their first two principal components, one colour per class. The
 * vectors come from the public `embeddings` query; the projection runs in a Web Worker.
 */
export default function EmbeddingMapTab() {
  const id = useId();
  const client = useApolloClient();
  const { version, readySpaces, catalog } = useVersion();
  const { open } = useSampleParam();
  const project = useProjection();
  const [space, setSpace] = useState(readySpaces.at(-1) ?? "");
  const drawAtOnce = version.imageCount <= DRAW_AT_ONCE;
  const fetching: MapState = { phase: "fetching", loaded: 0, total: version.imageCount };
  const [state, setState] = useState<MapState>(drawAtOnce ? fetching : { phase: "idle" });
  const running = useRef<AbortController | null>(null);
  const chosenSpace = readySpaces.includes(space) ? space : (readySpaces.at(-1) ?? "");

  const draw = useCallback(
    (spaceKey: string) => {
      running.current?.abort();
      const controller = new AbortController();
      running.current = controller;
      const fetchVectors: FetchVectorPage = async (after, signal) => {
        const { data } = await client.query({
          query: VersionEmbeddingsDocument,
          variables: { id: version.id, space: spaceKey, first: VECTOR_PAGE_SIZE, after },
          fetchPolicy: "no-cache",
          context: { fetchOptions: { signal } },
        });
        if (!data) throw new Error(`No vectors came back for ${spaceKey}`);
        const { edges, totalCount, pageInfo } = data.embeddings;
        return { entries: edges.map((edge) => edge.node), totalCount, ...pageInfo };
      };
      void drawEmbeddingMap(
        { fetchVectors, samples: () => catalog.all(), project },
        controller.signal,
        setState,
      );
    },
    [client, version.id, catalog, project],
  );

  useEffect(() => {
    if (chosenSpace && drawAtOnce) draw(chosenSpace);
    return () => running.current?.abort();
  }, [chosenSpace, drawAtOnce, draw]);

  const points = state.phase === "ready" ? state.points : null;
  const option = useMemo(
    () => (state.phase === "ready" ? embeddingMapOption(state.points, state.explained) : null),
    [state],
  );
  const onPointClick = useCallback(
    (event: ECElementEvent) => {
      const index = clickedPointIndex(event.value);
      const point = index === null ? undefined : points?.[index];
      if (point) open(point.sampleId);
    },
    [points, open],
  );

  if (readySpaces.length === 0) {
    return (
      <EmptyState title="No embeddings to map yet">
        The map appears once this version&apos;s embeddings are computed; their progress is shown above.
      </EmptyState>
    );
  }
  return (
    <section aria-labelledby={`${id}-title`} className="embedding-map">
      <h2 id={`${id}-title`} className="visually-hidden">
        Embedding map
      </h2>
      <div className="inline-form">
        {readySpaces.length > 1 && (
          <div className="field">
            <label htmlFor={`${id}-space`}>Embedding space</label>
            <select
              id={`${id}-space`}
              value={chosenSpace}
              onChange={(event) => {
                setSpace(event.target.value);
                setState(drawAtOnce ? fetching : { phase: "idle" });
              }}
            >
              {readySpaces.map((key) => (
                <option key={key} value={key}>
                  {key}
                </option>
              ))}
            </select>
          </div>
        )}
        <button
          type="button"
          className={state.phase === "idle" ? "primary" : undefined}
          disabled={state.phase === "fetching" || state.phase === "projecting"}
          onClick={() => {
            setState(fetching);
            draw(chosenSpace);
          }}
        >
          {state.phase === "idle" ? "Draw the map" : "Draw again"}
        </button>
      </div>
      <MapBody state={state} option={option} onPointClick={onPointClick} space={chosenSpace} />
    </section>
  );
}

interface MapBodyProps {
  state: MapState;
  option: ReturnType<typeof embeddingMapOption> | null;
  onPointClick(event: ECElementEvent): void;
  space: string;
}

function MapBody({ state, option, onPointClick, space }: MapBodyProps) {
  switch (state.phase) {
    case "idle":
      return <p className="muted">This version is large: drawing fetches every vector first.</p>;
    case "fetching":
      return (
        <div role="status">
          <progress max={Math.max(1, state.total)} value={state.loaded} aria-label="Vectors fetched" />{" "}
          <span className="muted">
            Fetched {state.loaded.toLocaleString()} of {state.total.toLocaleString()} vectors
          </span>
        </div>
      );
    case "projecting":
      return (
        <Skeleton
          lines={6}
          label={`Projecting ${state.count.toLocaleString()} vectors onto two dimensions`}
        />
      );
    case "failed":
      return <ErrorMessage error={state.error} />;
    case "ready": {
      const classes = new Set(state.points.map((point) => point.className)).size;
      return (
        <>
          <p className="muted">
            {state.points.length.toLocaleString()} images of {classes.toLocaleString()} classes in {space}, on
            their two principal components ({Math.round((state.explained[0] + state.explained[1]) * 100)} % of
            the variance). Click a point to open its image; the legend hides and shows classes.
          </p>
          {option && (
            <Chart
              option={option}
              label={`Embedding map: ${state.points.length} images coloured by class`}
              height={560}
              onPointClick={onPointClick}
            />
          )}
        </>
      );
    }
  }
}
