/**
 * Every limit the quality analysis applies, in one place so the report's wording, the tests and
 * the docs agree. Blur and exposure figures are on the scale ingestion measures them at: a
 * 256×256 greyscale rendering (see images/analyze-image.ts).
 */
export const qualityThresholds = {
  /** Two perceptual hashes this many bits apart or fewer (of 64) are near-duplicates: ~90 % agree. */
  nearDuplicateMaxBits: 6,
  /** Shorter side below this (px) is too small for most models' inputs without heavy upscaling. */
  minSide: 64,
  /** Laplacian variance under this is blurry whatever the dataset: next to no edge energy left. */
  blurAbsoluteFloor: 1,
  /**
   * Laplacian variance under this share of its class's median is blurry: smooth classes (gradients,
   * sky) stay unflagged, while a sharp class's blurred member stands out. Applying a 4 px Gaussian
   * blur cuts the variance by more than ten times.
   */
  blurRelativeToMedian: 0.1,
  /** A class needs this many samples for its own median; smaller ones compare with the dataset's. */
  blurMinClassForMedian: 5,
  /** Share of pixels at or under 5/255 (at or over 250/255) from which an image is under- (over-) exposed. */
  clippedFraction: 0.5,
  /** Mean brightness (0..1) at or under which an image is under-exposed. */
  underExposedMeanLuma: 0.08,
  /** Mean brightness (0..1) at or over which an image is over-exposed. */
  overExposedMeanLuma: 0.92,
  /** A class with fewer samples than this cannot be split into train and validation usefully. */
  smallClassMinSamples: 5,
  /** …nor can one with fewer than this share of the median class size. */
  smallClassShareOfMedian: 0.1,
  /** Largest class over smallest at or above which the imbalance is a warning… */
  imbalanceWarningRatio: 3,
  /** …and at or above which it is an error. */
  imbalanceErrorRatio: 10,
  /** Neighbours looked at per sample for suspected label errors. */
  labelNeighbours: 5,
} as const;
