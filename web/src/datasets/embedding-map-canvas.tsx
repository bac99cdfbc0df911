import {
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type PointerEvent as ReactPointerEvent,
} from "react";
import type { Rgb } from "../playground/turbo-colour-scale";
import {
  initialView,
  PointIndex,
  pointsInPolygon,
  screenTransform,
  toMap,
  zoomAt,
  type CanvasSize,
  type MapView,
} from "./embedding-map-geometry";
import { MAP_MARKS, markMap } from "./embedding-map-marks";
import { rasterisePoints } from "./embedding-map-raster";

export interface MapCanvasProps {
  /** x0, y0, x1, y1, … in [-1, 1]. */
  coordinates: Float32Array;
  /** Each point's class, as an index into `colours`. */
  pointClass: Uint32Array;
  colours: readonly Rgb[];
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
/** The canvas's size until it is measured (and where it cannot be, as in tests without layout), px. */
const FALLBACK_SIZE: CanvasSize = { width: 800, height: 560 };
/** How near the pointer a point must be to count as under it, px. */
const HOVER_RADIUS = 6;

type Drag = { kind: "pan"; x: number; y: number; moved: boolean } | { kind: "lasso"; path: number[] };

/**
 * A scatter of every point on one canvas: the points are written as pixels into one image (class
 * by class, see rasterisePoints) that is put on the canvas at once, so 50,000 points draw in a few
 * milliseconds, at first and on every pan and zoom. The wheel zooms about the pointer, a drag pans
 * or draws a lasso, a click opens the point under the pointer.
 */
export function EmbeddingMapCanvas(props: MapCanvasProps) {
  const { coordinates, pointClass, colours, hidden, mode, label, onHover, onOpen, onLasso } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  // Null until the element is measured (before the first paint), so the first draw is at its real size.
  const [measured, setMeasured] = useState<CanvasSize | null>(null);
  const size = measured ?? FALLBACK_SIZE;
  const [view, setView] = useState<MapView>(initialView);
  const [lasso, setLasso] = useState<number[] | null>(null);
  const drag = useRef<Drag | null>(null);
  const pixels = useRef<ImageData | null>(null);
  const drawnOnce = useRef(false);
  const index = useMemo(() => new PointIndex(coordinates), [coordinates]);
  const byClass = useMemo(() => groupByClass(pointClass, colours.length), [pointClass, colours.length]);
  const visible = (point: number) => !hidden.has(pointClass[point]!);

  useLayoutEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const resize = (box: { width: number; height: number }) =>
      setMeasured((current) =>
        current && current.width === box.width && current.height === box.height
          ? current
          : { width: box.width, height: box.height },
      );
    const box = element.getBoundingClientRect();
    resize(box.width > 0 ? box : FALLBACK_SIZE);
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(([entry]) => {
      const content = entry?.contentRect;
      if (content && content.width > 0) resize(content);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext("2d");
    if (!measured || !element || !context) return;
    const started = performance.now();
    const ratio = window.devicePixelRatio || 1;
    const width = Math.round(measured.width * ratio);
    const height = Math.round(measured.height * ratio);
    // Assigning a canvas's width clears it and resets its state, even to the same value.
    if (element.width !== width) element.width = width;
    if (element.height !== height) element.height = height;
    if (pixels.current?.width !== width || pixels.current.height !== height)
      pixels.current = context.createImageData(width, height);
    const transform = screenTransform(view, measured);
    const drawn = rasterisePoints(
      pixels.current,
      {
        originX: transform.originX * ratio,
        originY: transform.originY * ratio,
        scale: transform.scale * ratio,
      },
      Math.max(1, Math.round(POINT * ratio)),
      { coordinates, byClass, colours, hidden },
    );
    context.putImageData(pixels.current, 0, 0);
    if (!drawnOnce.current) {
      drawnOnce.current = true;
      const drawMs = performance.now() - started;
      afterNextPaint(() => markMap(MAP_MARKS.drawn, { points: drawn, drawMs }));
    }
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
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
  }, [byClass, colours, coordinates, hidden, lasso, measured, view]);

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

/**
 * Calls `then` once the frame that shows what was just drawn has been produced: a frame callback
 * runs before that frame's paint (canvas rasterisation included), a task queued from it runs after.
 */
function afterNextPaint(then: () => void): void {
  if (typeof requestAnimationFrame !== "function") return;
  requestAnimationFrame(() => setTimeout(then, 0));
}
