import { useId, useMemo, useState } from "react";
import { useNavigate } from "react-router";
import { ProjectionMethod } from "../gql/graphql";
import { classColour } from "../playground/segment-colours";
import { rgbCss } from "../playground/turbo-colour-scale";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { Skeleton } from "../ui/skeleton";
import { EmbeddingMapCanvas } from "./embedding-map-canvas";
import { EmbeddingMapHover, type HoverCache, type HoveredPoint } from "./embedding-map-hover";
import { mapClasses } from "./embedding-map-classes";
import { mapSelectionState } from "./map-selection";
import { useEmbeddingMap, type MapPoints } from "./use-embedding-map";
import { useSampleParam } from "./use-sample-param";
import { useVersion } from "./version-context";

/**
 * The version's embeddings on two dimensions, one colour per class, as the server stored them
 * (computed once per version, space and method by a job; asked for on the first visit). Zoom with
 * the wheel, hover for a thumbnail, click to open a sample, lasso to see a group in the grid.
 */
export default function EmbeddingMapTab() {
  const id = useId();
  const { version, readySpaces } = useVersion();
  const [space, setSpace] = useState(readySpaces.at(-1) ?? "");
  const [method, setMethod] = useState<ProjectionMethod>(ProjectionMethod.Pca);
  const chosenSpace = readySpaces.includes(space) ? space : (readySpaces.at(-1) ?? "");

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
            <select id={`${id}-space`} value={chosenSpace} onChange={(event) => setSpace(event.target.value)}>
              {readySpaces.map((key) => (
                <option key={key} value={key}>
                  {key}
                </option>
              ))}
            </select>
          </div>
        )}
        <fieldset className="field">
          <legend>Projection</legend>
          {[ProjectionMethod.Pca, ProjectionMethod.Umap].map((value) => (
            <label key={value}>
              <input
                type="radio"
                name={`${id}-method`}
                value={value}
                checked={method === value}
                onChange={() => setMethod(value)}
              />{" "}
              {value}
            </label>
          ))}
        </fieldset>
      </div>
      <MapOfSpace
        key={`${chosenSpace}/${method}`}
        versionId={version.id}
        space={chosenSpace}
        method={method}
      />
    </section>
  );
}

function MapOfSpace({
  versionId,
  space,
  method,
}: {
  versionId: string;
  space: string;
  method: ProjectionMethod;
}) {
  const { state, retry } = useEmbeddingMap(versionId, space, method);
  switch (state.phase) {
    case "loading":
      return <Skeleton lines={6} label="Loading the map" />;
    case "computing":
      return (
        <div role="status">
          <progress max={1} value={state.map?.progress ?? 0} aria-label="Map computed" />{" "}
          <span className="muted">
            Computing the {method} map of {space}: {Math.round((state.map?.progress ?? 0) * 100)} % (once; it
            is stored for later visits)
          </span>
        </div>
      );
    case "failed":
      return (
        <>
          <ErrorMessage error={state.error} />
          <button type="button" onClick={retry}>
            Compute the map again
          </button>
        </>
      );
    case "ready":
      return (
        <MapView
          points={state.points}
          space={space}
          method={method}
          explained={state.map.explainedVariance ?? null}
        />
      );
  }
}

interface MapViewProps {
  points: MapPoints;
  space: string;
  method: ProjectionMethod;
  explained: readonly number[] | null;
}

function MapView({ points, space, method, explained }: MapViewProps) {
  const { version } = useVersion();
  const { open } = useSampleParam();
  const navigate = useNavigate();
  const [mode, setMode] = useState<"pan" | "lasso">("pan");
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set());
  const [hovered, setHovered] = useState<HoveredPoint | null>(null);
  const [hoverCache] = useState<HoverCache>(() => new Map());
  const classes = useMemo(
    () => mapClasses(version.classes, points.classIds),
    [version.classes, points.classIds],
  );
  const colours = useMemo(() => classes.names.map((_, index) => classColour(index)), [classes.names]);
  const variance = explained
    ? ` (${Math.round(((explained[0] ?? 0) + (explained[1] ?? 0)) * 100)} % of the variance)`
    : "";
  const toggle = (classIndex: number) =>
    setHidden((current) => {
      const next = new Set(current);
      if (!next.delete(classIndex)) next.add(classIndex);
      return next;
    });

  return (
    <>
      <p className="muted">
        {points.sampleIds.length.toLocaleString()} images of {classes.names.length.toLocaleString()} classes
        in {space}, by {method}
        {variance}. Wheel or + and − to zoom, drag to move, click a point to open its image; in lasso mode a
        drag selects points and shows them in the grid (Shift-drag moves).
      </p>
      <div className="inline-form">
        <button type="button" aria-pressed={mode === "pan"} onClick={() => setMode("pan")}>
          Move
        </button>
        <button type="button" aria-pressed={mode === "lasso"} onClick={() => setMode("lasso")}>
          Lasso
        </button>
      </div>
      <ul
        className="embedding-map-legend"
        aria-label="Classes (click to hide or show)"
        style={{ display: "flex", flexWrap: "wrap", gap: 4, listStyle: "none", padding: 0 }}
      >
        {classes.names.map((name, classIndex) => (
          <li key={name}>
            <button type="button" aria-pressed={!hidden.has(classIndex)} onClick={() => toggle(classIndex)}>
              <span
                aria-hidden="true"
                style={{
                  background: rgbCss(colours[classIndex]!),
                  display: "inline-block",
                  width: 10,
                  height: 10,
                }}
              />{" "}
              {name}
            </button>
          </li>
        ))}
      </ul>
      <div style={{ position: "relative" }}>
        <EmbeddingMapCanvas
          coordinates={points.coordinates}
          pointClass={classes.pointClass}
          colours={colours}
          hidden={hidden}
          mode={mode}
          label={`Embedding map: ${points.sampleIds.length} images coloured by class`}
          onHover={(point) =>
            setHovered(
              point
                ? {
                    ...point,
                    sampleId: points.sampleIds[point.index]!,
                    className: classes.names[classes.pointClass[point.index]!]!,
                  }
                : null,
            )
          }
          onOpen={(index) => open(points.sampleIds[index]!)}
          onLasso={(indices) => {
            if (indices.length === 0) return;
            const sampleIds = indices.map((index) => points.sampleIds[index]!);
            void navigate("..", { relative: "path", state: mapSelectionState({ space, method, sampleIds }) });
          }}
        />
        {hovered && (
          <EmbeddingMapHover
            cache={hoverCache}
            point={hovered}
            versionId={version.id}
            space={space}
            method={method}
          />
        )}
      </div>
    </>
  );
}
