import { badInput } from "../errors";
import { checkCount, checkLength, limits } from "../limits";

/**
 * Compiles a file pattern with the semantics of the Hugging Face client's `allow_patterns` /
 * `ignore_patterns` (Python's fnmatch), so patterns copied from Hub docs select the same files:
 * `*` and `?` also match `/` (`*.onnx` finds `onnx/model.onnx`), `[abc]` and `[!abc]` are
 * character sets, and a pattern ending in `/` selects everything under that folder.
 * Glob libraries (picomatch, minimatch) stop `*` at `/`, which would select different files.
 */
export function compileFilePattern(pattern: string): RegExp {
  if (pattern === "") throw badInput("A file pattern must not be empty");
  const glob = pattern.endsWith("/") ? `${pattern}*` : pattern;
  let source = "";
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob[index]!;
    if (char === "*") {
      source += "[\\s\\S]*";
      while (glob[index + 1] === "*") index += 1;
    } else if (char === "?") {
      source += "[\\s\\S]";
    } else if (char === "[" && setEnd(glob, index) !== -1) {
      const end = setEnd(glob, index);
      source += characterSet(glob.slice(index + 1, end));
      index = end;
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
    }
  }
  try {
    return new RegExp(`^${source}$`);
  } catch {
    throw badInput(`File pattern ${JSON.stringify(pattern)} has an invalid character set such as [z-a]`);
  }
}

export interface FilePatterns {
  allowPatterns?: readonly string[] | null;
  ignorePatterns?: readonly string[] | null;
}

/**
 * A test that keeps paths matching any allow pattern (every path, when none is given) and no
 * ignore pattern. An empty allow list counts as none given. Invalid patterns fail here, before
 * anything is fetched.
 */
export function fileMatcher(patterns: FilePatterns): (path: string) => boolean {
  const compiled = (field: "allowPatterns" | "ignorePatterns") =>
    checkCount(field, patterns[field] ?? [], limits.filePatterns).map((pattern, index) =>
      compileFilePattern(checkLength(`${field}[${index}]`, pattern, limits.filePatternLength)),
    );
  const allow = compiled("allowPatterns");
  const ignore = compiled("ignorePatterns");
  return (path) =>
    (allow.length === 0 || allow.some((pattern) => pattern.test(path))) &&
    !ignore.some((pattern) => pattern.test(path));
}

/** Index of the `]` closing the set opened at `start`, or -1 when the `[` is a plain character. */
function setEnd(glob: string, start: number): number {
  let index = start + 1;
  if (glob[index] === "!") index += 1;
  // A `]` right after `[` or `[!` belongs to the set.
  if (glob[index] === "]") index += 1;
  const end = glob.indexOf("]", index);
  return end;
}

function characterSet(body: string): string {
  const negated = body.startsWith("!");
  const members = (negated ? body.slice(1) : body).replace(/[\\\]^[]/g, "\\$&");
  return negated ? `[^${members}]` : `[${members}]`;
}
