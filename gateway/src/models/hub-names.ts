import { badInput } from "../errors";

/** `name` or `namespace/name`; each part starts and ends with a letter, digit or `_`, as on the Hub. */
const repoIdPattern = /^(?:[A-Za-z0-9_](?:[\w.-]*[A-Za-z0-9_])?\/)?[A-Za-z0-9_](?:[\w.-]*[A-Za-z0-9_])?$/;

/** A Hugging Face repo id the way the Hub accepts it, or BAD_USER_INPUT saying what is wrong. */
export function parseRepoId(input: string): string {
  const repoId = input.trim();
  const valid = repoIdPattern.test(repoId) && repoId.length <= 96 && !/\.\.|--/.test(repoId);
  if (!valid) {
    throw badInput(
      `A Hugging Face repo id looks like "org/name" (letters, digits, "-", "_", "."; no ".." or "--"), got ${JSON.stringify(input)}`,
    );
  }
  return repoId;
}

/**
 * A branch, tag or commit: a git ref name such as `main`, `v1.0` or `refs/pr/1`. It travels as one
 * URL-encoded path segment, so a `/` in it cannot change which API route is called.
 */
export function parseRevision(input: string | null | undefined): string {
  const revision = (input ?? "").trim() || "main";
  const invalid =
    revision.length > 255 ||
    hasControlCharacter(revision) ||
    /[ ~^:?*[\\]/.test(revision) ||
    /\.\.|@\{|\/\/|^\/|\/$|\.lock$|^\.|\/\./.test(revision);
  if (invalid) {
    throw badInput(
      `A revision is a branch, tag or commit such as "main" or "refs/pr/1", got ${JSON.stringify(input)}`,
    );
  }
  return revision;
}

/**
 * A file path reported by the Hub (or derived from a URL), checked before it names anything in
 * Tessera: relative, forward slashes, no `.`/`..`/empty segments, no control characters.
 */
export function checkRepoPath(path: string, source: string): string {
  const problem = pathProblem(path);
  if (problem) {
    throw badInput(
      `${source} gave the file path ${JSON.stringify(path)}, which ${problem}; refusing to import it`,
    );
  }
  return path;
}

function pathProblem(path: string): string | null {
  if (path === "") return "is empty";
  if (path.length > 1024) return "is longer than 1024 characters";
  if (hasControlCharacter(path)) return "contains a control character";
  if (path.includes("\\")) return "contains a backslash";
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) return "is absolute";
  const segments = path.split("/");
  if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) {
    return 'has an empty, "." or ".." segment';
  }
  return null;
}

function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Percent-encodes each segment of a repo path, keeping the `/` between them. */
export function encodeRepoPath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}
