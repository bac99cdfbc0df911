/**
 * Bounds of what a scene upload may hold. The archive itself is bounded by the upload and archive
 * limits (config.ts); each photo by the datasets' image limits (TESSERA_MAX_IMAGE_BYTES and
 * 50 MP, so a pixel bomb is refused from its header).
 */
export const sceneLimits = {
  /** Frames one transforms file set may list: each is decoded and stored, one row each. */
  frames: 2_000,
  /** Fewer usable frames than this cannot constrain a radiance field. */
  minFrames: 8,
  /** A transforms JSON file is parsed in memory. */
  transformsBytes: 32 * 1024 ** 2,
  /**
   * Shortest side a frame's photo may have: held-out views are scored with SSIM, whose 11×11
   * window needs room to slide; smaller photos are skipped with this reason.
   */
  minFrameSide: 16,
  /** Longest side of a frame's WebP thumbnail. */
  thumbnailSide: 256,
  /** How far RᵀR may differ from I (largest entry) for a pose to count as rigid. */
  rigidTolerance: 1e-3,
  /** Photos read, decoded and stored at once (as the datasets' ingestion measured). */
  concurrency: 4,
  /**
   * Header-declared pixels decoded at once across those photos (≈ 3 bytes each as raw RGB, plus
   * the PNG and thumbnail encoders'): four 50 MP photos would otherwise be decoded together. One
   * photo alone may exceed it (it is bounded by the 50 MP photo limit).
   */
  decodePixels: 64_000_000,
  /** A COLMAP run (features, matching, mapping) is stopped after this long. */
  colmapMs: 30 * 60 * 1000,
} as const;

export const sceneLimitNotes = {
  frames: `${sceneLimits.minFrames} to ${sceneLimits.frames} usable frames`,
} as const;
