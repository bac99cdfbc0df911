/** A box in source-image pixels: (x1, y1) top left, (x2, y2) bottom right. */
export interface PixelBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Where one box and its label go in an SVG whose viewBox is the source image's pixels. */
export interface DrawnBox {
  x: number;
  y: number;
  width: number;
  height: number;
  /** The label's tag: its top-left corner and size. */
  tag: { x: number; y: number; width: number; height: number };
  /** The label text's start and baseline, inside the tag. */
  text: { x: number; y: number };
}

/** Average advance of a sans-serif character, in ems: enough to size a tag without measuring text. */
const CHARACTER_WIDTH_EM = 0.6;
const TAG_PADDING_EM = 0.3;

/**
 * The label's font size in image pixels: a fixed share of the image, so that the SVG's scaling to
 * the displayed size gives labels of about the same size on the screen whatever the source size.
 */
export function labelFontSize(imageWidth: number, imageHeight: number): number {
  return Math.max(imageWidth, imageHeight) * 0.032;
}

/**
 * The box clipped to the image (a model may answer a little past its edges), and its label's tag:
 * above the box when there is room, else just inside its top edge; never past the right edge.
 */
export function drawnBox(
  box: PixelBox,
  text: string,
  imageWidth: number,
  imageHeight: number,
  fontSize = labelFontSize(imageWidth, imageHeight),
): DrawnBox {
  const x1 = clamp(Math.min(box.x1, box.x2), 0, imageWidth);
  const x2 = clamp(Math.max(box.x1, box.x2), 0, imageWidth);
  const y1 = clamp(Math.min(box.y1, box.y2), 0, imageHeight);
  const y2 = clamp(Math.max(box.y1, box.y2), 0, imageHeight);
  const tagHeight = fontSize * (1 + 2 * TAG_PADDING_EM);
  const tagWidth = Math.min(imageWidth, fontSize * (text.length * CHARACTER_WIDTH_EM + 2 * TAG_PADDING_EM));
  const tagX = Math.max(0, Math.min(x1, imageWidth - tagWidth));
  const tagY = y1 >= tagHeight ? y1 - tagHeight : y1;
  return {
    x: x1,
    y: y1,
    width: x2 - x1,
    height: y2 - y1,
    tag: { x: tagX, y: tagY, width: tagWidth, height: tagHeight },
    // A baseline about 0.8 em under the text's top leaves room for descenders in the padding.
    text: { x: tagX + fontSize * TAG_PADDING_EM, y: tagY + fontSize * (TAG_PADDING_EM + 0.8) },
  };
}

/** `(12, 30)–(140, 200)`: corners rounded to the pixel, as a person reads them. */
export function formatBox(box: PixelBox): string {
  const round = (value: number) => Math.round(value);
  return `(${round(box.x1)}, ${round(box.y1)})–(${round(box.x2)}, ${round(box.y2)})`;
}

/** `128 × 170`: the box's size in pixels. */
export function formatBoxSize(box: PixelBox): string {
  return `${Math.round(Math.abs(box.x2 - box.x1))} × ${Math.round(Math.abs(box.y2 - box.y1))}`;
}

/** `2 person, 1 dog`: the objects found by label, most frequent first (ties in the answer's order). */
export function countByLabel(labels: readonly string[]): Array<{ label: string; count: number }> {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
