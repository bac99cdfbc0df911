import { badInput } from "../../errors";
import { checkCount, limits } from "../../limits";

export interface SelectionOptions {
  selectedClasses?: readonly string[] | null;
  maxSamplesPerClass?: number | null;
}

/** Checked before anything is downloaded, so a bad cap costs nothing. */
export function checkSelection(options: SelectionOptions): void {
  const cap = options.maxSamplesPerClass;
  if (cap !== null && cap !== undefined && cap < 1) {
    throw badInput(`maxSamplesPerClass must be at least 1, got ${cap}`, {
      field: "input.maxSamplesPerClass",
    });
  }
  checkCount("input.selectedClasses", options.selectedClasses ?? [], limits.datasetItemsPerRequest);
  if (options.selectedClasses && options.selectedClasses.length === 0) {
    throw badInput("selectedClasses is empty: leave it out to import every class", {
      field: "input.selectedClasses",
    });
  }
}

/**
 * Keeps the selected classes and, per class, the first `maxSamplesPerClass` files by path, so the
 * same source and options always give the same samples. Unknown class names are refused with the
 * list of the source's classes.
 */
export function selectFiles<File extends { path: string; className: string }>(
  files: readonly File[],
  options: SelectionOptions,
): File[] {
  const available = [...new Set(files.map((file) => file.className))].sort();
  const wanted = options.selectedClasses ? new Set(options.selectedClasses.map((name) => name.trim())) : null;
  const unknown = wanted ? [...wanted].filter((name) => !available.includes(name)) : [];
  if (unknown.length > 0) {
    throw badInput(
      `selectedClasses names ${unknown.map((name) => JSON.stringify(name)).join(", ")}, which the source ` +
        `does not have; its classes are ${available.map((name) => JSON.stringify(name)).join(", ")}`,
      { field: "input.selectedClasses", available },
    );
  }
  const cap = options.maxSamplesPerClass ?? Infinity;
  const taken = new Map<string, number>();
  const byPath = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return byPath.filter((file) => {
    if (wanted && !wanted.has(file.className)) return false;
    const count = taken.get(file.className) ?? 0;
    if (count >= cap) return false;
    taken.set(file.className, count + 1);
    return true;
  });
}
