/**
 * User Timing marks of opening the embedding map, set once per map shown (panning and zooming
 * add none). `npm run bench -- datasets mapdraw` reads them from a real browser; their start
 * times count from the navigation. No DOM types here: the bench, a Node program, imports it.
 */
export const MAP_MARKS = {
  /** The stored points arrived and were decoded (coordinates in a Float32Array). */
  pointsReady: "tessera:embedding-map:points-ready",
  /** The first draw of every visible point returned and the frame showing it was produced. */
  drawn: "tessera:embedding-map:drawn",
} as const;

/** The drawn mark's detail. */
export interface MapDrawnDetail {
  /** Points drawn (every visible one). */
  points: number;
  /** The draw calls alone, ms. */
  drawMs: number;
}

export function markMap(name: string, detail: object): void {
  if (typeof performance === "undefined" || typeof performance.mark !== "function") return;
  performance.mark(name, { detail });
}
