import type { ArchiveLimits } from "../../config";
import { limits } from "../../limits";

/**
 * The bounds importModelPackage applies, checked by the exporter before it builds a package, so an
 * export never hands out a file its own import would refuse. Each answer is why (for a
 * FAILED_PRECONDITION), or null when the package fits.
 */

/** A test tensor (an input made for the pair, or an output the model gave) against the import's bound. */
export function testTensorProblem(kind: "input" | "output", name: string, values: number): string | null {
  const max = limits.serving.packageTestValues;
  if (values <= max) return null;
  return `its ${kind} "${name}" holds ${values} values; a package's test tensor holds at most ${max}`;
}

/** How many test tensors of one kind a package carries. */
export function testTensorCountProblem(kind: "inputs" | "outputs", count: number): string | null {
  const max = limits.serving.packageTestTensors;
  return count <= max ? null : `the model has ${count} ${kind}; a package's test pair holds at most ${max}`;
}

/**
 * The package's files: the generated ones (read whole on import) within packageFileBytes, every
 * file within the entry count, and their total within what an import unpacks.
 */
export function packageFilesProblem(
  files: ReadonlyArray<{ path: string; sizeBytes: number; generated: boolean }>,
  archive: ArchiveLimits,
): string | null {
  const maxFile = limits.serving.packageFileBytes;
  const big = files.find((file) => file.generated && file.sizeBytes > maxFile);
  if (big)
    return `"${big.path}" would hold ${big.sizeBytes} bytes; a package's ${big.path} holds at most ${maxFile}`;
  const maxEntries = Math.min(archive.maxEntries, limits.serving.packageEntries);
  // The manifest is one more entry.
  if (files.length + 1 > maxEntries) {
    return `the version has ${files.length} files; a package holds at most ${maxEntries - 1} besides its manifest`;
  }
  const total = files.reduce((sum, file) => sum + file.sizeBytes, 0);
  const maxTotal = archive.maxUncompressedBytes;
  if (total > maxTotal) return `its files hold ${total} bytes; an import unpacks at most ${maxTotal}`;
  return null;
}
