import sharp from "sharp";

export interface DrawnBox {
  label: string;
  score: number;
  classIndex: number;
  box: { x1: number; y1: number; x2: number; y2: number };
}

/** Distinct, readable on photos; a class keeps its colour across images. */
const palette = [
  "#FF3838",
  "#2C99A8",
  "#FF9D97",
  "#00C2FF",
  "#FFB21D",
  "#344593",
  "#CFD231",
  "#6473FF",
  "#48F90A",
  "#FF37C7",
];

/**
 * The image (EXIF orientation applied, as the boxes are) as a PNG with each box outlined and its
 * label and score written above it, drawn by sharp from an SVG overlay of the image's size.
 */
export async function annotatedPng(
  image: Buffer,
  size: { width: number; height: number },
  detections: readonly DrawnBox[],
): Promise<Buffer> {
  const { width, height } = size;
  const stroke = Math.max(2, Math.round(Math.min(width, height) / 200));
  const fontSize = Math.max(10, stroke * 6);
  const shapes = detections.map((detection) => {
    const { x1, y1, x2, y2 } = detection.box;
    const colour = palette[detection.classIndex % palette.length]!;
    const caption = `${detection.label} ${detection.score.toFixed(2)}`;
    const captionWidth = Math.ceil(caption.length * fontSize * 0.6) + 2 * stroke;
    const captionHeight = fontSize + 2 * stroke;
    // Above the box when there is room, else inside its top edge.
    const captionTop = y1 >= captionHeight ? y1 - captionHeight : y1;
    return [
      `<rect x="${x1}" y="${y1}" width="${Math.max(0, x2 - x1)}" height="${Math.max(0, y2 - y1)}" fill="none" stroke="${colour}" stroke-width="${stroke}"/>`,
      `<rect x="${x1}" y="${captionTop}" width="${captionWidth}" height="${captionHeight}" fill="${colour}"/>`,
      `<text x="${x1 + stroke}" y="${captionTop + stroke + fontSize * 0.85}" font-family="sans-serif" font-size="${fontSize}" fill="#FFFFFF">${escapeXml(caption)}</text>`,
    ].join("");
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shapes.join("")}</svg>`;
  return sharp(image, { failOn: "error" })
    .rotate()
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .png()
    .toBuffer();
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
