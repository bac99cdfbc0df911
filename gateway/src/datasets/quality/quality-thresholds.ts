/**
 * Every limit the quality analysis applies, in one place so the report's wording, the tests and
 * the docs agree. Stored blur and exposure figures are on the scale ingestion measures them at: a
 * 256×256 greyscale rendering (see images/analyze-image.ts).
 *
 * The checks judge images against their own dataset rather than against photographs in general:
 * a set of 28×28 garments on black (Fashion-MNIST) is small, dark and low in texture by design,
 * and absolute limits flagged nearly every image of it. So size is judged only against a chosen
 * base model's input, exposure and sharpness against the image's own class, a perceptual-hash
 * match must be confirmed (by embeddings, else by a closer hash and matching exposure), and label
 * mix-ups between classes the embedding cannot separate are reported as an overlap.
 *
 * Measured on the generated set of that kind (test/datasets/quality/garment-set.ts: 10 classes ×
 * 20, seed 13), as the share of the 196 clean images a finding names (the originals of planted
 * copies left out), before → after: LOW_RESOLUTION 100 % → 0 % (no base model), UNDER_EXPOSED
 * 83.2 % → 0 %, NEAR_DUPLICATES 38.8 % → 0 %, BLURRY 9.2 % → 0 %, SUSPECTED_LABEL_ERRORS 5.1 % →
 * 0 % (built-in embedder), OVER_EXPOSED 0 % → 0 %. The planted black image, byte copy, blurred
 * copy, re-encoded copy, washed-out image and mislabelled boot are all found (before: the
 * washed-out image was not).
 */
export const qualityThresholds = {
  /** pHash candidates: two hashes this many bits apart or fewer (of 64) may be near-duplicates. */
  nearDuplicateMaxBits: 6,
  /**
   * With embeddings, a candidate pair is a near-duplicate only when the cosine distance of the two
   * vectors is at most this share of the version's median nearest-neighbour distance: the scale
   * of "close" differs between embedders, and a copy sits far closer than the dataset's
   * typical neighbour (on the garment set: a re-encoded copy at 0.001, the closest two different
   * garments at 0.0035, the median neighbour at 0.0084).
   */
  nearDuplicateEmbeddingShare: 0.25,
  /** …and never more than this cosine distance, however sparse the version. */
  nearDuplicateMaxCosineDistance: 0.05,
  /**
   * Without embeddings, silhouettes on a plain background hash alike (the bits follow the outline,
   * not the detail: two different boots land 2 bits apart), so only pairs this close count…
   */
  unconfirmedNearDuplicateMaxBits: 2,
  /** …whose mean brightness differs by at most this share (a copy keeps its exposure)… */
  unconfirmedNearDuplicateLumaShare: 0.02,
  /** …and whose clipped dark and bright fractions differ by at most this much. */
  unconfirmedNearDuplicateClippedDelta: 0.02,
  /**
   * With a base model, an image whose width or height must be scaled up more than this many times
   * to the model's input is low resolution: upscaled it adds blur, not detail.
   */
  maxUpscale: 2,
  /**
   * Stored sharpness (Laplacian variance at 256 px) is meaningless for images smaller than this
   * (px, shorter side): upscaled ninefold, a 28 px image's own blur no longer shows (a 1.2 px blur
   * changed it by the same factor as the spread between clean images). These images are measured
   * again at their own size from the stored bytes.
   */
  nativeSharpnessBelowSide: 64,
  /** At most this many images per report are measured at their own size (≈ 2.5 ms each). */
  nativeSharpnessMaxImages: 3_000,
  /** Stored sharpness under this share of its class's median is blurry; a 4 px blur cuts it tenfold. */
  blurRelativeToMedian: 0.1,
  /**
   * Native sharpness (Laplacian variance over intensity variance, so independent of exposure)
   * under this share of its class's median is blurry: clean garments stay above 0.75, a 0.8 px
   * blur falls to 0.2.
   */
  nativeBlurRelativeToMedian: 0.35,
  /** A class needs this many measured samples for its own statistics; smaller ones use the dataset's. */
  minClassForStatistics: 5,
  /**
   * Exposure, in stops (log2 of mean brightness; of the headroom to white for over-exposure): this
   * many robust standard deviations (1.4826 × MAD) under its class's median… (3.5 is Iglewicz and
   * Hoaglin's outlier cut-off for the modified z-score.) Stops, because a class whose shades vary
   * twofold spreads evenly there, and a black image is far out instead of 3 spreads away.
   */
  exposureRobustZ: 3.5,
  /** …and at most this share of the class's median brightness (headroom): a stop or more darker (brighter). */
  exposureShareOfMedian: 0.5,
  /** The robust spread is never taken below this many stops, so near-identical classes do not flag noise. */
  exposureMinSpreadStops: 0.25,
  /** A class with fewer samples than this cannot be split into train and validation usefully. */
  smallClassMinSamples: 5,
  /** …nor can one with fewer than this share of the median class size. */
  smallClassShareOfMedian: 0.1,
  /** Largest class over smallest at or above which the imbalance is a warning… */
  imbalanceWarningRatio: 3,
  /** …and at or above which it is an error. */
  imbalanceErrorRatio: 10,
  /** Neighbours looked at per sample for suspected label errors… */
  labelNeighbours: 5,
  /** …of which at least this many must carry one other label (3 of 5 flagged 4 % of clean garments). */
  labelMinVotes: 4,
  /**
   * Two classes overlap (the embedding cannot tell them apart, so their mix-ups are not label
   * errors) when at least max(labelOverlapMinSamples, labelOverlapShare × their samples) of them
   * sit among the other.
   */
  labelOverlapMinSamples: 3,
  labelOverlapShare: 0.05,
} as const;
