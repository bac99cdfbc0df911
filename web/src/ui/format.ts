const units = ["B", "kB", "MB", "GB", "TB"];

/** Decimal units, as file managers and browsers show sizes. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

export function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : value.toLocaleString();
}

/** A 0–1 fraction (accuracy) as a percentage with one decimal. */
export function formatFraction(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : `${(value * 100).toFixed(1)}%`;
}

/** Dimensions as written in the model, symbolic names kept: `batch × 3 × 224 × 224`. */
export function formatDimensions(dimensions: readonly string[]): string {
  return dimensions.length === 0 ? "scalar" : dimensions.join(" × ");
}

/** Enum values whose words are names, not plain words. */
const properNames: Record<string, string> = {
  ONNX: "ONNX",
  PYTORCH: "PyTorch",
  TENSORFLOW: "TensorFlow",
  HUGGINGFACE: "Hugging Face",
  SKLEARN: "scikit-learn",
  KERAS: "Keras",
  NLP: "NLP",
  RAW: "Raw tensors",
  TIER: "Tessera tier",
  TRITON: "Triton",
};

/** Enum values such as `DEPTH_ESTIMATION` in words: `Depth estimation`, `RECONSTRUCTION_3D`: `Reconstruction 3D`. */
export function formatEnum(value: string): string {
  const named = properNames[value];
  if (named) return named;
  const words = value
    .toLowerCase()
    .replace(/_/g, " ")
    .replace(/\b3d\b/g, "3D");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Tags as a person types them, comma-separated: each trimmed, empty ones dropped. */
export function parseTags(text: string): string[] {
  return text
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);
}
