/** The classes of a map's points: names in legend order and each point's index among them. */
export interface MapClasses {
  names: string[];
  pointClass: Uint32Array;
}

/** A point whose class the version no longer lists (never, as versions are immutable) still gets a colour. */
const UNKNOWN_CLASS = "(not in this version)";

/**
 * Classes sorted by name, so a class keeps its colour (classColour of its index) however the
 * points are ordered, and each point's class as an index into them.
 */
export function mapClasses(
  versionClasses: ReadonlyArray<{ classId: string; name: string }>,
  classIds: readonly string[],
): MapClasses {
  const sorted = [...versionClasses].sort((a, b) => a.name.localeCompare(b.name));
  const indexOf = new Map(sorted.map((entry, index) => [entry.classId, index]));
  const names = sorted.map((entry) => entry.name);
  const pointClass = new Uint32Array(classIds.length);
  classIds.forEach((classId, point) => {
    let classIndex = indexOf.get(classId);
    if (classIndex === undefined) {
      classIndex = names.indexOf(UNKNOWN_CLASS);
      if (classIndex < 0) classIndex = names.push(UNKNOWN_CLASS) - 1;
      indexOf.set(classId, classIndex);
    }
    pointClass[point] = classIndex;
  });
  return { names, pointClass };
}
