import type { ByteRange } from "../storage/blob-store";

/**
 * A single `Range: bytes=…` request (first-last, first-, or -suffix) over a representation of `size`
 * bytes. Multiple ranges and stale `If-Range` validators fall back to the whole file, as RFC 9110
 * allows.
 */
export function parseRange(
  header: string | undefined,
  size: number,
  ifRange?: string | string[],
  etag?: string,
): ByteRange | null | "unsatisfiable" {
  if (!header) return null;
  if (ifRange !== undefined && ifRange !== etag) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return null;
  const [, from, to] = match;
  if (from === "") {
    const suffix = Number(to);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === "" ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { start, end };
}
