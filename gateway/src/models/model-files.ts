import path from "node:path/posix";
import mime from "mime-types";
import { badInput } from "../errors";

export type FrameworkName = "PYTORCH" | "TENSORFLOW" | "SKLEARN" | "ONNX" | "KERAS" | "HUGGINGFACE" | "OTHER";

/** Extension → framework, in the order a primary file is preferred when none is named. */
const FRAMEWORK_BY_EXTENSION: ReadonlyArray<[string, FrameworkName]> = [
  [".onnx", "ONNX"],
  [".safetensors", "HUGGINGFACE"],
  [".pth", "PYTORCH"],
  [".pt", "PYTORCH"],
  [".h5", "KERAS"],
  [".hdf5", "KERAS"],
  [".keras", "KERAS"],
  [".pb", "TENSORFLOW"],
  [".pkl", "SKLEARN"],
  [".joblib", "SKLEARN"],
  [".bin", "HUGGINGFACE"],
];

const extensionOf = (filePath: string) => path.extname(filePath).toLowerCase();

export function frameworkOfFile(filePath: string): FrameworkName | null {
  const extension = extensionOf(filePath);
  return FRAMEWORK_BY_EXTENSION.find(([known]) => known === extension)?.[1] ?? null;
}

/** The framework of the primary file, else of the first file whose extension says one. */
export function detectFramework(primaryPath: string | null, paths: string[]): FrameworkName | null {
  if (primaryPath) {
    const fromPrimary = frameworkOfFile(primaryPath);
    if (fromPrimary) return fromPrimary;
  }
  for (const [extension, framework] of FRAMEWORK_BY_EXTENSION) {
    if (paths.some((p) => extensionOf(p) === extension)) return framework;
  }
  return null;
}

/** The weights file a user most likely means, when they did not name one. */
export function choosePrimaryFile(paths: string[], framework: FrameworkName | null): string {
  const ranked = FRAMEWORK_BY_EXTENSION.filter(
    ([, f]) => !framework || framework === "OTHER" || f === framework,
  );
  for (const [extension] of ranked) {
    const match = paths.find((p) => extensionOf(p) === extension);
    if (match) return match;
  }
  return [...paths].sort()[0] ?? "";
}

/** What kind of file this is for a person browsing a version: "weights", "config", … */
export function fileTypeOf(filePath: string): string {
  const extension = extensionOf(filePath);
  if (frameworkOfFile(filePath)) return "weights";
  if ([".json", ".yaml", ".yml", ".toml", ".cfg", ".ini", ".pbtxt"].includes(extension)) return "config";
  if ([".txt", ".md", ".rst"].includes(extension)) return "text";
  if ([".py", ".ipynb"].includes(extension)) return "code";
  if ([".csv", ".parquet", ".npy", ".npz"].includes(extension)) return "data";
  if ([".png", ".jpg", ".jpeg", ".webp", ".gif"].includes(extension)) return "image";
  return "other";
}

export function contentTypeOf(filePath: string): string {
  if (extensionOf(filePath) === ".onnx") return "application/onnx";
  return mime.lookup(filePath) || "application/octet-stream";
}

/**
 * A file path inside a version: relative, forward slashes, no `..`, no empty segments. Anything else
 * is refused rather than repaired, so what is stored is what the user sees.
 */
export function validFilePath(raw: string): string {
  const candidate = raw.replace(/\\/g, "/");
  const segments = candidate.split("/");
  const bad =
    candidate.length === 0 ||
    candidate.length > 1024 ||
    candidate.startsWith("/") ||
    /^[a-zA-Z]:/.test(candidate) ||
    candidate.includes("\0") ||
    segments.some((s) => s === "" || s === "." || s === "..");
  if (bad)
    throw badInput(
      `File path "${raw}" is not allowed: use a relative path without "..", like "onnx/model.onnx"`,
    );
  return candidate;
}

export function assertNoDuplicatePaths(paths: string[]): void {
  const seen = new Set<string>();
  for (const p of paths) {
    if (seen.has(p)) throw badInput(`The file "${p}" appears twice in one version; each path must be unique`);
    seen.add(p);
  }
}
