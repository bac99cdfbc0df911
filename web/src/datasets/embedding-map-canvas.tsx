import { useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from "react";
import {
  initialView,
  PointIndex,
  pointsInPolygon,
  toMap,
  toScreen,
  zoomAt,
  type CanvasSize,
  type MapView,
} from "./embedding-map-geometry";

export interface MapCanvasProps {
  /** x0, y0, x1, y1, … in [-1, 1]. */
  coordinates: Float32Array;
  /** Each point's class, as an index into `colours`. */
  pointClass: Uint32Array;
  colours: readonly string[];
  /** Class indices not drawn (and not hovered or lassoed). */
  hidden: ReadonlySet<number>;
  /** "lasso": a drag draws a selection; "pan" (or Shift held in lasso mode): a drag moves the map. */
  mode: "pan" | "lasso";
  label: string;
  onHover(point: { index: number; x: number; y: number } | null): void;
  onOpen(index: number): void;
  onLasso(indices: number[]): void;
}

/** Point side, px: small enough that 50,000 points keep their clusters apart. */
const POINT = 3;
/** How near the pointer a point must be to count as under it, px. */
const HOVER_RADIUS = 6;

type Drag = { kind: "pan"; x: number; y: number; moved: boolean } | { kind: "lasso"; path: number[] };

/**
 * A scatter of every point on one canvas: one fillRect per point, one fill colour per class (the
 * points are drawn class by class), so 50,000 points draw in milliseconds. The wheel zooms about
 * the pointer, a drag pans or draws a lasso, a click opens the point under the pointer.
 */
export function EmbeddingMapCanvas(props: MapCanvasProps) {
  const { coordinates, pointClass, colours, hidden, mode, label, onHover, onOpen, onLasso } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState<CanvasSize>({ width: 800, height: 560 });
  const [view, setView] = useState<MapView>(initialView);
  const [lasso, setLasso] = useState<number[] | null>(null);
  const drag = useRef<Drag | null>(null);
  const index = useMemo(() => new PointIndex(coordinates), [coordinates]);
  const byClass = useMemo(() => groupByClass(pointClass, colours.length), [pointClass, colours.length]);
  const visible = (point: number) => !hidden.has(pointClass[point]!);

  useEffect(() => {
    const element = canvas.current;
    if (!element || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(([entry]) => {
      const box = entry?.contentRect;
      if (box && box.width > 0) setSize({ width: box.width, height: box.height });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext("2d");
    if (!element || !context) return;
    const ratio = window.devicePixelRatio || 1;
    element.width = Math.round(size.width * ratio);
    element.height = Math.round(size.height * ratio);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, size.width, size.height);
    byClass.forEach((points, classIndex) => {
      if (hidden.has(classIndex)) return;
      context.fillStyle = colours[classIndex]!;
      for (const point of points) {
        const [sx, sy] = toScreen(view, size, coordinates[point * 2]!, coordinates[point * 2 + 1]!);
        context.fillRect(sx - POINT / 2, sy - POINT / 2, POINT, POINT);
      }
    });
    if (lasso && lasso.length >= 4) {
      context.beginPath();
      context.moveTo(lasso[0]!, lasso[1]!);
      for (let corner = 2; corner < lasso.length; corner += 2)
        context.lineTo(lasso[corner]!, lasso[corner + 1]!);
      context.closePath();
      context.strokeStyle = "#111";
      context.setLineDash([4, 3]);
      context.stroke();
      context.setLineDash([]);
    }
  }, [byClass, colours, coordinates, hidden, lasso, size, view]);

  // React's wheel listener is passive: zooming must stop the page from scrolling, so it is added here.
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const box = element.getBoundingClientRect();
      const factor = Math.exp(-event.deltaY * 0.002);
      setView((current) => zoomAt(current, size, event.clientX - box.left, event.clientY - box.top, factor));
    };
    element.addEventListener("wheel", onWheel, { passive: false });
    return () => element.removeEventListener("wheel", onWheel);
  }, [size]);

  const local = (event: ReactPointerEvent) => {
    const box = event.currentTarget.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top] as const;
  };
  const pointAt = (sx: number, sy: number) => {
    const [x, y] = toMap(view, size, sx, sy);
    const radius = HOVER_RADIUS / (Math.max(1, Math.min(size.width, size.height) / 2 - 12) * view.zoom);
    return index.nearest(x, y, radius, visible);
  };

  return (
    <canvas
      ref={canvas}
      className="embedding-map-canvas"
      role="img"
      aria-label={label}
      tabIndex={0}
      style={{
        width: "100%",
        height: 560,
        touchAction: "none",
        cursor: mode === "lasso" ? "crosshair" : "grab",
      }}
      onKeyDown={(event) => {
        const centre = [size.width / 2, size.height / 2] as const;
        if (event.key === "+" || event.key === "=") setView((v) => zoomAt(v, size, ...centre, 1.25));
        else if (event.key === "-") setView((v) => zoomAt(v, size, ...centre, 0.8));
        else if (event.key === "0") setView(initialView);
      }}
      onPointerDown={(event) => {
        const [sx, sy] = local(event);
        event.currentTarget.setPointerCapture?.(event.pointerId);
        drag.current =
          mode === "lasso" && !event.shiftKey
            ? { kind: "lasso", path: [sx, sy] }
            : { kind: "pan", x: sx, y: sy, moved: false };
      }}
      onPointerMove={(event) => {
        const [sx, sy] = local(event);
        const current = drag.current;
        if (current?.kind === "pan") {
          const dx = sx - current.x;
          const dy = sy - current.y;
          if (Math.abs(dx) + Math.abs(dy) > 2) current.moved = true;
          drag.current = { ...current, x: sx, y: sy };
          setView((v) => ({ ...v, panX: v.panX + dx, panY: v.panY + dy }));
        } else if (current?.kind === "lasso") {
          current.path.push(sx, sy);
          setLasso([...current.path]);
        } else {
          const point = pointAt(sx, sy);
          onHover(point === null ? null : { index: point, x: sx, y: sy });
        }
      }}
      onPointerUp={(event) => {
        const [sx, sy] = local(event);
        const current = drag.current;
        drag.current = null;
        setLasso(null);
        if (current?.kind === "lasso" && current.path.length >= 6) {
          const polygon = current.path.flatMap((value, at, path) =>
            at % 2 === 0 ? toMap(view, size, value, path[at + 1]!) : [],
          );
          onLasso(pointsInPolygon(coordinates, polygon, visible));
          return;
        }
        if (current?.kind === "pan" && current.moved) return;
        const point = pointAt(sx, sy);
        if (point !== null) onOpen(point);
      }}
      onPointerLeave={() => onHover(null)}
    />
  );
}

/** Point indices per class, so each class is drawn with one fill colour. */
export function groupByClass(pointClass: Uint32Array, classes: number): Uint32Array[] {
  const counts = new Uint32Array(classes);
  for (const classIndex of pointClass) counts[classIndex]! += 1;
  const groups = Array.from(counts, (count) => new Uint32Array(count));
  const filled = new Uint32Array(classes);
  pointClass.forEach((classIndex, point) => {
    groups[classIndex]![filled[classIndex]!++] = point;
  });
  return groups;
}
